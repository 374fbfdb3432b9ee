"""What the API shows of each record, and the step-down report's input (checked by the phone report's forms)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from cascade import access
from cascade.curriculum.models import Manual


def place_json(place) -> dict | None:
    """A place as the API gives it: its name in the request's language, every name, its GeoNames ID."""
    if place is None:
        return None
    return {"name": place.name_in(), "names": {"en": place.name, **(place.names or {})},
            "geonames_id": place.geonames_id}


class PlaceField(serializers.SerializerMethodField):
    """``place``: where ``city`` (kept as typed) points, named in the request's language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "the place the city names: {\"name\": in the request's language, "
                                       "\"names\": {language: name}, \"geonames_id\"}; null when none")
        super().__init__(method_name="get_place", **kwargs)


class TrainingSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.JSONField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    country = serializers.CharField(source="country_id", allow_null=True)
    city = serializers.CharField()
    place = PlaceField()
    host = serializers.SerializerMethodField()
    source_training = serializers.SerializerMethodField()
    manuals = serializers.SerializerMethodField()
    women_count = serializers.IntegerField(allow_null=True)
    men_count = serializers.IntegerField(allow_null=True)
    other_count = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField()

    reach = serializers.SerializerMethodField(help_text="people it reached (named and counted); for readers "
                                              "without exact figures a range such as \"<5\" or \"10–19\"")

    def to_representation(self, training):
        data = super().to_representation(training)
        if not self.context.get("exact"):  # one training's split by gender could be subtracted from its reach
            for name in ("women_count", "men_count", "other_count"):
                data.pop(name)
        return data

    def get_reach(self, training) -> str | int | None:
        return self.context.get("reach", {}).get(training.pk)

    def get_place(self, obj) -> dict | None:
        return place_json(obj.place)

    def get_host(self, training) -> str | None:
        return training.host.key if training.host_id else None

    def get_source_training(self, training) -> str | None:
        return training.source_training.key if training.source_training_id else None

    def get_manuals(self, training) -> list[str]:
        return [manual.key for manual in training.manuals.all()]


class PersonSerializer(serializers.Serializer):
    key = serializers.CharField()
    full_name = serializers.CharField()
    gender = serializers.CharField()
    country = serializers.CharField(source="country_id", allow_null=True)
    city = serializers.CharField()
    place = PlaceField()
    organization = serializers.SerializerMethodField()

    def get_place(self, obj) -> dict | None:
        return place_json(obj.place)

    def get_organization(self, person) -> str | None:
        return person.organization.key if person.organization_id else None


class PersonWithContactsSerializer(PersonSerializer):
    email = serializers.CharField()
    phone = serializers.CharField()


class SessionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    part = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.JSONField()


class EditionSerializer(serializers.Serializer):
    language = serializers.CharField()
    variant = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()


class ManualSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.JSONField()
    year = serializers.IntegerField(allow_null=True)
    isbn = serializers.CharField()
    sessions = SessionSerializer(many=True)
    editions = EditionSerializer(many=True)


def tree_json(tree) -> dict:
    def node(n) -> dict:
        t = n.training
        return {"key": t.key, "kind": t.kind, "generation": n.generation, "start_date": t.start_date,
                "country": t.country_id, "city": t.city, "place": place_json(t.place), "women_count": t.women_count, "men_count": t.men_count,
                "other_count": t.other_count, "children": [node(child) for child in n.children]}

    return {"size": tree.size, "truncated": tree.truncated, "roots": [node(root) for root in tree.roots]}


def job_json(job, request) -> dict:
    return {"id": str(job.pk), "kind": job.kind, "title": job.title, "state": job.state, "phase": job.phase,
            "done": job.done, "total": job.total, "result": job.result, "error": job.error,
            "created_at": job.created_at, "finished_at": job.finished_at,
            "page": request.build_absolute_uri(reverse("jobs:detail", args=[job.pk])),
            "result_url": request.build_absolute_uri(reverse("jobs:result", args=[job.pk])) if job.result_file else None}


class StepDownSerializer(serializers.Serializer):
    """The phone report's questions; checked by the phone report's own forms (cascade.web.forms)."""

    trainer = serializers.CharField(help_text="the key of the person who led it")
    source_training = serializers.CharField(required=False, allow_blank=True,
                                            help_text="the key of the training where she trained")
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    country = serializers.CharField(help_text="ISO code, e.g. KZ")
    city = serializers.CharField()
    manual = serializers.CharField(required=False, allow_blank=True, help_text="the manual's key")
    language = serializers.CharField(required=False, allow_blank=True)
    sessions = serializers.ListField(child=serializers.IntegerField(), required=False,
                                     help_text="numbers of the manual's sessions delivered")
    women = serializers.IntegerField(min_value=0)
    men = serializers.IntegerField(min_value=0)
    other = serializers.IntegerField(min_value=0, required=False, default=0)
    women_names = serializers.ListField(child=serializers.CharField(), required=False)
    men_names = serializers.ListField(child=serializers.CharField(), required=False)
    other_names = serializers.ListField(child=serializers.CharField(), required=False)

    def validate(self, data):
        from cascade.web import forms

        user = self.context["user"]
        errors = {}
        trainer = access.visible_people(user).filter(key=data["trainer"]).first()
        if trainer is None:
            raise serializers.ValidationError({"trainer": [_("No person you may see has this key.")]})
        source = None
        if data.get("source_training"):
            source = access.visible_trainings(user).filter(key=data["source_training"]).first()
            if source is None:
                raise serializers.ValidationError({"source_training": [_("No training you may see has this key.")]})
        when = forms.StepWhenForm({
            "trainer": trainer.pk, "source_training": source.pk if source else "",
            "start_date": data["start_date"].isoformat(),
            "end_date": data["end_date"].isoformat() if data.get("end_date") else "",
            "country": data["country"].upper(), "city": data["city"]}, user=user)
        manual = None
        if data.get("manual"):
            manual = Manual.objects.filter(key=data["manual"]).first()
            if manual is None:
                errors["manual"] = [_("No manual has this key.")]
        what = forms.StepManualForm({"manual": manual.pk if manual else "", "language": data.get("language", "")})
        sessions = []
        numbers = data.get("sessions") or []
        if numbers and manual is None:
            errors["sessions"] = [_("Sessions belong to a manual: give the manual too.")]
        elif numbers:
            found = {s.number: s for s in manual.sessions.filter(number__in=numbers)}
            missing = [str(n) for n in numbers if n not in found]
            if missing:
                errors["sessions"] = [_("The manual has no session numbered %s.") % ", ".join(missing)]
            sessions = [found[n] for n in numbers if n in found]
        people = forms.StepPeopleForm({
            "women": data["women"], "men": data["men"], "other": data.get("other") or 0,
            **{field: "\n".join(data.get(field) or []) for field in forms.StepPeopleForm.NAMES}})
        for form in (when, what, people):
            if not form.is_valid():
                for field, messages in form.errors.items():
                    errors.setdefault("non_field_errors" if field == "__all__" else field, []).extend(messages)
        if errors:
            raise serializers.ValidationError(errors)
        return {
            "trainer": trainer, "source_training": source, "start_date": when.cleaned_data["start_date"],
            "end_date": when.cleaned_data.get("end_date"), "country": when.cleaned_data["country"],
            "city": when.cleaned_data["city"], "manual": manual, "language": what.cleaned_data.get("language", ""),
            "sessions": sessions, "women": people.cleaned_data["women"], "men": people.cleaned_data["men"],
            "other": people.cleaned_data.get("other") or 0, "names": people.named(),
        }


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="an .xlsx, .xls, .ods or .csv workbook in the template's layout")
    dry_run = serializers.BooleanField(default=True, help_text="check only (true) or import (false)")
    include_hidden = serializers.BooleanField(default=False)
