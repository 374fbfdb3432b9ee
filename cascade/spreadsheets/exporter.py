"""Write workbooks: the empty template, and the whole network in the import format.

Both stream (openpyxl write-only mode), so the export of a large network stays
within a few hundred megabytes.
"""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font

from cascade import access
from cascade.lib.pseudonyms import pseudonym
from cascade.audit import services as audit
from cascade.curriculum.models import Edition, Manual, ManualSession
from cascade.jobs.progress import Progress
from cascade.network.models import Membership, Organization, Person
from cascade.spreadsheets.schema import (
    INSTRUCTIONS_SHEET, LIST_SEPARATOR, SHEETS, SHEETS_BY_NAME, TITLE_PREFIX, label_of, neutralise, sheet_label,
)
from cascade.trainings.models import Participation, Training, TrainingSession

_BOLD = Font(bold=True)
#: A sheet's progress is told every this many rows (a row costs microseconds; telling it costs more).
PROGRESS_EVERY = 1000
WRITING = gettext_lazy("Writing the file")


def write_template(path, labelled: bool | None = None) -> None:
    """An empty workbook: one sheet per table with its header row, and the instructions.

    ``labelled``: sheets and columns named by their labels in the active language (``Full name``,
    ``ФИО``...), which the importer reads back in any language; by default, when the active
    language is not English. Otherwise by the schema's names (``full_name``), as the export writes them.
    """
    if labelled is None:
        labelled = (translation.get_language() or "en").split("-")[0] != "en"
    book = Workbook(write_only=True)
    _instructions(book, labelled)
    for sheet in SHEETS:
        _sheet(book, sheet.name, (), labelled=labelled)
    book.save(path)


