"""Offline submissions in, as step-downs: the phone report's validation and service.

A submission is a flat mapping of answers as a server exports it: KoboToolbox's API v2
JSON (``group/question`` paths, repeats as lists), or ODK Central's OData turned flat
by :mod:`cascade.offline.servers`. Questions are found by the last part of their path,
so the form's groups do not matter. Each submission is checked with the forms of the
phone report (``cascade.web.forms``) and saved by ``report_step_down``; one that fails
is refused with its reason and nothing of it is written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cascade.access import require, visible_people
from cascade.access.rules import is_operator
from cascade.audit import services as audit
from cascade.curriculum.models import Manual
from cascade.network.models import Person
from cascade.trainings.models import Participation

from .models import Submission
from .records import answers, ids

GENDER_FIELDS = {"woman": "women_names", "man": "men_names", "other": "other_names"}


@dataclass
class Outcome:
    """What an import did: trainings created and updated, submissions unchanged, and refusals."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (root uuid, reason)


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def import_records(actor, records: list[dict], photo_source=None) -> Outcome:
    """Import every submission on its own: the good ones go in, a bad one is refused whole.

    ``photo_source(record, filename)`` returns the bytes of an attached photo (a file
    beside the export, or a download from the server), or None when it is missing.
    """
    require("trainings.create", actor)
    outcome = Outcome()
    latest = {}
    for record in records:  # one export may hold several versions: the newest wins
        root, _instance = ids(record)
        if root and (root not in latest or _time(record) >= _time(latest[root])):
            latest[root] = record
    for number, record in enumerate(records, start=1):
        root, instance = ids(record)
        if not root:
            outcome.refused.append((f"#{number}", _("The submission has no meta/instanceID.")))
            continue
        if latest.get(root) is not record:
            continue
        try:
            verdict, training = import_one(actor, record, photo_source)
        except Refused as refusal:
            outcome.refused.append((root, refusal.reason))
            continue
        getattr(outcome, verdict).append(training.key)
    return outcome


def _time(record: dict) -> datetime.datetime:
    moment = parse_datetime(str(record.get("_submission_time") or "")) or datetime.datetime.min
    return moment.replace(tzinfo=None)


@transaction.atomic
def import_one(actor, record: dict, photo_source=None):
    """Import one submission: ("created" | "updated" | "unchanged", training), or raise Refused."""
    root, instance = ids(record)
    existing = Submission.objects.select_related("training").filter(root_uuid=root).first()
    if existing is not None and (existing.instance_id == instance or instance in existing.earlier):
        return "unchanged", existing.training
    report = _validated(actor, answers(record), record, photo_source)
    require("trainings.report", actor, report["trainer"])
    from cascade.web import services

    try:
        with transaction.atomic():
            key = _replace(actor, existing) if existing is not None else None
            earlier = [*existing.earlier, existing.instance_id] if existing is not None else []
            training = services.report_step_down(actor, **report)
            if key:  # the edit keeps the step-down's key: spreadsheets and links still find it
                training.key = key
                training.save(update_fields=["key"])
    except PermissionDenied as denied:
        raise Refused(_("trainer: %(reason)s") % {"reason": denied}) from None
    except ValidationError as error:
        raise Refused(_describe(error)) from None
    submitted = parse_datetime(str(record.get("_submission_time") or ""))
    if submitted is not None and timezone.is_naive(submitted):
        submitted = timezone.make_aware(submitted, datetime.UTC)
    Submission.objects.create(
        root_uuid=root, instance_id=instance, training=training, submitted_at=submitted,
        people=list(training.participations.filter(role=Participation.Role.PARTICIPANT)
                    .values_list("person_id", flat=True)),
        photos=list(training.photos.values_list("pk", flat=True)), earlier=earlier)
    verdict = "created" if existing is None else "updated"
    audit.log(f"cascade.submission.{verdict}", actor, training, root_uuid=root, instance_id=instance)
    return verdict, training


def _replace(actor, existing: Submission) -> str:
    """Before an edit: take off the step-down of the earlier version, and the people it created
    (those in no other training). Returns its key for the new version."""
    old = existing.training
    require("trainings.change", actor, old)
    key, created = old.key, list(existing.people)
    from cascade.web.services import delete_training

    delete_training(old, actor)  # the submission's row goes with it
    Person.objects.filter(pk__in=created, participations__isnull=True).delete()
    return key


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)


