"""Pages of the staff app. Every query starts from cascade.access; workflows live in services."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cascade import access
from cascade.access import suppression
from cascade.audit import services as audit
from cascade.metrics import engine
from cascade.curriculum.models import Edition, Manual
from cascade.jobs.heartbeat import worker_alive
from cascade.network.models import Organization, Person
from cascade.trainings.models import Participation, Training

from . import figures, forms, lists, services
from .middleware import remember_language

def _people_or_403(user):
    if not access.can_see_people(user):
        raise PermissionDenied(_("Your role does not show people's names."))
    return access.visible_people(user)


# --- Dashboard --------------------------------------------------------------------


@login_required
def dashboard(request):
    form = forms.FiltersForm(request.GET or None, user=request.user)
    filters = form.filters()
    base = filters.as_dict()

    def link(page, /, **params):
        return reverse(f"web:{page}") + "?" + urlencode({**base, **params})

    # A filter that is not valid shows no figure and no report link: whole-network figures under
    # its message would read as the answer to it.
    invalid = form.is_bound and not form.is_valid()
    data = None if invalid else figures.compute(request.user, filters, link)
    return render(request, "web/dashboard.html", {
        "form": form, "figures": data, "filters": filters, "can_see_people": access.can_see_people(request.user),
        "upcoming": [] if invalid else figures.upcoming(request.user, filters),
        # a worker runs: the donor report is made in the background (its page shows the progress)
        "background": not invalid and worker_alive(),
    }, status=400 if invalid else 200)


# --- Trainings --------------------------------------------------------------------


def _filtered_trainings(request, form):
    """The list's trainings: the figure behind a dashboard link, narrowed by the filters, and
    how the list makes that figure (None for an invalid filter, or a list behind no figure)."""
    if not form.is_valid():
        return access.visible_trainings(request.user).none(), None
    data = form.cleaned_data
    year = request.GET.get("year", "")
    trainings, explained = figures.trainings_behind(
        request.user, form.filters(), request.GET.get("figure", "trainings"), _generation(request),
        kind=data.get("kind") or "", year=int(year) if year.isdigit() else None,
        counts=request.GET.get("counts", ""),
        explain=bool(request.GET.get("figure") or request.GET.get("counts") or year.isdigit() or data.get("kind")))
    if explained is None and _generation(request) is None:
        # The plain list, behind no figure: planned trainings too, marked as such (counted in none).
        planned = figures.upcoming(request.user, form.filters(), limit=None)
        trainings = trainings | (planned.filter(kind=data["kind"]) if data.get("kind") else planned)
    if data.get("q"):
        trainings = _search_trainings(trainings, data["q"])
    return trainings, explained


def _story_language() -> str:
    """Stories are written in the reader's language where a writer exists, else in English."""
    from cascade.stories.services import STORY_LANGUAGES

    language = translation.get_language()
    return language if language in STORY_LANGUAGES else "en"


def _generation(request):
    value = request.GET.get("generation", "")
    if value.isdigit():
        return int(value)
    return value if value in ("linked", "unlinked") else None


def _search_trainings(trainings, text):
    text = text.strip()
    return trainings.filter(
        Q(title__icontains=text) | Q(city__icontains=text) | Q(key__icontains=text)
        | Q(host__name__icontains=text) | Q(host__short_name__icontains=text) | Q(place__names__icontains=text)
        | Q(host__names__icontains=text) | Q(host__short_names__icontains=text)
    ).distinct()