def export_workbook(path, user=None, pseudonymise=False, progress: Progress | None = None) -> dict[str, int]:
    """Everything ``user`` may see (everything when run by the operator, ``user=None``).

    ``pseudonymise``: people appear as stable keyed pseudonyms, without name, city or
    contacts (``cascade.lib.pseudonyms``), for sharing with evaluators.

    Edition files stay out: a workbook holds each edition's language, title, year and link only.

    ``progress`` hears of each sheet as it is written (rows done of the sheet's rows).

    Returns the number of rows written per sheet.
    """
    progress = progress or Progress()
    if user is None:  # the operator, who holds the database anyway
        organizations, people, trainings = Organization.objects.all(), Person.objects.all(), Training.objects.all()
        participations = Participation.objects.all()
    else:
        organizations, trainings = access.visible_organizations(user), access.visible_trainings(user)
        people = access.visible_people(user) if access.can_export_people(user) else Person.objects.none()
        participations = access.visible_participations(user).filter(training__in=trainings, person__in=people)

    book = Workbook(write_only=True)
    _instructions(book)
    counts = {}
    organization_rows = list(organizations.order_by("key"))
    name_columns = [
        (field, code, f"{base}_{code}")
        for base, field in (("name", "names"), ("short_name", "short_names"))
        for code in sorted({code for o in organization_rows for code, text in getattr(o, field).items() if text})
    ]
    counts["organizations"] = _sheet(book, "organizations", (
        (o.key, o.name, o.kind, o.country_id, o.city, o.short_name,
         *(getattr(o, field).get(code) or None for field, code, _column in name_columns))
        for o in organization_rows
    ), extra_columns=[column for _field, _code, column in name_columns], progress=progress,
        total=len(organization_rows))
    counts["people"] = _sheet(
        book, "people", (
            (pseudonym("person", p.key), "", p.gender, p.country_id, "",
             p.organization.key if p.organization_id else None, "", "") if pseudonymise else
            (p.key, p.full_name, p.gender, p.country_id, p.city,
             p.organization.key if p.organization_id else None, p.email, p.phone)
            for p in people.select_related("organization").order_by("key").iterator(chunk_size=2000)
        ),
        progress=progress, total=people.count(),
    )

    manuals = list(Manual.objects.order_by("key"))
    languages_of: dict[int, list[str]] = {}
    for manual_id, language in Edition.objects.order_by("language").values_list("manual_id", "language"):
        languages_of.setdefault(manual_id, [])
        if language not in languages_of[manual_id]:
            languages_of[manual_id].append(language)
    extra = _title_languages((m.title, "en") for m in manuals)
    counts["manuals"] = _sheet(
        book, "manuals", (
            (m.key, _titles(m.title, "en", extra), LIST_SEPARATOR.join(languages_of.get(m.pk, [])))
            for m in manuals
        ),
        extra_titles=extra, progress=progress, total=len(manuals),
    )

    training_rows = list(
        trainings.select_related("host", "source_training")
        .prefetch_related("co_organisers", "manuals").order_by("start_date", "key")
    )
    extra = _title_languages((t.title, t.language or "en") for t in training_rows)
    counts["trainings"] = _sheet(book, "trainings", (
        (
            t.key, _titles(t.title, t.language or "en", extra), t.kind, t.start_date, t.end_date,
            t.country_id, t.city, t.host.key if t.host else None,
            LIST_SEPARATOR.join(sorted(o.key for o in t.co_organisers.all())), t.language,
            LIST_SEPARATOR.join(sorted(m.key for m in t.manuals.all())),
            t.source_training.key if t.source_training else None,
            t.women_count, t.men_count, t.other_count,
        )
        for t in training_rows
    ), extra_titles=extra, progress=progress, total=len(training_rows))

    counts["participants"] = _sheet(book, "participants", (
        (training, pseudonym("person", person) if pseudonymise else person, role, "yes" if completed else "no")
        for training, person, role, completed in participations.order_by("training__key", "person__key", "role")
        .values_list("training__key", "person__key", "role", "completed").iterator(chunk_size=5000)
    ), progress=progress, total=participations.count())

    person_key = (lambda key: pseudonym("person", key)) if pseudonymise else (lambda key: key)
    # A role names its holder ("President of SWRC"): a pseudonymised export leaves roles out.
    memberships = [] if pseudonymise else list(
        Membership.objects.filter(person__in=people, organization__in=organizations)
        .select_related("person", "organization").order_by("person__key", "organization__key", "id")
    )
    extra = _title_languages((m.title, "en") for m in memberships)
    counts["memberships"] = _sheet(book, "memberships", (
        (person_key(m.person.key), m.organization.key, _titles(m.title, "en", extra), m.start_date, m.end_date)
        for m in memberships
    ), extra_titles=extra, progress=progress, total=len(memberships))

    manual_sessions = list(ManualSession.objects.select_related("manual").order_by("manual__key", "number"))
    extra = _title_languages((s.title, "en") for s in manual_sessions)
    part_languages = sorted({code for s in manual_sessions for code, text in (s.part_title or {}).items() if text})
    if part_languages and "en" not in part_languages:
        part_languages = sorted({*part_languages, "en"})
    counts["manual_sessions"] = _sheet(book, "manual_sessions", (
        (s.manual.key, s.number, _titles(s.title, "en", extra), s.part,
         _titles(s.part_title, "en", [])[0] if part_languages else None, s.kind,
         *((s.part_title or {}).get(code) or None for code in part_languages))
        for s in manual_sessions
    ), extra_titles=extra, extra_columns=[f"part_title_{code}" for code in part_languages],
        progress=progress, total=len(manual_sessions))

    counts["editions"] = _sheet(book, "editions", (
        (e.manual.key, e.language, e.variant, e.title, e.year, e.url)
        for e in Edition.objects.select_related("manual").order_by("manual__key", "language", "variant")
    ), progress=progress)

    agenda = list(
        TrainingSession.objects.filter(training__in=trainings)
        .select_related("training", "manual_session__manual")
        .prefetch_related(Prefetch("facilitators", queryset=people.only("key"), to_attr="exported_facilitators"))
        .order_by("training__key", "order", "id")
    )
    extra = _title_languages((s.title, s.training.language or "en") for s in agenda)
    counts["sessions"] = _sheet(book, "sessions", (
        (
            s.training.key, s.order, _titles(s.title, s.training.language or "en", extra), s.date,
            s.manual_session.manual.key if s.manual_session else None,
            s.manual_session.number if s.manual_session else None,
            LIST_SEPARATOR.join(sorted(person_key(p.key) for p in s.exported_facilitators)),
        )
        for s in agenda
    ), extra_titles=extra, progress=progress, total=len(agenda))
    progress.phase(WRITING)
    book.save(path)
    audit.log("cascade.export.pseudonymised" if pseudonymise else "cascade.export.written", user, None,
              file=str(path), rows=counts)
    return counts


