"""The spreadsheet format: sheets, columns and what each column means.

One declaration serves the template, the instructions sheet, the importer, the
exporter and docs/import-format.md, so they cannot drift apart.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cascade.lib.sheets import FORMULA_STARTS

INSTRUCTIONS_SHEET = "instructions"
LIST_SEPARATOR = ";"
#: Optional per-language title columns, such as ``title_ru``.
TITLE_PREFIX = "title_"

# A cell starting with one of FORMULA_STARTS is a formula to a spreadsheet program (cascade.lib.sheets).
# The apostrophe is included so that neutralising can be undone exactly.
_ESCAPED_STARTS = FORMULA_STARTS | {"'"}

# yes/no as typed in English, by Russian Excel (ИСТИНА/ЛОЖЬ) and in the region's languages
# (ru, kk, ky, uz in Latin and Cyrillic, tg, ka, ar, fa); compared in lower case.
YES = ("yes", "y", "true", "1", "истина", "да", "иә", "ия", "ооба", "ha", "ҳа", "ха", "бале", "კი", "نعم", "بله",
       "آری")
NO = ("no", "n", "false", "0", "ложь", "нет", "жоқ", "жок", "yo'q", "yoʻq", "yo‘q", "йўқ", "йук", "не",
      "არა", "لا", "خیر", "نه")


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]
    #: Accepts optional ``title_<lang>`` columns.
    translated_title: bool = False
    #: Columns that accept optional ``<column>_<lang>`` companions, such as ``name_ru``.
    translated_names: tuple[str, ...] = ()
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


KEY_HELP = _(
    "Your own identifier for the row, such as swrc or inst-2019-shymkent. "
    "Importing a row with a key that already exists updates it."
)
COUNTRY_HELP = _("Two-letter ISO country code, such as KZ, KG or GE.")

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "organizations",
        _("Partners, co-organisers, funders and other organisations."),
        (
            Column("key", KEY_HELP, required=True),
            Column("name", _("The organisation's full name."), required=True),
            Column("kind", _("One of: partner, co-organiser, funder, other."), required=True),
            Column("country", COUNTRY_HELP, required=True),
            Column("city", _("City, in any language.")),
            Column("short_name", _("A short name or acronym, such as SWRC or OSCE.")),
        ),
        translated_names=("name", "short_name"),
    ),
    Sheet(
        "people",
        _("Participants, facilitators and organisers. Contact details stay private."),
        (
            Column("key", KEY_HELP, required=True),
            Column("full_name", _("The person's full name."), required=True),
            Column("gender", _("One of: woman, man, other, not stated. Blank means not stated.")),
            Column("country", COUNTRY_HELP),
            Column("city", _("City, in any language.")),
            Column("organization", _("The key of the person's organisation (this workbook or already in Cascade).")),
            Column("email", _("Email address.")),
            Column("phone", _("Phone number.")),
        ),
    ),
    Sheet(
        "manuals",
        _("The curricula trainings follow, such as Leading to Choices."),
        (
            Column("key", KEY_HELP, required=True),
            Column("title", _("The manual's title in English; add columns such as title_ru for other languages."), required=True),
            Column("languages", _("Language codes of its editions, separated by ; such as en;ru;ky.")),
        ),
        translated_title=True,
    ),
    Sheet(
        "trainings",
        _("Institutes and the step-down trainings that grew from them."),
        (
            Column("key", KEY_HELP, required=True),
            Column("title", _("The title in the training's working language (English when none); add columns such as title_ru for other languages."), required=True),
            Column("kind", _("institute or step-down."), required=True),
            Column("start_date", _("First day, as 2019-01-10 or a spreadsheet date."), required=True),
            Column("end_date", _("Last day; blank for a one-day training.")),
            Column("country", COUNTRY_HELP, required=True),
            Column("city", _("City, in any language.")),
            Column("host", _("The key of the host organisation.")),
            Column("co_organisers", _("Keys of co-organising organisations, separated by ;.")),
            Column("language", _("The working language's code, such as ru or kk.")),
            Column("manuals", _("Keys of the manuals used, separated by ;.")),
            Column("source_training", _("The key of the training that prepared its facilitators, when known.")),
            Column("women_count", _("Women who attended without being named (a whole number, 0 or more).")),
            Column("men_count", _("Men who attended without being named (a whole number, 0 or more).")),
            Column("other_count", _("Others who attended without being named (a whole number, 0 or more).")),
        ),
        translated_title=True,
    ),
    Sheet(
        "participants",
        _("Who took part in which training, and in what role. One row per person, role and training."),
        (
            Column("training", _("The training's key."), required=True),
            Column("person", _("The person's key."), required=True),
            Column("role", _("One of: participant, facilitator, organiser."), required=True),
            Column("completed", _("yes or no; blank means yes.")),
        ),
    ),
    Sheet(
        "memberships",
        _("People's roles in organisations, such as the president of a partner. One row per person and organisation."),
        (
            Column("person", _("The person's key."), required=True),
            Column("organization", _("The organisation's key."), required=True),
            Column("title", _("The role in English, such as President; add columns such as title_ru for other languages.")),
            Column("start_date", _("Since when, as 2019-01-10 or a spreadsheet date.")),
            Column("end_date", _("Until when; blank while it lasts.")),
        ),
        translated_title=True,
    ),
    Sheet(
        "manual_sessions",
        _("The sessions of a manual, in the manual's order. One row per manual and number."),
        (
            Column("manual", _("The manual's key."), required=True),
            Column("number", _("The session's number in the manual (a whole number, 1 or more)."), required=True),
            Column("title", _("The session's title in English; add columns such as title_ru for other languages."), required=True),
            Column("part", _("The part of the manual it belongs to, such as 1 or II.")),
            Column("part_title", _("The part's title in English; add columns such as part_title_ru for other languages.")),
            Column("kind", _("One of: case study, scenario, roleplay, discussion, exercise, other. Blank means other.")),
        ),
        translated_title=True,
        translated_names=("part_title",),
    ),
    Sheet(
        "editions",
        _("A manual's editions, one per language (and variant). Files cannot travel in a workbook: upload them in the admin."),
        (
            Column("manual", _("The manual's key."), required=True),
            Column("language", _("The edition's language code, such as ru or ky."), required=True),
            Column("variant", _("For a language with several editions, such as Maghrebi; blank otherwise.")),
            Column("title", _("The manual's title in this edition's language.")),
            Column("year", _("The year it was published, such as 2012.")),
            Column("url", _("A link to the edition online, starting with https://.")),
        ),
    ),
    Sheet(
        "sessions",
        _("Each training's agenda: its sessions in order, and the manual session each follows. One row per training and order."),
        (
            Column("training", _("The training's key."), required=True),
            Column("order", _("The session's place in the agenda (a whole number, 0 or more)."), required=True),
            Column("title", _("The title in the training's working language (English when none); add columns such as title_ru for other languages.")),
            Column("date", _("The day, as 2019-01-10 or a spreadsheet date.")),
            Column("manual", _("The key of the manual the session follows, with session_number.")),
            Column("session_number", _("The number of the manual's session it follows (see manual_sessions).")),
            Column("facilitators", _("Keys of the people who led it, separated by ;.")),
        ),
        translated_title=True,
    ),
)

SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}

#: Each column's label, as the template writes it in the user's language (and the importer accepts
#: in every language): one label per column name, whatever the sheet.
LABELS = {
    "key": _("Key"),
    "name": _("Name"),
    "kind": _("Kind"),
    "country": _("Country"),
    "city": _("City"),
    "short_name": _("Short name"),
    "full_name": _("Full name"),
    "gender": _("Gender"),
    "organization": _("Organisation"),
    "email": _("Email"),
    "phone": _("Phone"),
    "title": _("Title"),
    "languages": _("Languages"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "host": _("Host"),
    "co_organisers": _("Co-organisers"),
    "language": _("Language"),
    "manuals": _("Manuals"),
    "source_training": _("Source training"),
    "women_count": _("Women (unnamed)"),
    "men_count": _("Men (unnamed)"),
    "other_count": _("Others (unnamed)"),
    "training": _("Training"),
    "person": _("Person"),
    "role": _("Role"),
    "completed": _("Completed"),
    "manual": _("Manual"),
    "number": _("Number"),
    "part": _("Part"),
    "part_title": _("Part title"),
    "variant": _("Variant"),
    "year": _("Year"),
    "url": _("Web address"),
    "order": _("Order"),
    "date": _("Date"),
    "session_number": _("Session number"),
    "facilitators": _("Facilitators"),
}
#: Sheet names as the template writes them in the user's language (the English names always work).
SHEET_LABELS = {
    "organizations": _("Organisations"),
    "people": _("People"),
    "manuals": _("Manuals"),
    "trainings": _("Trainings"),
    "participants": _("Participants"),
    "memberships": _("Roles"),
    "manual_sessions": _("Manual sessions"),
    "editions": _("Editions"),
    "sessions": _("Agendas"),
    INSTRUCTIONS_SHEET: _("Instructions"),
}


def label_of(column: str):
    return LABELS.get(column, column)


def sheet_label(sheet: str):
    return SHEET_LABELS.get(sheet, sheet)


def neutralise(value: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (undone by :func:`cell_text`)."""
    if value and value[0] in _ESCAPED_STARTS:
        return "'" + value
    return value


def cell_text(value) -> str:
    """A cell as stripped text; numbers as typed, an exported apostrophe removed."""
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    value = value.strip()
    if value[:1] == "'" and value[1:2] in _ESCAPED_STARTS:
        return value[1:]
    return value