def _training_columns(user, headcounts: bool) -> list:
    """The trainings list's columns: the page's, and what its download writes in each."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .lists import Column, by, choice_label, country_name, translated

    def reach():
        named = Participation.objects.filter(training=OuterRef("pk"), role=Participation.Role.PARTICIPANT) \
            .order_by().values("training").annotate(n=Count("pk")).values("n")[:1]
        total = (Coalesce(Subquery(named, output_field=IntegerField()), 0)
                 + F("women_count") + F("men_count") + F("other_count"))
        # readers who see ranges sort by the range, so the order tells no more than the ranges
        return [total if access.exact_figures(user) else suppression.band_order(total)]

    columns = [
        Column("training", _("Training"), str, by(translated("title"))),
        Column("kind", _("Kind"), _kind_and_status,
               by(choice_label("kind", Training.Kind.choices), "cancelled", "start_date")),
        Column("dates", _("Dates"), lambda t: t.start_date, by("start_date", "end_date"),
               heading=capfirst(Training._meta.get_field("start_date").verbose_name)),
        Column("end", capfirst(Training._meta.get_field("end_date").verbose_name),
               lambda t: t.end_date or t.start_date, shown=False),
        Column("place", _("Place"), _place, by(country_name, translated("place__names", "city"))),
        Column("host", _("Host"), lambda t: str(t.host or ""), by(Lower("host__name"))),
        Column("people", _("People"), lambda t: t.reach_shown if t.status == Training.Status.HELD else None,
               reach, numeric=True),
    ]
    if headcounts:
        columns.append(Column("headcount", _("Unnamed head-count"), lambda t: t.headcount_shown, numeric=True))
    return columns


def _kind_and_status(training) -> str:
    if training.status == Training.Status.HELD:
        return str(training.get_kind_display())
    return f"{training.get_kind_display()} ({training.status.label})"


@login_required
def training_list(request):
    form = forms.TrainingListForm(request.GET, user=request.user)
    trainings, explained = _filtered_trainings(request, form)
    trainings = trainings.select_related("country", "host", "place")
    # A list behind a head-count shows each training's part of it, so the column adds up to
    # the number it explains (to readers with exact figures; donors read the count of trainings).
    counts = request.GET.get("counts", "")
    headcounts = (counts in ("all", *engine.HEADCOUNT_FIELDS) and explained is not None
                  and access.exact_figures(request.user))

    def prepare(rows):
        # People reached per training as this reader may see them (a range for donors and the public).
        reach = suppression.training_reach(request.user, rows)
        for training in rows:
            training.reach_shown = reach[training.pk]
            if headcounts:
                training.headcount_shown = engine.headcount_of(training, counts)
        return rows

    listing = lists.Listing(request, "trainings", _("Trainings"), _training_columns(request.user, headcounts),
                            trainings, default="-dates", tiebreak=("key", "pk"), prepare=prepare)
    if listing.wanted:
        return listing.download()
    return render(request, "web/training_list.html", {
        "form": form, "listing": listing, "page": listing.page, "query": listing.query,
        "can_add": access.can_see_people(request.user), "explained": explained,
        "invalid": form.is_bound and not form.is_valid(), "headcounts": headcounts,
    })


@login_required
def training_detail(request, pk):
    training = get_object_or_404(
        access.visible_trainings(request.user).select_related("country", "host", "source_training", "place"), pk=pk)
    # a partner's staff open the records of its cascade's step-downs, not who took part in them
    see_people = access.can_see_people(request.user) and access.people_trainings(request.user).filter(
        pk=training.pk).exists()
    participations = []
    facilitators = []
    if see_people:
        visible = access.visible_participations(request.user).filter(training=training).select_related(
            "person__country", "person__organization", "person__place").order_by("person__full_name")
        participations = [p for p in visible if p.role != Participation.Role.FACILITATOR]
        facilitators = [p for p in visible if p.role == Participation.Role.FACILITATOR]
    sessions = training.sessions.select_related("manual_session__manual").prefetch_related("facilitators")
    grown = access.visible_trainings(request.user).filter(source_training=training).select_related(
        "place").order_by("start_date")
    photos = access.visible_photos(request.user).filter(training=training)
    return render(request, "web/training_detail.html", {
        "training": training,
        "participations": participations,
        "facilitators": facilitators,
        "sessions": sessions,
        "manuals": training.manuals.all(),
        "co_organisers": training.co_organisers.all(),
        "grown": grown,
        "ordinal": figures.institute_ordinal(training),
        "photos": photos,
        "photos_not_shown": access.photos_not_shown(request.user, training),
        "can_see_people": see_people,
        "can_edit": access.can_edit_training(request.user, training),
        "can_open_tree": access.exact_figures(request.user),
        "story_language": _story_language(),
        "counts": _training_counts(request.user, training),
    })


def _training_counts(user, training) -> dict:
    """One training's people: exact for staff; for donors and the public only the range of its reach,
    since any split of one training's people (named, women, men) could be subtracted from a total."""
    reach = suppression.training_reach(user, [training])[training.pk]
    if access.exact_figures(user):
        return {"exact": True, "named": engine.named_participants([training.pk])[training.pk], "reach": reach}
    return {"exact": False, "reach": reach}


def _participant_initial(training, user):
    if training.pk is None:
        return []
    rows = access.visible_participations(user).filter(training=training).select_related("person")
    return [{"person": p.person, "role": p.role, "completed": p.completed,
             "gender": p.person.gender} for p in rows]


def _agenda_initial(training, user):
    from cascade.lib.translated import pick

    if training.pk is None:
        return []
    visible = access.visible_people(user)
    return [{"id": s.pk, "date": s.date, "manual_session": s.manual_session_id, "title_text": pick(s.title),
             "facilitators": [p.pk for p in s.facilitators.all() if p in visible]}
            for s in training.sessions.prefetch_related("facilitators")]