def _title_languages(rows: Iterable[tuple[dict, str]]) -> list[str]:
    """Every language with a text, and every base language: (title, base) pairs in."""
    languages = set()
    for title, base in rows:
        languages.add(base)
        languages.update(code for code, text in (title or {}).items() if text)
    return sorted(languages)


def _titles(title: dict, base: str, extra: list[str]) -> tuple[str, list[str]]:
    """The title in ``base`` (or, lacking one, in any language), then one cell per language.

    A blank base-language cell tells the importer the title has no text in that language.
    """
    title = title or {}
    main = title.get(base) or next((text for text in title.values() if text), "")
    return main, [title.get(code) or None for code in extra]


def _sheet(book, name: str, rows: Iterator[tuple], extra_titles: list[str] | None = None,
           extra_columns: list[str] = (), progress: Progress | None = None, total: int | None = None,
           labelled: bool = False) -> int:
    """Write a sheet in the schema's column order.

    With ``extra_titles``, a row's item under the title column is a (title, [extra titles])
    pair: the title goes in the title column, the others in title_<lang> columns after the
    schema's columns. ``extra_columns`` are further header cells (name_ru...) whose values
    end each row.
    """
    progress = progress or Progress()
    progress.phase(_("Writing the sheet “%(sheet)s”") % {"sheet": name}, total=total)
    sheet = book.create_sheet(str(sheet_label(name)) if labelled else name)
    spec = SHEETS_BY_NAME[name]
    required = set(spec.required)
    header = [*spec.column_names, *(TITLE_PREFIX + code for code in extra_titles or ()), *extra_columns]
    cells = []
    for column in header:
        cell = WriteOnlyCell(sheet, value=str(label_of(column)) if labelled else column)
        cell.font = _BOLD
        if labelled:
            cell.comment = Comment(f"{column}. {_('Required.')}" if column in required else column, "Cascade")
        elif column in required:
            cell.comment = Comment(_("Required."), "Cascade")
        cells.append(cell)
    sheet.append(cells)
    written = 0
    at, width = (spec.column_names.index("title") if "title" in spec.column_names else None), len(spec.columns)
    for row in rows:
        if extra_titles is not None:
            main, extras = row[at]
            row = (*row[:at], main, *row[at + 1:width], *extras, *row[width:])
        sheet.append([neutralise(value) if isinstance(value, str) else value for value in row])
        written += 1
        if written % PROGRESS_EVERY == 0:
            progress.update(written)
    progress.update(written)
    return written


def _instructions(book, labelled: bool = False) -> None:
    sheet = book.create_sheet(str(sheet_label(INSTRUCTIONS_SHEET)) if labelled else INSTRUCTIONS_SHEET)
    header = [_("sheet"), _("column"), _("required"), _("what to write")]
    sheet.append([_bold(sheet, text) for text in header])
    sheet.append(["", "", "", _(
        "Fill in the sheets you need and leave the others empty. Each row needs its key; "
        "importing a row whose key already exists updates it. Dates as 2019-01-10; lists separated by ;. "
        "Nothing is saved unless the whole workbook is correct."
    )])
    sheet.append(["", "", "", _(
        "Also accepted: dates as 15.01.2019 or 15 January 2019 (not 01/02/2019, which could be either of two days); "
        "yes and no as true/false, 1/0, да/нет, ИСТИНА/ЛОЖЬ, иә/жоқ, ооба/жок, ha/yo'q, ҳа/не; countries by "
        "name in any of Cascade's languages; column names in any of them; a title row above the header. "
        "Rows and sheets you hide are left out unless you ask for them."
    )])
    for spec in SHEETS:
        title = str(sheet_label(spec.name)) if labelled else spec.name
        sheet.append([_bold(sheet, title), "", "", str(spec.help)])
        for column in spec.columns:
            sheet.append([title, str(label_of(column.name)) if labelled else column.name,
                          _("yes") if column.required else "", str(column.help)])
        if spec.translated_title:
            sheet.append([title, TITLE_PREFIX + "ru", "", _(
                "Optional: the title in another language, one column per language (title_ru, title_kk, ...)."
            )])
        for base in spec.translated_names:
            sheet.append([title, f"{base}_ru", "", _(
                "Optional: the %(column)s as written in another language, one column per language "
                "(%(column)s_ru, %(column)s_kk, ...); left out, the %(column)s column is used."
            ) % {"column": base}])


def _bold(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = _BOLD
    return cell