def _validated(actor, given: dict, record: dict, photo_source) -> dict:
    """The arguments of ``report_step_down``, checked by the phone report's forms; or Refused naming the field."""
    from cascade.web import forms

    people = Person.objects.filter(erased_at__isnull=True) if is_operator(actor) else visible_people(actor)
    trainer = people.filter(key=str(given.get("trainer") or "")).first()
    if trainer is None:
        raise Refused(_("trainer: no trainer has the key “%(key)s”.") % {"key": given.get("trainer") or ""})
    errors = {}
    when = forms.StepWhenForm({"trainer": trainer.pk, "start_date": given.get("start_date") or "",
                               "end_date": given.get("end_date") or "", "country": given.get("country") or "",
                               "city": given.get("city") or ""}, user=actor)
    when.fields["trainer"].queryset = people
    when.fields.pop("source_training")
    if not when.is_valid():
        errors.update(when.errors)
    manual = None
    if given.get("manual"):
        manual = Manual.objects.filter(key=str(given["manual"])).first()
        if manual is None:
            errors["manual"] = [_("No manual has the key “%(key)s”.") % {"key": given["manual"]}]
    sessions = []
    chosen = str(given.get("sessions") or "").split()
    if chosen and manual is None and "manual" not in errors:
        errors["sessions"] = [_("Sessions are chosen without a manual.")]
    elif chosen and manual is not None:
        by_key = {f"{manual.key}-{s.number}": s for s in manual.sessions.all()}
        unknown = [key for key in chosen if key not in by_key]
        if unknown:
            errors["sessions"] = [_("%(manual)s has no session %(keys)s.") % {
                "manual": manual.key, "keys": ", ".join(unknown)}]
        sessions = [by_key[key] for key in chosen if key in by_key]
    named = {"women_names": [], "men_names": [], "other_names": []}
    for item in given.get("participants") or []:
        name = str(item.get("name") or "").strip()
        if name:
            named[GENDER_FIELDS.get(str(item.get("gender") or ""), "other_names")].append(name)
    people_form = forms.StepPeopleForm({
        "women": given.get("women") or 0, "men": given.get("men") or 0, "other": given.get("other") or 0,
        **{field: "\n".join(names) for field, names in named.items()}})
    if not people_form.is_valid():
        errors.update({("participants" if name == "__all__" else name): messages
                       for name, messages in people_form.errors.items()})
    cleaned_photos = _photos(given, record, photo_source, errors)
    if errors:
        raise Refused("; ".join(f"{_('submission') if name == '__all__' else name}: {' '.join(messages)}"
                                for name, messages in errors.items()))
    data = {**when.cleaned_data, **people_form.cleaned_data}
    consent = str(given.get("consent") or "") == "yes"
    return {
        "trainer": trainer, "start_date": data["start_date"], "end_date": data.get("end_date"),
        "country": data["country"], "city": data["city"], "manual": manual, "sessions": sessions,
        "women": data["women"], "men": data["men"], "other": data.get("other") or 0,
        "names": people_form.named(), "photos": cleaned_photos, "shows_people": True,
        "consent_recorded": consent, "source_training": _source(actor, trainer, data["start_date"]),
    }


def _source(actor, trainer, start):
    """Where the trainer trained, as the phone report pre-selects it."""
    from cascade.access import report_sources
    from cascade.trainings.sources import preferred

    return preferred(report_sources(actor, trainer, before=start))


def _photos(given: dict, record: dict, photo_source, errors: dict) -> list:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cascade.photos.services import clean_image

    cleaned = []
    for question in ("photo1", "photo2", "photo3"):
        filename = str(given.get(question) or "")
        if not filename:
            continue
        data = photo_source(record, filename) if photo_source else None
        if data is None:
            errors[question] = [_("the photo %(file)s is not in the export.") % {"file": filename}]
            continue
        try:
            cleaned.append(clean_image(SimpleUploadedFile(filename, data)))
        except ValidationError as error:
            errors[question] = error.message_dict.get("image", error.messages)
    return cleaned