def _as_typed(form) -> dict:
    """What was typed in a bound form, field by field, as the initial values of a new one."""
    return {name: form[name].data for name in form.fields}


def _planning_forms(request, instance, data=None, *, initial=None):
    """The training form, its agenda, its participants and the "add many" form: bound to ``data``,
    or unbound with ``initial`` (a dict with ``form``, ``agenda``, ``people`` and ``add``)."""
    user = request.user
    initial = initial or {}
    agenda_initial = initial.get("agenda")
    if agenda_initial is None and data is None:
        agenda_initial = _agenda_initial(instance, user)
    chosen = {str(pk) for row in agenda_initial or [] for pk in row.get("facilitators") or []}
    if data is not None:
        chosen |= {value for key, values in data.lists() if key.endswith("-facilitators") for value in values}
    session_choices = forms.manual_session_choices()
    candidates = forms.facilitator_choices(user, instance, [pk for pk in chosen if str(pk).isdigit()])
    people_initial = initial.get("people")
    if people_initial is None and data is None:
        # A new training starts with three blank rows to type in; more are added in the page.
        people_initial = _participant_initial(instance, user) if instance.pk else [{}, {}, {}]
    applications = forms.call_applicants(user)
    return {
        "form": forms.TrainingForm(data, instance=instance, user=user, initial=initial.get("form")),
        "agenda": forms.AgendaFormSet(data, prefix="agenda", initial=agenda_initial, form_kwargs={
            "user": user, "sessions": session_choices, "candidates": candidates}),
        "formset": forms.ParticipantFormSet(data, prefix="people", initial=people_initial,
                                            form_kwargs={"user": user, "applications": applications}),
        "add": forms.AddPeopleForm(data, prefix="add", user=user, initial=initial.get("add")),
    }


#: Buttons of the training form that change the page but save nothing (they work without a script).
PLANNING_ACTIONS = ("add-session", "add-day", "add-rows", "add-people")


def _next_day(rows, start):
    dates = [row.get("date") for row in rows if row.get("date")]
    if not dates:
        return start or ""
    try:
        return (datetime.date.fromisoformat(str(dates[-1])) + datetime.timedelta(days=1)).isoformat()
    except ValueError:
        return ""


def _planning_action(request, instance, bound, action):
    """Apply a button that adds or moves rows: the page comes back with everything as typed."""
    form, agenda, people, add = bound["form"], bound["agenda"], bound["formset"], bound["add"]
    main = _as_typed(form)
    agenda_rows = [_as_typed(row) for row in agenda.forms]
    people_rows = [_as_typed(row) for row in people.forms]
    add_initial = _as_typed(add)
    if action == "add-session":
        last = next((row.get("date") for row in reversed(agenda_rows) if row.get("date")), None)
        agenda_rows.append({"date": last or main.get("start_date") or ""})
    elif action == "add-day":
        agenda_rows.append({"date": _next_day(agenda_rows, main.get("start_date"))})
    elif action.startswith(("up-", "down-")):
        direction, _sep, index = action.partition("-")
        index = int(index) if index.isdigit() else -1
        other = index - 1 if direction == "up" else index + 1
        if 0 <= index < len(agenda_rows) and 0 <= other < len(agenda_rows):
            agenda_rows[index], agenda_rows[other] = agenda_rows[other], agenda_rows[index]
            if agenda_rows[index].get("date") != agenda_rows[other].get("date"):
                # Moving past the first or last session of a day moves it to that day.
                agenda_rows[other]["date"] = agenda_rows[index]["date"]
    elif action == "add-rows":
        people_rows += [{"role": "participant", "gender": "woman", "completed": True} for _i in range(5)]
    elif action == "add-people":
        if add.is_valid():
            present = {(str(row.get("person")), row.get("role")) for row in people_rows if row.get("person")}
            applications = {str(row.get("application")) for row in people_rows if row.get("application")}
            for row in add.rows():
                person, application = row.get("person"), row.get("application")
                if person and (str(person.pk), row["role"]) in present:
                    continue
                if application and str(application.pk) in applications:
                    continue
                people_rows.append({**row, "person": person.pk if person else "",
                                    "application": application.pk if application else ""})
            add_initial = {"paste_role": add_initial.get("paste_role")}
    new = _planning_forms(request, instance, initial={
        "form": main, "agenda": agenda_rows, "people": people_rows, "add": add_initial})
    if action == "add-people" and add.errors:
        new["add"] = add  # the lines that name nobody, each with its number; nothing was added
    return new


