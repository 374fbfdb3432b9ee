"""The REST API (``/api/v1/``): thin handlers over cascade.access, the metrics engine and the services.

Every queryset starts in cascade.access; figures for readers without exact figures (donors)
come through cascade.access.suppression, with no switch to turn suppression off.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cascade import access
from cascade.access import suppression
from cascade.audit import services as audit
from cascade.metrics import engine, trees
from cascade.metrics.filters import FILTER_NAMES, FilterError, Filters

from . import serializers
from .models import ApiToken, IdempotentRequest
from .pagination import Paging

FILTER_PARAMETERS = [OpenApiParameter(name, str, description=f"as in `cascade stats --{name}`") for name in FILTER_NAMES]


def _filters(request) -> Filters:
    try:
        return Filters.parse(**{name: request.query_params.get(name) for name in FILTER_NAMES})
    except FilterError as error:
        message = str(error)
        field = next((name for name in FILTER_NAMES if message.lower().startswith(name)), "filters")
        raise exceptions.ValidationError({field: [message]}) from None


def _via(request) -> str:
    return "api token" if isinstance(request.auth, ApiToken) else "api"


def exact(request) -> bool:
    """Exact figures for staff; suppressed for everyone else, and always through a figures-only token."""
    if isinstance(request.auth, ApiToken) and request.auth.figures_only:
        return False
    return access.exact_figures(request.user)


def released_json(released: suppression.Released, filters: Filters) -> dict:
    """The figures one reader without exact figures is shown, as JSON ("<5", "*" and ranges such as
    "130–139" as strings). Beside each hidden count of people, ``<figure>_reason`` says why (a code
    of ``reasons``, which gives each code's text in the request's language)."""
    withheld = released.withheld

    def why(row):
        return suppression.with_reasons(row, withheld)

    def plain(rows):
        return [why({k: v for k, v in row.items() if not k.endswith("pct")}) for row in rows]

    return {
        "suppressed": True, "withheld": withheld, "filters": filters.as_dict(),
        "headline": why(released.headline), "generations": plain(released.generations),
        "unlinked": why(released.unlinked) if released.unlinked else released.unlinked,
        "gender": plain(released.gender), "gender_total": released.gender_total,
        **suppression.with_reasons({"gender_total": released.gender_total}, withheld),
        "per_year": plain(released.per_year), "countries": plain(released.countries),
        "institutes": [why({"key": row["training"].key, "participants": row["participants"]})
                       for row in released.institutes],
        "reasons": suppression.reasons(),
    }


class Figures(APIView):
    """The figures of ``cascade stats --json`` with the same filters; suppressed for donors."""

    figures_view = True

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: dict})
    def get(self, request):
        filters = _filters(request)
        if exact(request):
            return Response(engine.figures(filters))
        filters = suppression.coarsen(filters)
        return Response(released_json(suppression.release(filters, exact=False), filters))


#: Breakdowns whose rows add up to their total (each person in one row): the ones suppression can protect.
DISJOINT = ("year", "country", "generation")


class Breakdown(APIView):
    """``cascade stats --by``: one row per year, gender, country, partner or generation."""

    figures_view = True

    @extend_schema(parameters=[OpenApiParameter("by", str, enum=list(engine.BREAKDOWNS), required=True),
                               *FILTER_PARAMETERS], responses={200: dict})
    def get(self, request):
        by = request.query_params.get("by", "")
        if by not in engine.BREAKDOWNS:
            raise exceptions.ValidationError({"by": [_("Choose one of: %s.") % ", ".join(engine.BREAKDOWNS)]})
        filters = _filters(request)
        if exact(request):
            return Response(engine.breakdown(filters, by))
        if by not in DISJOINT:
            raise exceptions.ValidationError({"by": [
                _("Rows by gender or partner overlap and cannot be released with small counts suppressed; "
                  "choose one of: %s.") % ", ".join(DISJOINT)]})
        data = engine.breakdown(suppression.coarsen(filters), by)
        return Response(suppressed_breakdown(data))


def suppressed_breakdown(data) -> dict:
    """People by gender in each row, suppressed as one table with its totals (reach is each row's sum)."""
    groups = ("women", "men", "other")
    rows = [*data["rows"]]
    table = suppression.suppress_table([[row[g] for g in groups] for row in rows])
    out = []
    for row, cells, reach in zip(rows, table.cells, table.row_totals):
        out.append(suppression.with_reasons({
            "value": row["value"], "institutes": row["institutes"], "step_downs": row["step_downs"],
            **dict(zip(groups, cells)), "reach": reach}))
    total = data["total"]
    return {"by": data["by"], "filters": data["filters"], "suppressed": True, "rows": out,
            "total": suppression.with_reasons({
                "value": None, "institutes": total["institutes"], "step_downs": total["step_downs"],
                **dict(zip(groups, table.column_totals)), "reach": table.total}),
            "reasons": suppression.reasons()}


class TrainingsMixin:
    """Each training's reach as the reader may see it (cascade.access.suppression), one query a page."""

    def get_serializer(self, *args, **kwargs):
        if args:
            items = list(args[0]) if kwargs.get("many") else [args[0]]
            kwargs["context"] = {**self.get_serializer_context(), "exact": exact(self.request),
                                 "reach": suppression.training_reach(self.request.user, items)}
            args = (items if kwargs.get("many") else items[0], *args[1:])
        return super().get_serializer(*args, **kwargs)


class Trainings(TrainingsMixin, generics.ListAPIView):
    """Trainings the reader may open (cascade.access.visible_trainings), filtered as the dashboard."""

    serializer_class = serializers.TrainingSerializer
    pagination_class = Paging

    @extend_schema(parameters=[*FILTER_PARAMETERS, OpenApiParameter("modified_since", str),
                               OpenApiParameter("kind", str, enum=["institute", "step-down"])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        request = self.request
        filters = _filters(request)
        visible = access.visible_trainings(request.user)
        kind = request.query_params.get("kind")
        if kind not in (None, ""):
            figure = {"institute": "institutes", "step-down": "step-downs"}.get(kind)
            if figure is None:
                raise exceptions.ValidationError({"kind": [_("Choose institute or step-down.")]})
            trainings = engine.trainings_behind(figure, filters) & visible
        elif filters.as_dict():
            trainings = engine.trainings_behind("trainings", filters) & visible
        else:
            trainings = visible
        since = request.query_params.get("modified_since")
        if since:
            try:
                moment = parse_datetime(since)
            except ValueError:
                moment = None
            if not moment:
                raise exceptions.ValidationError({"modified_since": [
                    _("Give a date (2024-05-31) or a date and time (2024-05-31T12:00:00Z).")]})
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.timezone.utc)
            trainings = trainings.filter(updated_at__gte=moment)
        return trainings.select_related("country", "host", "source_training", "place").prefetch_related(
            "manuals").order_by("start_date", "key")


class TrainingDetail(TrainingsMixin, generics.RetrieveAPIView):
    serializer_class = serializers.TrainingSerializer
    lookup_field = "key"

    def get_queryset(self):
        return access.visible_trainings(self.request.user).select_related("country", "host", "source_training", "place")


class TrainingTree(APIView):
    """The trainings grown from one training, generation by generation (staff: exact head-counts)."""

    @extend_schema(responses={200: dict})
    def get(self, request, key):
        if not access.exact_figures(request.user):  # a tree shows each training's own head-counts
            raise exceptions.PermissionDenied(_("Cascade trees show exact head-counts: staff only."))
        visible = access.visible_trainings(request.user)
        training = get_object_or_404(visible, key=key)
        tree = trees.training_tree(training, visible=visible, with_people=False,
                                   named=access.people_trainings(request.user))
        return Response(serializers.tree_json(tree))


class People(generics.ListAPIView):
    """People the reader may see by name; e-mail and phone only for roles that export people."""

    pagination_class = Paging

    def get_serializer_class(self):
        if access.can_export_people(self.request.user):
            return serializers.PersonWithContactsSerializer
        return serializers.PersonSerializer

    def get_queryset(self):
        if not access.can_see_people(self.request.user):
            raise exceptions.PermissionDenied(_("Your role does not show people by name."))
        return access.visible_people(self.request.user).select_related("country", "organization", "place").order_by(
            "full_name", "pk")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit.log("cascade.people.listed", request.user, None, via=_via(request),
                  page=request.query_params.get("page", "1"), count=len(response.data.get("results", [])))
        return response


class Manuals(generics.ListAPIView):
    serializer_class = serializers.ManualSerializer
    pagination_class = Paging

    def get_queryset(self):
        from cascade.curriculum.models import Manual

        return Manual.objects.prefetch_related("sessions", "editions").order_by("key")


class StepDowns(APIView):
    """Report a step-down, as the phone report does (the same forms, the same service)."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(request=serializers.StepDownSerializer, responses={201: dict},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)])
    def post(self, request):
        if not access.can_see_people(request.user):  # as the phone report: roles that see people
            raise exceptions.PermissionDenied(_("Your role does not report step-downs."))
        key = request.headers.get("Idempotency-Key", "").strip()[:200]
        body = _body_digest(request)
        if key:
            done = IdempotentRequest.objects.filter(user=request.user, key=key, path=request.path).first()
            if done is not None:
                return _replay(done, body)
        try:
            with transaction.atomic():
                status_code, answer = self._report(request)
                if key and status_code == status.HTTP_201_CREATED:
                    IdempotentRequest.objects.create(
                        token=request.auth if isinstance(request.auth, ApiToken) else None, user=request.user,
                        key=key, path=request.path, body=body, status=status_code, response=answer)
        except IntegrityError:  # the same key at the same moment: the first one won
            done = IdempotentRequest.objects.filter(user=request.user, key=key, path=request.path).first()
            if done is None:
                raise
            return _replay(done, body)
        return Response(answer, status=status_code)

    def _report(self, request):
        from cascade.web import services

        serializer = serializers.StepDownSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            training = services.report_step_down(request.user, **data)
        except PermissionDenied:
            raise exceptions.PermissionDenied(_("You may only report trainings that you led yourself.")) from None
        except DjangoValidationError as error:
            raise exceptions.ValidationError(getattr(error, "message_dict", None) or {"non_field_errors": error.messages})
        audit.log("cascade.training.reported_via_api", request.user, training, via=_via(request))
        return status.HTTP_201_CREATED, {"key": training.key, "id": training.pk,
                                         "url": request.build_absolute_uri(f"/api/v1/trainings/{training.key}")}


def _body_digest(request) -> str:
    import hashlib
    import json

    data = request.data
    plain = {k: data.getlist(k) for k in data} if hasattr(data, "getlist") else data
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()


def _replay(done: IdempotentRequest, body: str) -> Response:
    """The first answer again; a different report under the same key is refused, not recorded."""
    if done.body != body:
        return Response({"idempotency_key": [_("This Idempotency-Key was already used for another report: "
                                               "give each report its own key.")]},
                        status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    return Response(done.response, status=done.status)


class Imports(APIView):
    """A workbook, checked (``dry_run``) or imported, as a background job of the spreadsheet import."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": serializers.ImportSerializer}, responses={202: dict})
    def post(self, request):
        from cascade.jobs import heartbeat, services as jobs
        from cascade.spreadsheets import uploads

        if not access.allows("spreadsheets.import", request.user):
            raise exceptions.PermissionDenied(_("Your role does not allow you to import a spreadsheet."))
        serializer = serializers.ImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        dry_run = serializer.validated_data["dry_run"]
        path = uploads.save_upload(upload, csv_as_sheet=True)
        kind = "spreadsheet-check" if dry_run else "spreadsheet-import"
        job = jobs.start(request.user, kind, {"upload": path.name, "name": upload.name, "page": "api",
                                              "include_hidden": serializer.validated_data["include_hidden"]},
                         title=upload.name)
        if not heartbeat.worker_alive():
            jobs.run(str(job.pk))  # nobody would run it: run it now
            job.refresh_from_db()
        return Response(serializers.job_json(job, request), status=status.HTTP_202_ACCEPTED)


class JobDetail(APIView):
    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        job = get_object_or_404(access.visible_jobs(request.user), pk=pk)
        return Response(serializers.job_json(job, request))
