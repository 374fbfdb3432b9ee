"""The step-down report as an XLSForm, for ODK Collect and KoboCollect on phones that are offline.

The questions carry the names the importer reads (``trainer``, ``start_date``,
``end_date``, ``country``, ``city``, ``manual``, ``sessions``, ``women``, ``men``,
``other``, the repeat ``participants`` with ``name`` and ``gender``, ``photo1`` to
``photo3`` and ``consent``), so the export of any server maps onto the phone report.
Labels come from the project's translations, one ``label::Language (code)`` column a
language. The choice lists are CSV files beside the form (``select_one_from_file``),
written from the network's current data.

What a form on a phone may contain: anyone who picks up the phone can read its lists.
Trainers are therefore listed by their person key; their names are written only with
``--for USERNAME``, and only the names that account may see (``cascade.access``), for
a form meant for that account's phone.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from cascade.access import visible_people
from cascade.curriculum.models import Manual, ManualSession
from cascade.lib.translated import pick
from cascade.network.models import Country, Person
from cascade.trainings.models import Participation

FORM_ID = "cascade_step_down"
MEDIA = {"trainers": "trainers.csv", "countries": "countries.csv", "manuals": "manuals.csv",
         "sessions": "sessions.csv"}
#: Phones shrink photos before sending them: quicker over a weak connection, and within the upload limit.
PHOTO_SIZE = "max-pixels=2000"
GENDERS = (("woman", _("Woman")), ("man", _("Man")), ("other", _("Other or not stated")))

# type, name, label, extra columns
QUESTIONS = [
    ("select_one_from_file trainers.csv", "trainer", _("Who led the training"), {"required": "yes"}),
    ("date", "start_date", _("Date"), {"required": "yes"}),
    ("date", "end_date", _("Last day, if more than one day"), {
        "constraint": ". >= ${start_date}", "constraint_message": _("The last day is before the first day.")}),
    ("select_one_from_file countries.csv", "country", _("Country"), {"required": "yes"}),
    ("text", "city", _("Town or village"), {"required": "yes"}),
    ("select_one_from_file manuals.csv", "manual", _("Manual you used"), {}),
    ("select_multiple_from_file sessions.csv", "sessions", _("Sessions you delivered"), {
        "choice_filter": "manual=${manual}", "relevant": "${manual} != ''"}),
    ("integer", "women", _("Women"), {"required": "yes", "constraint": ". >= 0", "default": "0"}),
    ("integer", "men", _("Men"), {"required": "yes", "constraint": ". >= 0", "default": "0"}),
    ("integer", "other", _("Others or not stated"), {"constraint": ". >= 0", "default": "0"}),
    ("begin_repeat", "participants", _("Named participants"), {}),
    ("text", "name", _("Name"), {}),
    ("select_one gender", "gender", _("Gender"), {}),
    ("end_repeat", "", "", {}),
    ("image", "photo1", _("Photos of the training"), {"parameters": PHOTO_SIZE}),
    ("image", "photo2", _("Photos of the training"), {"parameters": PHOTO_SIZE}),
    ("image", "photo3", _("Photos of the training"), {"parameters": PHOTO_SIZE}),
    ("select_one yes_no", "consent", _("Everyone recognisable agreed that the photo may be shown"), {
        "relevant": "${photo1} != '' or ${photo2} != '' or ${photo3} != ''"}),
]
TRANSLATED_EXTRAS = ("constraint_message",)


def language_columns(prefix: str = "label") -> list[tuple[str, str]]:
    """``(column, language code)`` for every language of the site: ``label::Русский (ru)``."""
    return [(f"{prefix}::{name} ({code})", code) for code, name in settings.LANGUAGES]


def _in_every_language(text) -> list[str]:
    values = []
    for _column, code in language_columns():
        with translation.override(code):
            values.append(str(text) if text else "")
    return values


def trainers(user=None):
    """The people a step-down can name as its trainer: whoever led or completed a training."""
    people = Person.objects.filter(erased_at__isnull=True, participations__in=Participation.objects.filter(
        role__in=[Participation.Role.FACILITATOR, Participation.Role.PARTICIPANT])).distinct().order_by("key")
    if user is not None:
        people = people.filter(pk__in=visible_people(user).values("pk"))
    return people


def write(path: Path, user=None) -> list[Path]:
    """Write the form at ``path`` and its CSV lists beside it; return every file written."""
    path = Path(path)
    columns = language_columns()
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    extra = ["required", "constraint", "constraint_message", "relevant", "choice_filter", "default", "parameters"]
    header = ["type", "name", *[c for c, _code in columns]]
    for name in extra:
        header += [f"{name}::{lang}" for lang in [c.split("::", 1)[1] for c, _code in columns]] \
            if name in TRANSLATED_EXTRAS else [name]
    survey.append(header)
    for kind, name, label, options in QUESTIONS:
        row = [kind, name, *_in_every_language(label)]
        for option in extra:
            value = options.get(option, "")
            row += _in_every_language(value) if option in TRANSLATED_EXTRAS else [value]
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *[c for c, _code in columns]])
    for value, label in GENDERS:
        choices.append(["gender", value, *_in_every_language(label)])
    for value, label in (("yes", _("Yes")), ("no", _("No"))):
        choices.append(["yes_no", value, *_in_every_language(label)])
    form_settings = book.create_sheet("settings")
    form_settings.append(["form_title", "form_id", "version", "default_language"])
    with translation.override(settings.LANGUAGES[0][0]):
        form_settings.append([str(_("Report a step-down")), FORM_ID, _version(), columns[0][0].split("::", 1)[1]])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    written = [path]
    for list_name, rows in _lists(user).items():
        target = path.parent / MEDIA[list_name]
        extra_columns = ["manual"] if list_name == "sessions" else []
        with target.open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(["name", *[c for c, _code in columns], *extra_columns])
            out.writerows(rows)
        written.append(target)
    return written


def _version() -> str:
    from django.utils import timezone

    return timezone.now().strftime("%Y%m%d%H%M")


def _lists(user) -> dict[str, list[list[str]]]:
    codes = [code for _column, code in language_columns()]
    may_see = set(visible_people(user).values_list("pk", flat=True)) if user is not None else set()
    people = [[p.key, *[(p.full_name if p.pk in may_see else p.key) for _code in codes]] for p in trainers(user)]
    countries = []
    for country in Country.objects.order_by("code"):
        names = []
        for code in codes:
            with translation.override(code):
                names.append(country.name)
        countries.append([country.code, *names])
    manuals = [[m.key, *[pick(m.title, code) or m.key for code in codes]] for m in Manual.objects.order_by("key")]
    sessions = [[session_key(s), *[f"{s.number}. {pick(s.title, code)}" for code in codes], s.manual.key]
                for s in ManualSession.objects.select_related("manual").order_by("manual__key", "number")]
    return {"trainers": people, "countries": countries, "manuals": manuals, "sessions": sessions}


def session_key(session) -> str:
    """A manual session in the form: its manual's key and its number, ``leading-to-choices-3``."""
    return f"{session.manual.key}-{session.number}"