def _row_errors(agenda, formset) -> list[str]:
    """Every error of the tables, each naming its table, row and field."""
    messages_ = []
    for title, rows in ((_("Agenda"), agenda), (_("Participants"), formset)):
        if not rows.is_bound:
            continue
        for number, row in enumerate(rows.forms, start=1):
            for name, errors in row.errors.items():
                label = row.fields[name].label if name in row.fields else ""
                for error in errors:
                    messages_.append(_("%(table)s, row %(row)d, %(field)s: %(error)s") % {
                        "table": title, "row": number, "field": label or _("row"), "error": error})
    return messages_


@login_required
def training_edit(request, pk=None):
    """The training, its agenda and its participants on one page, saved by one post.

    The buttons that add or move rows post the page and bring it back as typed, saving
    nothing (app.js does the same in the page without a round trip); "Save" checks
    everything and saves all of it, or nothing.
    """
    if not access.can_see_people(request.user):
        raise PermissionDenied
    training = None
    if pk is not None:
        training = get_object_or_404(access.visible_trainings(request.user), pk=pk)
        if not access.can_edit_training(request.user, training):
            raise PermissionDenied
    instance = training or Training(kind=request.GET.get("kind") or Training.Kind.INSTITUTE)
    data = request.POST if request.method == "POST" else None
    bound = _planning_forms(request, instance, data)
    action = request.POST.get("action", "") if data is not None else ""
    has_agenda = data is not None and "agenda-TOTAL_FORMS" in data
    if data is not None and not has_agenda:
        # A post without the agenda's table (an older form, a script) leaves the agenda as it is.
        bound["agenda"] = _planning_forms(request, instance)["agenda"]
    if action and (action in PLANNING_ACTIONS or action.startswith(("up-", "down-"))):
        bound = _planning_action(request, instance, bound, action)
    elif data is not None:
        form, agenda, formset, add = bound["form"], bound["agenda"], bound["formset"], bound["add"]
        valid = all([form.is_valid(), formset.is_valid(), add.is_valid(),
                     agenda.is_valid() if has_agenda else True])
        if valid and has_agenda:
            agenda.check_training(form.cleaned_data["start_date"], form.cleaned_data.get("end_date"),
                                  form.cleaned_data.get("manuals") or [])
            valid = not any(row.errors for row in agenda.forms)
        if valid:
            rows = [f.cleaned_data for f in formset.forms
                    if f.cleaned_data and not f.is_blank and not f.cleaned_data.get("DELETE")]
            present = {(row["person"].pk, row["role"]) for row in rows if row.get("person")}
            rows += [row for row in add.rows() if not row.get("person")
                     or (row["person"].pk, row["role"]) not in present]
            try:
                saved = services.save_training(request.user, form, rows,
                                               agenda.rows() if has_agenda else None)
            except PermissionDenied:
                form.add_error("host", _("You may only record trainings your organisation hosts or "
                                         "co-organises, or that you facilitate."))
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Saved “%(title)s”.") % {"title": saved})
                return redirect("web:training", pk=saved.pk)
    return render(request, "web/training_form.html", {
        **bound, "training": training,
        "row_errors": _row_errors(bound["agenda"], bound["formset"]) if data is not None and not action else [],
    })


@login_required
def people_search(request):
    """Search-as-you-type for the participants table (htmx): people this user may see, by name or key."""
    if not access.can_see_people(request.user):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()[:100]
    people = []
    if len(q) >= 2:
        people = access.visible_people(request.user).filter(
            Q(full_name__icontains=q) | Q(key__iexact=q)).select_related("country").order_by("full_name")[:15]
    return render(request, "web/includes/people_found.html", {"people": people, "q": q})


@login_required
def place_names(request):
    """The places of a country named in the page's language, as the options of the city's list
    (htmx swaps them in when the country changes): a city is picked, or typed in any script."""
    if not access.can_see_people(request.user):
        raise PermissionDenied
    from cascade.network.places import suggestions

    code = next((value for name, value in request.GET.items() if name.split("-")[-1] == "country"), "")
    names = suggestions(code[:2], translation.get_language() or "en") if code.isalpha() else []
    return render(request, "web/includes/place_options.html", {"names": names})


# --- Photos -----------------------------------------------------------------------


@login_required
def photo_upload(request, pk):
    from cascade.photos import services as photo_services

    training = get_object_or_404(access.visible_trainings(request.user), pk=pk)
    if not access.can_edit_training(request.user, training):
        raise PermissionDenied
    form = forms.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            photo_services.upload_photo(
                training=training, upload=form.cleaned_data["image"], actor=request.user,
                caption=form.captions(), shows_people=form.cleaned_data["shows_people"],
                consent_recorded=form.cleaned_data["consent_recorded"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The photo was added to the gallery."))
            return redirect(reverse("web:training", args=[training.pk]) + "#photos")
    return render(request, "web/photo_form.html", {"form": form, "training": training})


@login_required
def photo_file(request, pk, size="full"):
    """Photos are served through access control, never from a public media folder."""
    photo = get_object_or_404(access.visible_photos(request.user), pk=pk)
    field = photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
    response = FileResponse(field.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- People and partners ----------------------------------------------------------


@login_required
def person_list(request):
    _people_or_403(request.user)
    form = forms.PersonListForm(request.GET, user=request.user)
    filters_form = forms.FiltersForm(request.GET, user=request.user)
    explained = None
    if form.is_valid() and filters_form.is_valid():
        people, explained = _people_behind_figure(request, form, filters_form.filters())
        if not request.GET.get("figure") and filters_form.filters().is_empty:
            people = access.visible_people(request.user)  # everyone, not only those who took part
        data = form.cleaned_data
        if data.get("q"):
            text = data["q"].strip()
            people = people.filter(Q(full_name__icontains=text) | Q(city__icontains=text))
        if data.get("home_country"):
            people = people.filter(country=data["home_country"])
        if data.get("gender"):
            people = people.filter(gender__in=[data["gender"], Person.Gender.NOT_STATED]
                                   if data["gender"] == Person.Gender.OTHER else [data["gender"]])
    else:
        people = access.visible_people(request.user).none()
    listing = lists.Listing(request, "people", _("People"), _person_columns(),
                            people.select_related("country", "organization", "place"), default="name")
    if listing.wanted:
        return listing.download()
    return render(request, "web/person_list.html", {
        "form": form, "listing": listing, "page": listing.page, "query": listing.query,
        "figure": request.GET.get("figure", ""), "explained": explained,
        "invalid": not (form.is_valid() and filters_form.is_valid())})


def _person_columns() -> list:
    from .lists import Column, by, country_name, translated

    return [
        Column("name", _("Name"), str, by(Lower("full_name"))),
        Column("organisation", _("Organisation"), lambda p: str(p.organization or ""),
               by(Lower("organization__name"))),
        Column("place", _("Place"), _place, by(country_name, translated("place__names", "city"))),
    ]


def _place(obj) -> str:
    """"City, country" in the reader's language, as the lists show a place."""
    return ", ".join(x for x in (obj.city_name, obj.country.name if obj.country_id else "") if x)


def _people_behind_figure(request, form, filters):
    """The people a figure counts that this reader may see, and how the list makes the figure:
    ``by`` and ``value`` name one row of a breakdown by year or country, ``add=headcounts``
    makes the figure a reach (these people plus the head-counts of the same trainings)."""
    by, value = request.GET.get("by", ""), request.GET.get("value", "")
    group = (by, value) if by in ("year", "country") and value and (by != "year" or value.isdigit()) else None
    return figures.people_behind(
        request.user, filters, request.GET.get("figure", "people"), _generation(request), group,
        gender=form.cleaned_data.get("gender") or "", add_headcounts=request.GET.get("add") == "headcounts",
        explain=bool(request.GET.get("figure")))


@login_required
def person_detail(request, pk):
    person = get_object_or_404(_people_or_403(request.user).select_related("country", "organization", "place"), pk=pk)
    audit.log("cascade.person.viewed", request.user, person, via="staff app")
    participations = access.visible_participations(request.user).filter(person=person).select_related(
        "training__country").order_by("training__start_date")
    attended = [p for p in participations if p.role != Participation.Role.FACILITATOR]
    given = [p for p in participations if p.role == Participation.Role.FACILITATOR]
    tree = figures.cascade_tree(request.user, person)
    return render(request, "web/person_detail.html", {
        "person": person, "attended": attended, "given": given, "tree": tree,
        "memberships": person.memberships.select_related("organization"),
    })


@login_required
def partner_list(request):
    organizations = access.visible_organizations(request.user).select_related("country", "place")
    kind = request.GET.get("kind", Organization.Kind.PARTNER)
    if kind in Organization.Kind.values:
        organizations = organizations.filter(kind=kind)
    q = request.GET.get("q", "").strip()
    if q:
        organizations = organizations.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(city__icontains=q)
                                             | Q(names__icontains=q) | Q(place__names__icontains=q))
    trainings = access.visible_trainings(request.user)
    organizations = organizations.annotate(
        hosted=Count("hosted_trainings", filter=Q(hosted_trainings__in=trainings), distinct=True))
    listing = lists.Listing(request, "partners", _("Partners"), _partner_columns(), organizations, default="name")
    if listing.wanted:
        return listing.download()
    return render(request, "web/partner_list.html", {
        "listing": listing, "page": listing.page, "kinds": Organization.Kind.choices, "kind": kind, "q": q,
        "query": listing.query})


def _partner_columns() -> list:
    from .lists import Column, by, country_name, translated

    return [
        Column("name", _("Organisation"), lambda o: o.name_in(),
               by(translated("names", "name", own_language=True))),
        Column("short", _("Short name"), lambda o: o.short_name_in(), shown=False),
        Column("country", _("Country"), _place, by(country_name, translated("place__names", "city"))),
        Column("hosted", _("Trainings hosted"), lambda o: o.hosted, by("hosted"), numeric=True),
    ]


@login_required
def partner_detail(request, pk):
    organization = get_object_or_404(access.visible_organizations(request.user).select_related("place"), pk=pk)
    trainings = access.visible_trainings(request.user).filter(
        Q(host=organization) | Q(co_organisers=organization)).distinct().select_related("country", "place")
    people = []
    if access.can_see_people(request.user):
        people = access.visible_people(request.user).filter(organization=organization)
    from cascade.metrics.filters import Filters

    filters = Filters.parse(partner=organization.key) if organization.kind == Organization.Kind.PARTNER else None
    summary = None
    if filters is not None:
        def link(page, /, **params):
            return reverse(f"web:{page}") + "?" + urlencode({**filters.as_dict(), **params})

        summary = figures.compute(request.user, filters, link)
    return render(request, "web/partner_detail.html", {
        "organization": organization, "trainings": trainings[:100], "people": people,
        "upcoming": figures.upcoming(request.user, filters) if filters is not None else trainings.planned(),
        "figures": summary, "hosted": figures.hosted_directly(organization),
        "memberships": organization.memberships.select_related("person").filter(
            person__in=access.visible_people(request.user))})


@login_required
def country_detail(request, code):
    """A country: the network's figures there, its partners, and women's share of its parliament."""
    from cascade.indicators import services as indicators
    from cascade.metrics.filters import Filters
    from cascade.network.models import Country

    country = get_object_or_404(Country.objects.select_related("region"), code=code.upper())
    filters = Filters.parse(country=country.code)

    def link(page, /, **params):
        return reverse(f"web:{page}") + "?" + urlencode({**filters.as_dict(), **params})

    latest = sorted(indicators.latest_by_chamber(country.code, datetime.date.today() + datetime.timedelta(days=1))
                    .values(), key=lambda o: indicators.CHAMBER_ORDER.get(o.chamber, 9))
    return render(request, "web/country_detail.html", {
        "country": country, "figures": figures.compute(request.user, filters, link),
        "upcoming": figures.upcoming(request.user, filters),
        "partners": access.visible_organizations(request.user).filter(
            country=country, kind=Organization.Kind.PARTNER),
        "latest": latest, "has_series": indicators.series(country.code).exists(),
    })


# --- Curriculum library -----------------------------------------------------------


@login_required
def library(request):
    language = request.GET.get("language", "")
    manuals = Manual.objects.prefetch_related("editions").annotate(
        session_count=Count("sessions", distinct=True))
    if language:
        manuals = manuals.filter(editions__language=language).distinct()
    from cascade.lib.collation import sorted_by_name
    from cascade.lib.names import language_name

    # Shown by name in the reader's language, so sorted by that name.
    languages = sorted_by_name(set(Edition.objects.values_list("language", flat=True)), language_name)
    return render(request, "web/library.html", {
        "manuals": manuals, "language": language, "languages": languages})


@login_required
def manual_detail(request, key):
    manual = get_object_or_404(Manual, key=key)
    trainings = access.visible_trainings(request.user).filter(
        Q(manuals=manual) | Q(sessions__manual_session__manual=manual)).distinct()
    return render(request, "web/manual_detail.html", {
        "manual": manual, "sessions": manual.sessions.all(), "editions": manual.editions.all(),
        "training_count": trainings.count(), "trainings": trainings.order_by("-start_date")[:20]})


@login_required
def edition_download(request, pk):
    edition = get_object_or_404(Edition, pk=pk)
    if edition.file:
        return FileResponse(edition.file.open("rb"), as_attachment=True,
                            filename=edition.file.name.rsplit("/", 1)[-1])
    if edition.url:
        return redirect(edition.url)
    raise Http404(_("This edition has no file."))


# --- Search -----------------------------------------------------------------------


@login_required
def search(request):
    q = request.GET.get("q", "").strip()
    results = {"people": [], "trainings": [], "partners": []}
    if len(q) >= 2:
        if access.can_see_people(request.user):
            results["people"] = access.visible_people(request.user).filter(
                Q(full_name__icontains=q) | Q(city__icontains=q) | Q(place__names__icontains=q)
            ).select_related("country", "place")[:20]
        results["trainings"] = _search_trainings(access.visible_trainings(request.user), q)[:20]
        results["partners"] = access.visible_organizations(request.user).filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(city__icontains=q) | Q(names__icontains=q)
            | Q(short_names__icontains=q) | Q(place__names__icontains=q))[:20]
    return render(request, "web/search.html", {"q": q, "results": results, "too_short": 0 < len(q) < 2})


# --- Languages --------------------------------------------------------------------


@require_POST
def set_language(request):
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponse(_("Unknown language."), status=400)
    response = redirect(access.safe_next(request, "/"))
    remember_language(request, response, language)
    translation.activate(language)
    return response


# --- Report a step-down -------------------------------------------------------------

SESSION_KEY = "web.report"


def _step_index(name):
    for index, (step, _form, _title) in enumerate(forms.STEPS):
        if step == name:
            return index
    raise Http404


def _stored(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _step_form(request, name, data=None):
    """The bound or unbound form of step ``name``, with what earlier steps chose."""
    index = _step_index(name)
    form_class = forms.STEPS[index][1]
    stored = _stored(request)
    kwargs = {}
    if name == "when":
        kwargs["user"] = request.user
    if name == "sessions":
        kwargs["manual"] = _chosen_manual(request)
    if data is None and name in stored:
        data = stored[name]
    form = form_class(data, prefix=name, **kwargs) if data is not None else form_class(
        prefix=name, initial=_step_initial(request, name), **kwargs)
    return form


def _step_initial(request, name):
    if name == "when":
        person = _own_person(request.user)
        initial = {"start_date": datetime.date.today()}
        if person is not None:
            initial["trainer"] = person.pk
            initial["country"] = person.country_id
            initial["city"] = person.city
            # Where she trained, pre-selected; she (or staff) can change it.
            from cascade.trainings.sources import preferred

            source = preferred(access.report_sources(request.user, person, before=initial["start_date"]))
            if source:
                initial["source_training"] = source.pk
        return initial
    if name == "manual":
        return {"language": translation.get_language()}
    return {}


def _own_person(user):
    role = getattr(user, "cascade_role", None) if user.is_authenticated else None
    person = getattr(role, "person", None)
    return person if person and access.can_see_person(user, person) else None


def _chosen_manual(request):
    pk = _stored(request).get("manual", {}).get("manual-manual")
    return Manual.objects.filter(pk=pk).first() if pk and str(pk).isdigit() else None


def _skip(request, name) -> bool:
    return name == "sessions" and _chosen_manual(request) is None


@login_required
def report(request, step=None):
    if not access.can_see_people(request.user):
        raise PermissionDenied
    if step is None:
        request.session[SESSION_KEY] = {}
        return redirect("web:report_step", step=forms.STEPS[0][0])
    index = _step_index(step)
    if request.method == "POST":
        data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
        form = _step_form(request, step, request.POST)
        if form.is_valid():
            stored = _stored(request)
            stored[step] = {k: v if len(v) > 1 or k.endswith("sessions") else v[0] for k, v in data.items()}
            if step == "manual":
                stored.pop("sessions", None)
            request.session[SESSION_KEY] = stored
            following = index + 1
            while following < len(forms.STEPS) and _skip(request, forms.STEPS[following][0]):
                following += 1
            if following < len(forms.STEPS):
                return redirect("web:report_step", step=forms.STEPS[following][0])
            return redirect("web:report_review")
    else:
        form = _step_form(request, step)
    _validate_as_typed(form, reverse("web:report_check", args=[step]))
    previous = index - 1
    while previous >= 0 and _skip(request, forms.STEPS[previous][0]):
        previous -= 1
    return render(request, "web/report_step.html", {
        "form": form, "step": step, "title": forms.STEPS[index][2], "number": index + 1,
        "total": len(forms.report_screens()), "previous": forms.STEPS[previous][0] if previous >= 0 else None,
    })


def _validate_as_typed(form, url):
    """htmx attributes: each field posts the step as the user types and shows its own errors."""
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        field.widget.attrs.update({
            "hx-post": url, "hx-trigger": "input changed delay:400ms, change", "hx-include": "closest form",
            "hx-target": f"#err-{html_name}", "hx-swap": "innerHTML", "aria-describedby": f"err-{html_name}",
        })


@login_required
@require_POST
def report_check(request, step):
    """htmx: the errors of one field as the user types (the whole step is validated, one field shown)."""
    if not access.can_see_people(request.user):  # the report's own rule: its lists name trainers
        raise PermissionDenied
    form = _step_form(request, step, request.POST)
    field = request.headers.get("HX-Trigger-Name", "")
    name = field.removeprefix(f"{step}-")
    form.is_valid()
    errors = form.errors.get(name, []) if name in form.fields else []
    if name in ("start_date", "end_date", "women", "men", "other"):
        errors = list(errors) + list(form.non_field_errors())
    if name in ("women_names", "men_names", "other_names"):  # too many names: said at their number too
        errors = list(errors) + list(form.errors.get(name.removesuffix("_names"), []))
    sources = _source_choices_again(request, form) if step == "when" and name in ("trainer", "start_date") else ""
    return render(request, "web/includes/errors.html", {"errors": errors, "sources": sources})


def _source_choices_again(request, form) -> str:
    """The list of where the trainer trained, for her and the date just typed, to swap in
    (htmx out of band): the choice stays if it still fits, else the preferred one is chosen."""
    from cascade.trainings.sources import preferred

    field = form["source_training"]
    choices = form.fields["source_training"].queryset
    current = str(field.value() or "")
    if not choices.filter(pk=current if current.isdigit() else None).exists():
        chosen = preferred(choices)
        data = form.data.copy()
        data[field.html_name] = str(chosen.pk) if chosen else ""
        form.data = data
    _validate_as_typed(form, reverse("web:report_check", args=["when"]))
    form.fields["source_training"].widget.attrs["hx-swap-oob"] = "true"
    return form["source_training"].as_widget()


def _review_data(request):
    """Cleaned data of every step, or the name of the first step that is not valid."""
    cleaned = {}
    for name, _form, _title in forms.STEPS:
        if _skip(request, name):
            continue
        if name not in _stored(request):
            return None, name
        form = _step_form(request, name)
        if not form.is_valid():
            return None, name
        cleaned.update(form.cleaned_data)
    return cleaned, None


@login_required
def report_review(request):
    if not access.can_see_people(request.user):
        raise PermissionDenied
    cleaned, missing = _review_data(request)
    if missing:
        return redirect("web:report_step", step=missing)
    photo_errors = []
    if request.method == "POST":
        from cascade.photos import services as photo_services

        cleaned_photos = []
        for number, upload in enumerate(request.FILES.getlist("photos"), start=1):
            try:
                cleaned_photos.append(photo_services.clean_image(upload))
            except ValidationError as error:
                for message in error.message_dict.get("image", error.messages):
                    photo_errors.append(_("Photo %(number)s: %(reason)s") % {"number": number, "reason": message})
    if request.method == "POST" and not photo_errors:
        try:
            training = services.report_step_down(
                request.user, trainer=cleaned["trainer"], start_date=cleaned["start_date"],
                end_date=cleaned.get("end_date"), country=cleaned["country"], city=cleaned["city"],
                source_training=cleaned.get("source_training"), manual=cleaned.get("manual"),
                language=cleaned.get("language", ""), sessions=list(cleaned.get("sessions") or []),
                women=cleaned["women"], men=cleaned["men"], other=cleaned.get("other") or 0,
                names=_named(cleaned), photos=cleaned_photos,
                shows_people=request.POST.get("shows_people") == "on",
                consent_recorded=request.POST.get("consent_recorded") == "on")
        except PermissionDenied:
            messages.error(request, _("You may only report trainings that you led yourself."))
            return redirect("web:report_step", step="when")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("web:report_step", step="when" if "source_training" in error.message_dict else "people")
        request.session.pop(SESSION_KEY, None)
        return redirect("web:report_saved", pk=training.pk)
    return render(request, "web/report_review.html", {
        "data": cleaned, "named": _named(cleaned), "number": len(forms.report_screens()), "total": len(forms.report_screens()),
        "steps": forms.STEPS, "photo_errors": photo_errors}, status=400 if photo_errors else 200)


def _named(cleaned) -> list[tuple[str, str]]:
    """The names of the people step, each with the gender of the box it was written in."""
    return [(name, gender) for field, gender in forms.StepPeopleForm.NAMES.items()
            for name in cleaned.get(field) or []]


@login_required
def report_saved(request, pk):
    """The trainer's confirmation of what she reported: it names her, so only for who may see its people."""
    training = get_object_or_404(access.people_trainings(request.user), pk=pk)
    sessions = training.sessions.select_related("manual_session")
    # The trainer's name only for readers who may see her (cascade.access), never for donors.
    trainer = access.visible_participations(request.user).filter(
        training=training, role=Participation.Role.FACILITATOR).select_related("person").first()
    from cascade.trainings import headcounts

    return render(request, "web/report_saved.html", {
        "training": training, "sessions": sessions, "counts": _training_counts(request.user, training),
        "attended": headcounts.attended(training),
        "photos": access.visible_photos(request.user).filter(training=training).count(),
        "trainer": trainer,
    })


def help_page(request):
    return render(request, "web/help.html", {"report_screens": forms.report_screens()})
