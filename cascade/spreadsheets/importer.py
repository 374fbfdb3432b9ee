"""Import a workbook: validate every row, then write all of it or nothing.

Why not django-import-export: it works row by row through the ORM (far too slow
for a million participant rows) and resolves references one model at a time, not
across the sheets of one workbook.

Order: organisations, people, manuals and trainings are read whole (they are
small), checked against each other and the database, and written with the ORM.
Participants stream from the file once, are checked, and are kept as ids in
compact arrays. Only when the whole workbook is correct is it compared with the
database (``compare``: the rows to create, to change, and unchanged), and one short
transaction writes the rows to create or change (participants in batches through
one ``INSERT ... ON CONFLICT`` statement); unchanged rows are not written. A dry run
stops after the comparison: it writes nothing.
"""

import re
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from cascade.curriculum.models import Edition, Manual, ManualSession
from cascade.jobs.progress import Progress
from cascade.lib.names import is_known_language
from cascade.network.models import Country, Membership, Organization, Person
from cascade.spreadsheets import values as cell_values
from cascade.spreadsheets.compare import Changes, ChangesFile, Comparison
from cascade.spreadsheets.headers import unknown_column
from cascade.spreadsheets.reader import UnreadableFile, Workbook, reading_notes
from cascade.spreadsheets.schema import (
    INSTRUCTIONS_SHEET, LIST_SEPARATOR, SHEETS, SHEETS_BY_NAME, TITLE_PREFIX, cell_text,
)
from cascade.trainings.models import Participation, Training, TrainingSession, today

#: Beyond this many, errors are counted but not listed (a wrong file can have millions).
MAX_LISTED = 1000
BATCH = 10_000
#: A line of progress after this many participant rows (for the admin page that streams).
PROGRESS_EVERY = 50_000
#: The progress bar (a job's page, the terminal) moves after this many rows: often enough to
#: see, rarely enough to cost nothing next to checking the rows.
COUNT_EVERY = 1000
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}([-_][a-z0-9]{2,8})*$")
MODELS = {
    "organizations": Organization,
    "people": Person,
    "manuals": Manual,
    "trainings": Training,
}
#: Sheets whose rows are named by the keys of other rows (manual + number, ...), in the order
#: they are checked and written; each has a ``_clean_<name>`` and a ``_write_<name>``.
LINKED = ("memberships", "manual_sessions", "editions", "sessions")
PEOPLE_FIELDS = ["full_name", "gender", "country_id", "city", "organization_id", "email", "phone"]
SMALL_NUMBER = 32767  # the largest PositiveSmallIntegerField value on every database


@dataclass
class Problem:
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    dry_run: bool
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error_count: int = 0
    #: rows to create, change and leave alone, per sheet (``compare``)
    changes: Changes = field(default_factory=Changes)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def counts(self) -> dict:
        """sheet -> {"created": n, "changed": n, "unchanged": n}"""
        return self.changes.counts

    @property
    def unlisted_errors(self) -> int:
        return self.error_count - len(self.errors)

    def summary(self) -> list[str]:
        """One line per sheet, in the user's language."""
        lines = []
        for sheet in SHEETS:
            if sheet.name not in self.counts:
                continue
            counts = self.counts[sheet.name]
            if self.dry_run:
                text = ngettext(
                    "%(sheet)s: %(created)d row to create", "%(sheet)s: %(created)d rows to create", counts["created"],
                ) + _(", %(changed)d to change, %(unchanged)d unchanged")
            else:
                text = ngettext(
                    "%(sheet)s: %(created)d row created", "%(sheet)s: %(created)d rows created", counts["created"],
                ) + _(", %(changed)d changed, %(unchanged)d unchanged")
            lines.append(text % {"sheet": sheet.name, **counts})
        return lines


def import_workbook(path, dry_run: bool = False, progress: Progress | None = None, scope=None,
                    changes_to=None, include_hidden: bool = False, actor=None) -> ImportResult:
    """Import the workbook, folder or zip at ``path``; see docs/import-format.md.

    ``progress`` hears each phase (a sheet read, checked, compared; writing) with rows done of total.
    ``scope`` (``cascade.access.import_scope``) refuses the rows a partner's staff may not write;
    ``changes_to()``, if given, names the .xlsx to list every compared row in (asked only once
    the workbook is correct). Hidden sheets and rows are listed as warnings and left out, unless
    ``include_hidden``. ``actor`` (checked by the service) adds the places the cities name.
    """
    return _Import(dry_run, progress, scope, changes_to, include_hidden, actor).run(path)


def import_in_steps(path, dry_run: bool = False, progress: Progress | None = None, scope=None,
                    changes_to=None, include_hidden: bool = False, actor=None) -> tuple[Iterator[str], ImportResult]:
    """The same import as lines of progress to iterate; the result is complete once they end."""
    run = _Import(dry_run, progress, scope, changes_to, include_hidden, actor)
    return run.steps(path), run.result


class _Import(Comparison):
    def __init__(self, dry_run: bool, progress: Progress | None = None, scope=None, changes_to=None,
                 include_hidden: bool = False, actor=None):
        self.result = ImportResult(dry_run=dry_run)
        self.actor = actor
        self.places: dict[tuple[str, str], object] = {}  # (city, country) -> Place, gazetteer entry or None
        self.include_hidden = include_hidden
        self.changes = self.result.changes
        self.scope = scope
        self.changes_to = changes_to
        self.warned_erased: set[tuple[str, int]] = set()
        self.progress = progress or Progress()
        self._former_keys: set[str] | None = None  # hashed keys of erased people, read once
        # key -> database id, for rows in the database and, once written, in the workbook
        self.ids: dict[str, dict[str, int]] = {}
        # keys the workbook defines, sheet -> {key: row number}
        self.defined: dict[str, dict[str, int]] = {}
        self.countries: set[str] = set()
        # (manual key, number) -> ManualSession id; the workbook's own get a stand-in until written
        self.manual_sessions: dict[tuple[str, int], int] = {}
        # (manual key, language) pairs the editions sheet holds: the manuals sheet leaves those alone
        self.edition_languages: set[tuple[str, str]] = set()
        # what the checks accepted, written in one transaction afterwards
        self.cleaned: dict[str, list] = {}
        self.linked: dict[str, list] = {}
        self.stand_ins: dict[str, dict[str, int]] = defaultdict(dict)
        self.participants: _Participants | None = None
        # people prepared outside the write transaction (see _prepare_people)
        self.people_inserts: list[tuple[str, list]] = []
        self.people_inserted: list[str] = []

    # -- problems -------------------------------------------------------------
    def error(self, sheet, row, column, message):
        self.result.error_count += 1
        if len(self.result.errors) < MAX_LISTED:
            self.result.errors.append(Problem(sheet, row, column, message))

    def warn(self, sheet, row, column, message):
        self.result.warnings.append(Problem(sheet, row, column, message))

    # -- the whole import -----------------------------------------------------
    def run(self, path) -> ImportResult:
        for _message in self.steps(path):
            pass
        return self.result

    def steps(self, path) -> Iterator[str]:
        """Run the import, yielding a line of progress now and then (for a page that streams).

        Three phases. Checking reads the whole workbook and the database with no write
        transaction open, so people signing in meanwhile are never locked out. Comparing
        (``compare``) finds, by reading, the rows to create, to change and to leave
        alone, and keeps only the first two. Writing then saves those in one short
        transaction: all of it or, on any error, nothing; with nothing to create or
        change it does not start, and the figures are left alone. A dry run (the
        preview) stops after comparing, so it never takes the write lock.
        Nothing is yielded while the write transaction is open.
        """
        try:
            with Workbook(path, include_hidden=self.include_hidden) as book:
                yield from self._check(book)
            if self.result.ok:
                yield _("Comparing with Cascade…")
                if self.changes_to is not None:
                    self.changes.file = ChangesFile(self.changes_to())
                self._compare()
            if self.result.ok and not self.result.dry_run and self.changes.any:
                yield _("Preparing the rows to write…")
                self.progress.phase(_("Preparing the rows to write"))
                self._prepare_people()
                yield _("Writing…")
                # The last word before the transaction: progress written inside it would be
                # seen only once it ends (and would hold a write on the job's row meanwhile).
                self.progress.phase(_("Writing"))
                with transaction.atomic():
                    self._write()
                    _figures_are_stale()
        except UnreadableFile as error:
            self.error(error.sheet, error.row, error.column, str(error))
        except DatabaseError as error:
            self.error(None, None, None, _("The database refused the import: %(error)s") % {"error": error})
        if not self.result.ok:
            self.changes.clear()

    def _check(self, book: Workbook) -> Iterator[str]:
        """Read and check every sheet; keep what is to be written (``cleaned``, ``linked``, ``participants``)."""
        for sheet, message, serious in reading_notes(book):
            (self.error if serious else self.warn)(sheet, None, None, message)
        for name in book.sheets:
            if name not in SHEETS_BY_NAME and name != INSTRUCTIONS_SHEET:
                self.warn(name, None, None, _("Cascade does not know this sheet; it was ignored."))
        if not any(name in SHEETS_BY_NAME for name in book.sheets):
            known = ", ".join(SHEETS_BY_NAME)
            self.error(None, None, None, _("No sheet to import: name the sheets %(names)s.") % {"names": known})
            return
        self.countries = set(Country.objects.values_list("code", flat=True))
        for name, model in MODELS.items():
            self.ids[name] = dict(model.objects.values_list("key", "id"))

        rows = {}
        for name in MODELS:
            if name in book.sheets:
                yield _("Checking sheet %(sheet)s…") % {"sheet": name}
                self._phase(_("Reading sheet %(sheet)s") % {"sheet": name}, book.sheets[name])
                rows[name] = self._read_keyed(book.sheets[name])
        self.cleaned = {}
        for name, sheet_rows in rows.items():
            self.progress.phase(_("Checking sheet %(sheet)s") % {"sheet": name}, total=len(sheet_rows))
            self.cleaned[name] = self._clean_sheet(name, sheet_rows)
        if self.cleaned.get("people"):  # erased people under a key erasure replaced stay out
            kept = []
            for row, values in self.cleaned["people"]:
                if self._formerly_erased(row.key):
                    self._warn_erased("people", row.number)
                else:
                    kept.append((row, values))
            self.cleaned["people"] = kept
        if any(name in book.sheets for name in LINKED):
            self._prepare_linked(self.cleaned.get("trainings"))
            for name in LINKED:
                if name in book.sheets:
                    yield _("Checking sheet %(sheet)s…") % {"sheet": name}
                    self._phase(_("Checking sheet %(sheet)s") % {"sheet": name}, book.sheets[name])
                    self.linked[name] = self._clean_linked(name, book.sheets[name])
        # Rows the workbook adds have no id until written: stand-ins keep every key
        # distinct for the participants' checks, and are swapped for real ids on writing.
        stand_in = -1
        for name, keys in self.defined.items():
            for key in keys:
                if name == "people" and self._formerly_erased(key):
                    continue  # no id: her memberships and participations are left out too
                if key not in self.ids[name]:
                    self.ids[name][key] = stand_in
                    self.stand_ins[name][key] = stand_in
                    stand_in -= 1
        if "participants" in book.sheets:
            yield _("Checking sheet %(sheet)s…") % {"sheet": "participants"}
            self._phase(_("Checking sheet %(sheet)s") % {"sheet": "participants"}, book.sheets["participants"])
            yield from self._check_participants(book.sheets["participants"])

    def _phase(self, name: str, sheet_data) -> None:
        """A phase over a sheet's rows: its total is estimated (counted cheaply) only when someone watches."""
        watched = type(self.progress) is not Progress
        self.progress.phase(name, total=sheet_data.estimated_rows() if watched else None)

    def _counted(self, numbered_rows):
        """The rows, moving the progress bar every ``COUNT_EVERY`` of them (and to the end)."""
        progress, done = self.progress, 0
        for done, row in enumerate(numbered_rows, start=1):
            if done % COUNT_EVERY == 0:
                progress.update(done)
            yield row
        if progress.total is not None and done != progress.total:
            progress.update(done, total=done)  # the estimate was off (blank or multi-line rows)
        else:
            progress.update(done)

    def _write(self):
        """Write what :meth:`_check` accepted; runs inside the one write transaction."""
        cleaned = self.cleaned
        self._write_organizations(cleaned.get("organizations"))
        self._write_people(cleaned.get("people"))
        self._write_manuals(cleaned.get("manuals"))
        self._write_trainings(cleaned.get("trainings"))
        for name, sheet_rows in self.linked.items():
            getattr(self, f"_write_{name}")(sheet_rows)
        if self.participants is not None:
            self._write_participants()
        self._write_places("people", self.people_inserted)  # new people written by compiled INSERTs

    def _find_place(self, row, values) -> None:
        """Checking: a city the gazetteer does not know is kept as typed, and said so (a misspelling?)."""
        city, country = values.get("city"), values.get("country_id")
        if not city or not country:
            return
        from cascade.lib.names import country_name
        from cascade.network.places import find

        if (city, country) not in self.places:
            self.places[city, country] = find(city, country)
        if self.places[city, country] is None:
            self.warn(row.sheet, row.number, "city", _(
                "No place called “%(city)s” was found in %(country)s; the city is kept as written.")
                % {"city": city, "country": country_name(country)})

    def _place_id(self, city: str, country: str | None) -> int | None:
        """The place a written row's city names (made from the gazetteer when new), once per city."""
        from cascade.access import operator
        from cascade.network.services import place_for

        if (city, country, "row") not in self.places:
            place = place_for(self.actor or operator(), city, country) if city and country else None
            self.places[city, country, "row"] = place.pk if place else None
        return self.places[city, country, "row"]

    def _write_places(self, name, keys) -> None:
        """Point rows written without the ORM at the places their cities name."""
        model, changed = MODELS[name], []
        for chunk in _chunks(keys):
            for obj in model.objects.filter(key__in=chunk).only("pk", "city", "country_id", "place_id"):
                place_id = self._place_id(obj.city, obj.country_id)
                if obj.place_id != place_id:
                    obj.place_id = place_id
                    changed.append(obj)
        model.objects.bulk_update(changed, ["place_id"], batch_size=500)

    def _prepare_people(self):
        """Do the slow part of writing people before the write transaction opens.

        People can be the largest sheet (200,000 rows), and the ORM spends seconds per
        10,000 new people building objects, encrypting contacts and compiling SQL, all
        of which would hold the database's write lock. So, with no transaction open:
        new people whose organisation already exists get their INSERT statements
        compiled (Django's own InsertQuery, as ``bulk_create`` uses), and people whose
        row would change nothing are left out of the write. The transaction then runs
        the compiled statements; the other rows take the ordinary path inside it.
        """
        rows = self.cleaned.get("people")
        if not rows:
            return
        fields = self._fields(rows, PEOPLE_FIELDS)
        organizations = self.ids["organizations"]
        existing = {}
        for chunk in _chunks([row.key for row, _values in rows if row.key not in self.stand_ins["people"]]):
            existing.update(Person.objects.in_bulk(chunk, field_name="key"))
        new, rest = [], []
        for row, values in rows:
            organization = values.get("organization_id")
            resolved = {
                field: organizations[organization] if field == "organization_id" and organization else values[field]
                for field in fields
            }
            if row.key in self.stand_ins["people"]:
                if organization is None or resolved["organization_id"] > 0:  # not a stand-in
                    new.append(Person(key=row.key, **resolved))
                    continue
            else:
                person = existing.get(row.key)
                if person is not None and person.erased_at is None and all(
                    getattr(person, field) == value for field, value in resolved.items()
                ):
                    continue  # changed since the comparison back to what the row says
            rest.append((row, values))
        self.progress.phase(_("Preparing the rows to write"), total=len(new))  # new people: the slow part
        self.people_inserts = _compiled_inserts(Person, new, self.progress)
        self.people_inserted = [person.key for person in new]
        self.cleaned["people"] = rest

    # -- reading and checking the small sheets --------------------------------
    def _columns(self, sheet_data) -> tuple[dict[str, int], bool]:
        """Column name -> position, and whether every required column is there."""
        spec = SHEETS_BY_NAME[sheet_data.name]
        positions = {}
        for index, name in enumerate(sheet_data.header):
            if not name:
                continue
            if name in positions:
                self.error(spec.name, sheet_data.header_row, name, _("This column appears twice."))
                continue
            known = name in spec.column_names or (
                spec.translated_title and name.startswith(TITLE_PREFIX)
                and LANGUAGE_CODE.match(name[len(TITLE_PREFIX):])
            ) or any(
                name.startswith(f"{base}_") and LANGUAGE_CODE.match(name[len(base) + 1:])
                for base in spec.translated_names
            )
            if not known:  # never dropped silently: its data would be lost
                self.error(spec.name, sheet_data.header_row, name, unknown_column(spec, name))
                continue
            positions[name] = index
        complete = True
        for name in spec.required:
            if name not in positions:
                self.error(spec.name, sheet_data.header_row, name, _("This required column is missing."))
                complete = False
        return positions, complete

    def _read_keyed(self, sheet_data) -> list["_Row"]:
        """All rows of a small sheet; records each key so that other sheets may refer to it."""
        name = sheet_data.name
        positions, complete = self._columns(sheet_data)
        defined = self.defined.setdefault(name, {})
        rows = []
        if "key" not in positions:
            return rows
        for number, cells in self._counted(sheet_data.rows()):
            row = _Row(self, name, number, cells, positions)
            key = row.text("key", required=complete, model=MODELS[name])
            if key and key in defined:
                row.error("key", _("The key “%(key)s” is already used in row %(row)s.") % {"key": key, "row": defined[key]})
            elif key:
                defined[key] = number
            if complete:
                rows.append(row)
        return rows

    def _clean_sheet(self, name, rows):
        clean = getattr(self, f"_clean_{name}")
        return [(row, values) for row in self._counted(rows) if (values := clean(row)) is not None and row.ok]

    def _clean_organizations(self, row):
        values = row.values(
            name=row.text("name", required=True, model=Organization),
            kind=row.choice("kind", Organization.Kind, required=True),
            country_id=row.country("country", required=True),
            city=row.text("city", model=Organization),
            short_name=row.text("short_name", model=Organization),
        )
        for base, field in (("name", "names"), ("short_name", "short_names")):
            texts = row.texts_by_language(base, Organization._meta.get_field(base).max_length)
            if texts is not None:
                values[field] = texts
        self._find_place(row, values)
        return values

    def _clean_people(self, row):
        values = row.values(
            full_name=row.text("full_name", required=True, model=Person),
            gender=row.choice("gender", Person.Gender, default=Person.Gender.NOT_STATED),
            country_id=row.country("country"),
            city=row.text("city", model=Person),
            organization_id=row.reference("organization", "organizations"),
            email=row.email("email"),
            phone=row.text("phone", model=Person),
        )
        self._find_place(row, values)
        return values

    def _clean_manuals(self, row):
        values = row.values(title=row.titles("en"), languages=row.languages("languages"))
        if "languages" in values:
            values["languages"] = values["languages"] or []
        return values

    def _clean_trainings(self, row):
        language = row.language("language")
        values = row.values(
            title=row.titles(language or "en"),
            kind=row.choice("kind", Training.Kind, required=True),
            start_date=row.date("start_date", required=True),
            end_date=row.date("end_date"),
            country_id=row.country("country", required=True),
            city=row.text("city", model=Training),
            host_id=row.reference("host", "organizations"),
            co_organisers=row.references("co_organisers", "organizations"),
            language=language,
            manuals=row.references("manuals", "manuals"),
            source_training_id=row.reference("source_training", "trainings"),
            women_count=row.count("women_count"),
            men_count=row.count("men_count"),
            other_count=row.count("other_count"),
        )
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            row.error("end_date", _("The training ends (%(end)s) before it starts (%(start)s).") % {"end": end, "start": start})
        if row.has("source_training") and row.text("source_training") == row.text("key"):
            row.error("source_training", _("A training cannot be its own source."))
        self._find_place(row, values)
        return values

    # -- writing the small sheets ---------------------------------------------
    def _upsert(self, name: str, rows, fields: list[str]) -> dict[str, object]:
        """Create or update rows by key with the ORM; returns key -> object."""
        model = MODELS[name]
        # a row whose city or country is written points to the place they name (``city`` stays as typed)
        located = name in ("organizations", "people", "trainings") and bool({"city", "country_id"} & set(fields))
        if located:
            fields = [*fields, "place_id"]
        existing = model.objects.in_bulk([row.key for row, _values in rows], field_name="key")
        to_create, to_update = [], []
        objects = {}
        for row, values in rows:
            obj = existing.get(row.key) or model(key=row.key)
            for attribute in fields:
                if attribute in values:
                    setattr(obj, attribute, values[attribute])
            if located:
                obj.place_id = self._place_id(obj.city, obj.country_id)
            (to_update if obj.pk else to_create).append(obj)
            objects[row.key] = obj
        model.objects.bulk_create(to_create, batch_size=500)
        if to_update and fields:
            if any(f.name == "updated_at" for f in model._meta.fields):
                now = timezone.now()  # bulk_update skips auto_now
                for obj in to_update:
                    obj.updated_at = now
                fields = [*fields, "updated_at"]
            model.objects.bulk_update(to_update, fields, batch_size=500)
        self.ids[name].update((key, obj.pk) for key, obj in objects.items())
        return objects

    @staticmethod
    def _fields(rows, candidates) -> list[str]:
        """Only the columns the sheet has are changed; an absent column leaves the data alone."""
        present = set()
        for _row, values in rows[:1]:
            present = set(values)
        return [name for name in candidates if name in present]

    def _write_organizations(self, rows):
        if rows is None:
            return
        # names and short names were merged with Cascade's by the comparison (``compare``)
        candidates = ["name", "kind", "country_id", "city", "short_name", "names", "short_names"]
        self._upsert("organizations", rows, self._fields(rows, candidates))

    def _without_erased(self, sheet, rows, person_key) -> list:
        """The rows not about a person whose data was erased, each left out with a warning.

        Asked again inside the write transaction: an erasure made while the workbook
        was being checked is respected too.
        """
        erased = set(Person.objects.filter(erased_at__isnull=False).values_list("key", flat=True))
        kept = []
        for row in rows:
            key = person_key(*row)
            if key in erased or self._formerly_erased(key):
                self._warn_erased(sheet, row[0].number)
            else:
                kept.append(row)
        return kept

    def _formerly_erased(self, key) -> bool:
        """A key an erased person had before erasure gave her a new one (the register of erasures)."""
        if self._former_keys is None:
            from cascade.access import erasure

            self._former_keys = erasure.erased_key_hashes() or set()
        if not self._former_keys or not key:
            return False
        from cascade.access import erasure

        return erasure.key_hash(key) in self._former_keys

    def _warn_erased(self, sheet, number):
        if (sheet, number) in self.warned_erased:  # compared, then written: said once
            return
        self.warned_erased.add((sheet, number))
        self.warn(sheet, number, None, _(
            "This person's data was erased from Cascade; the row was left out so that it stays erased."
        ))

    def _write_people(self, rows):
        if rows is None:
            return
        if self.people_inserts:
            with connection.cursor() as cursor:
                for sql, params in self.people_inserts:
                    cursor.execute(sql, params)
            for chunk in _chunks(self.people_inserted):
                self.ids["people"].update(Person.objects.filter(key__in=chunk).values_list("key", "id"))
        rows = self._without_erased("people", rows, lambda row, _values: row.key)
        for _row, values in rows:
            if "organization_id" in values and values["organization_id"] is not None:
                values["organization_id"] = self.ids["organizations"][values["organization_id"]]
        self._upsert("people", rows, self._fields(rows, PEOPLE_FIELDS))

    def _write_manuals(self, rows):
        if rows is None:
            return
        # titles were merged with Cascade's by the comparison (``compare``), once: merging again would
        # bring back a title that a blank title_<lang> cell removed
        manuals = self._upsert("manuals", rows, ["title"])
        have = set(Edition.objects.filter(manual__in=manuals.values()).values_list("manual_id", "language"))
        editions = []
        for row, values in rows:
            manual_id = manuals[row.key].pk
            for language in values.get("languages", ()):
                if (manual_id, language) not in have and (row.key, language) not in self.edition_languages:
                    have.add((manual_id, language))
                    editions.append(Edition(manual_id=manual_id, language=language))
        Edition.objects.bulk_create(editions, batch_size=500)

    def _write_trainings(self, rows):
        if rows is None:
            return
        # titles were merged by the comparison, as for manuals
        for _row, values in rows:
            if values.get("host_id") is not None:
                values["host_id"] = self.ids["organizations"][values["host_id"]]
        candidates = [
            "title", "kind", "start_date", "end_date", "country_id", "city", "host_id", "language",
            "women_count", "men_count", "other_count",
        ]
        trainings = self._upsert("trainings", rows, self._fields(rows, candidates))
        # Sources can point anywhere in the sheet, so they are set once every training has an id.
        if self._fields(rows, ["source_training_id"]):
            for row, values in rows:
                source = values["source_training_id"]
                trainings[row.key].source_training_id = self.ids["trainings"][source] if source else None
            Training.objects.bulk_update(trainings.values(), ["source_training_id"], batch_size=500)
        for column, target in (("co_organisers", "organizations"), ("manuals", "manuals")):
            if self._fields(rows, [column]):
                links = {
                    trainings[row.key].pk: [self.ids[target][key] for key in values[column] or ()]
                    for row, values in rows
                }
                self._replace_links(getattr(Training, column).through, links)

    @staticmethod
    def _replace_links(through, links: dict[int, list[int]]):
        """Replace a many-to-many of many trainings in two statements per batch, not two per training."""
        target = next(f.name for f in through._meta.fields if f.name not in ("id", "training"))
        ids = list(links)
        for start in range(0, len(ids), 500):
            through.objects.filter(training_id__in=ids[start:start + 500]).delete()
        through.objects.bulk_create(
            [through(training_id=t, **{f"{target}_id": o}) for t, others in links.items() for o in dict.fromkeys(others)],
            batch_size=500,
        )

    def _merge_titles(self, model, rows):
        self._merge_texts(model, rows, "title")

    @staticmethod
    def _merge_texts(model, rows, field):
        """Texts given replace those of their language; a blank <column>_<lang> cell removes one."""
        existing = model.objects.in_bulk([row.key for row, _v in rows], field_name="key")
        for row, values in rows:
            texts = dict(getattr(existing[row.key], field) if row.key in existing else {})
            for language, text in values[field].items():
                if text:
                    texts[language] = text
                else:
                    texts.pop(language, None)
            values[field] = texts

    # -- sheets of linked rows: memberships, manual sessions, editions, agendas ---
    def _prepare_linked(self, trainings):
        """What the linked sheets look up: manual sessions and the trainings' working languages."""
        self.manual_sessions = {
            (manual, number): pk
            for manual, number, pk in ManualSession.objects.values_list("manual__key", "number", "id")
        }
        self.training_languages = dict(Training.objects.values_list("key", "language"))
        for row, values in trainings or ():
            if "language" in values:
                self.training_languages[row.key] = values["language"]

    def _clean_linked(self, name, sheet_data) -> list[tuple["_Row", tuple, dict]]:
        """(row, natural key, values) for each correct row; a natural key used twice is an error."""
        positions, complete = self._columns(sheet_data)
        if not complete:
            return []
        clean = getattr(self, f"_clean_{name}")
        seen: dict[tuple, int] = {}
        cleaned = []
        for number, cells in self._counted(sheet_data.rows()):
            row = _Row(self, name, number, cells, positions)
            key, values = clean(row)
            if key is not None:
                first = seen.setdefault(key, number)
                if first != number:
                    column, message = _DUPLICATE[name]
                    row.error(column, message() % {"row": first})
            if row.ok and key is not None:
                cleaned.append((row, key, values))
        return cleaned

    def _clean_memberships(self, row):
        person = row.reference("person", "people", required=True)
        organization = row.reference("organization", "organizations", required=True)
        values = {}
        if row.has("title") or row.has_prefixed(TITLE_PREFIX):
            values["title"] = row.titles("en", required=False)
        for column in ("start_date", "end_date"):
            if row.has(column):
                values[column] = row.date(column)
        start, end = values.get("start_date"), values.get("end_date")
        if start and end and end < start:
            row.error("end_date", _("The role ends (%(end)s) before it starts (%(start)s).") % {"end": end, "start": start})
        return ((person, organization) if person and organization else None), values

    def _clean_manual_sessions(self, row):
        manual = row.reference("manual", "manuals", required=True)
        number = row.whole("number", required=True, minimum=1)
        values = {"title": row.titles("en")}
        if row.has("part"):
            values["part"] = row.text("part", model=ManualSession)
        if row.has("part_title") or row.has_prefixed("part_title_"):
            values["part_title"] = row.titles("en", column="part_title", required=False)
        if row.has("kind"):
            values["kind"] = row.choice("kind", ManualSession.Kind, default=ManualSession.Kind.OTHER)
        if not (manual and number):
            return None, values
        self.manual_sessions.setdefault((manual, number), 0)  # the agenda may follow it
        return (manual, number), values

    def _clean_editions(self, row):
        manual = row.reference("manual", "manuals", required=True)
        language = row.text("language", required=True).lower()
        if language:
            row.check_language("language", language)
        variant = row.text("variant", model=Edition)
        values = {}
        if row.has("title"):
            values["title"] = row.text("title", model=Edition)
        if row.has("year"):
            values["year"] = row.whole("year", minimum=1000, maximum=9999)
        if row.has("url"):
            values["url"] = row.text("url", model=Edition)
            if values["url"]:
                try:
                    URLValidator()(values["url"])
                except ValidationError:
                    row.error("url", _("“%(value)s” is not a web address, such as https://example.org/manual.pdf.") % {"value": values["url"]})
        if not (manual and language):
            return None, values
        self.edition_languages.add((manual, language))
        return (manual, language, variant), values

    def _clean_sessions(self, row):
        training = row.reference("training", "trainings", required=True)
        order = row.whole("order", required=True, minimum=0)
        values = {}
        if row.has("title") or row.has_prefixed(TITLE_PREFIX):
            values["title"] = row.titles(self.training_languages.get(training) or "en", required=False)
        if row.has("date"):
            values["date"] = row.date("date")
        if row.has("manual") or row.has("session_number"):
            values["manual_session"] = self._manual_session_of(row)
        if row.has("facilitators"):
            values["facilitators"] = row.references("facilitators", "people")
        if not training or order is None:
            return None, values
        return (training, order), values

    def _manual_session_of(self, row):
        """The (manual key, number) an agenda row follows, or None."""
        manual = row.reference("manual", "manuals")
        number = row.whole("session_number", minimum=1)
        if manual and number is None and not row.text("session_number"):
            row.error("session_number", _("Give the number of the manual's session, or leave manual blank."))
        elif number is not None and not manual and not row.text("manual"):
            row.error("manual", _("Give the key of the manual whose session this is."))
        elif (manual and number is not None and (manual, number) not in self.manual_sessions
              and (manual in self.defined.get("manuals", {}) or manual in self.ids["manuals"])):
            row.error("session_number", _(
                "The manual “%(manual)s” has no session %(number)s, in this workbook or in Cascade."
            ) % {"manual": manual, "number": number})
        return (manual, number) if manual and number is not None else None

    @staticmethod
    def _merged(texts: dict, changes: dict) -> dict:
        """Texts given replace those of their language; a blank one removes it."""
        texts = dict(texts or {})
        for language, text in changes.items():
            if text:
                texts[language] = text
            else:
                texts.pop(language, None)
        return texts

    def _save_linked(self, name, model, objects, fields):
        """Create the new objects and update the others (only ``fields``)."""
        to_create = [obj for obj in objects if not obj.pk]
        to_update = [obj for obj in objects if obj.pk]
        model.objects.bulk_create(to_create, batch_size=500)
        if to_update and fields:
            model.objects.bulk_update(to_update, fields, batch_size=500)

    @staticmethod
    def _present(rows, candidates) -> list[str]:
        present = set(rows[0][2]) if rows else set()
        return [name for name in candidates if name in present]

    @staticmethod
    def _existing(queryset, key) -> dict:
        """Natural key -> the first object with it (the database does not forbid repeats)."""
        existing = {}
        for obj in queryset.order_by("-id"):
            existing[key(obj)] = obj
        return existing

    def _write_memberships(self, rows):
        kept = self._without_erased("memberships", rows, lambda _row, key, _values: key[0])
        people, organizations = self.ids["people"], self.ids["organizations"]
        person_ids = {people[person] for _row, (person, _o), _v in kept}
        existing = {}
        for chunk in _chunks(sorted(person_ids)):
            existing.update(self._existing(
                Membership.objects.filter(person_id__in=chunk), lambda m: (m.person_id, m.organization_id)))
        objects = []
        for _row, (person, organization), values in kept:
            ids = (people[person], organizations[organization])
            obj = existing.get(ids) or Membership(person_id=ids[0], organization_id=ids[1])
            existing[ids] = obj
            if "title" in values:
                obj.title = self._merged(obj.title, values["title"])
            for column in ("start_date", "end_date"):
                if column in values:
                    setattr(obj, column, values[column])
            objects.append(obj)
        self._save_linked("memberships", Membership, objects,
                          self._present(kept, ["title", "start_date", "end_date"]))

    def _write_manual_sessions(self, rows):
        manuals = self.ids["manuals"]
        existing = {}
        for chunk in _chunks(sorted({manuals[manual] for _row, (manual, _n), _v in rows})):
            existing.update(self._existing(
                ManualSession.objects.filter(manual_id__in=chunk), lambda s: (s.manual_id, s.number)))
        objects = []
        for _row, (manual, number), values in rows:
            obj = existing.get((manuals[manual], number)) or ManualSession(manual_id=manuals[manual], number=number)
            for field in ("title", "part_title"):
                if field in values:
                    setattr(obj, field, self._merged(getattr(obj, field), values[field]))
            for field in ("part", "kind"):
                if field in values:
                    setattr(obj, field, values[field])
            objects.append(obj)
        self._save_linked("manual_sessions", ManualSession, objects,
                          self._present(rows, ["title", "part", "part_title", "kind"]))
        for (_row, key, _values), obj in zip(rows, objects):
            self.manual_sessions[key] = obj.pk

    def _write_editions(self, rows):
        manuals = self.ids["manuals"]
        existing = {}
        for chunk in _chunks(sorted({manuals[key[0]] for _row, key, _v in rows})):
            existing.update(self._existing(
                Edition.objects.filter(manual_id__in=chunk), lambda e: (e.manual_id, e.language, e.variant)))
        objects = []
        for _row, (manual, language, variant), values in rows:
            obj = existing.get((manuals[manual], language, variant)) or Edition(
                manual_id=manuals[manual], language=language, variant=variant)
            for field, value in values.items():
                setattr(obj, field, value)
            objects.append(obj)
        self._save_linked("editions", Edition, objects, self._present(rows, ["title", "year", "url"]))

    def _write_sessions(self, rows):
        trainings = self.ids["trainings"]
        existing = {}
        for chunk in _chunks(sorted({trainings[key[0]] for _row, key, _v in rows})):
            existing.update(self._existing(
                TrainingSession.objects.filter(training_id__in=chunk), lambda s: (s.training_id, s.order)))
        objects = []
        for _row, (training, order), values in rows:
            obj = existing.get((trainings[training], order)) or TrainingSession(
                training_id=trainings[training], order=order)
            if "title" in values:
                obj.title = self._merged(obj.title, values["title"])
            if "date" in values:
                obj.date = values["date"]
            if "manual_session" in values:
                followed = values["manual_session"]
                obj.manual_session_id = self.manual_sessions[followed] if followed else None
            objects.append(obj)
        fields = self._present(rows, ["title", "date"])
        if self._present(rows, ["manual_session"]):
            fields.append("manual_session_id")
        self._save_linked("sessions", TrainingSession, objects, fields)
        if self._present(rows, ["facilitators"]):
            through = TrainingSession.facilitators.through
            session_ids = [obj.pk for obj in objects]
            for chunk in _chunks(session_ids):
                through.objects.filter(trainingsession_id__in=chunk).delete()
            people = self.ids["people"]
            through.objects.bulk_create([
                through(trainingsession_id=obj.pk, person_id=people[person])
                for (_row, _key, values), obj in zip(rows, objects) for person in values["facilitators"]
            ], batch_size=500)

    # -- participants: the big one ----------------------------------------------
    def _check_participants(self, sheet_data) -> Iterator[str]:
        """Check every participant row; keep the good ones as ids in compact arrays.

        Nothing is written here. A million rows take about 17 MB (two 8-byte ids and
        one byte for role and completion per row), so the file is read only once.
        """
        sheet = "participants"
        positions, complete = self._columns(sheet_data)
        if not complete:
            return
        trainings, people = self.ids["trainings"], self.ids["people"]
        roles = {role: index for index, role in enumerate(Participation.Role.values)}
        at = [positions["training"], positions["person"], positions["role"], positions.get("completed")]
        width = max(p for p in at if p is not None) + 1
        unfinished = self._unfinished_trainings()
        seen: dict[int, int] = {}
        kept = _Participants()
        for number, cells in self._counted(sheet_data.rows()):
            if len(cells) < width:
                cells = (*cells, *[None] * (width - len(cells)))
            training_key = cell_text(cells[at[0]])
            person_key = cell_text(cells[at[1]])
            role = cell_text(cells[at[2]]).lower()
            training_id = trainings.get(training_key)
            given = None if at[3] is None or not cell_text(cells[at[3]]) else cells[at[3]]
            # blank: yes for a training that has ended, no for one nobody can have completed yet
            completed = training_id not in unfinished if given is None else _yes_no(given)
            person_id = people.get(person_key)
            role_index = roles.get(role)
            if person_id is None and self._formerly_erased(person_key):
                self._warn_erased(sheet, number)
                continue
            if training_id is None or person_id is None or role_index is None or completed is None:
                self._participant_errors(number, training_key, person_key, role, cells[at[3]] if at[3] is not None else None)
                continue
            if completed and training_id in unfinished:
                self.error(sheet, number, "completed", unfinished[training_id])
                continue
            packed = ((training_id << 40) + person_id) * 4 + role_index
            first = seen.setdefault(packed, number)
            if first != number:
                self.error(sheet, number, "person", _(
                    "The same person, role and training are already in row %(row)s."
                ) % {"row": first})
                continue
            if self.result.ok:
                kept.add(training_id, person_id, role_index, completed, number)
            if len(seen) % PROGRESS_EVERY == 0:
                yield ngettext(
                    "%(count)d participant row checked…", "%(count)d participant rows checked…", len(seen),
                ) % {"count": len(seen)}
        self.participants = kept

    def _unfinished_trainings(self) -> dict[int, str]:
        """Trainings nobody can have completed yet, by id (stand-ins too), with the reason:
        planned or still running (its last day is ahead), or cancelled. The workbook's own
        dates win over the database's; a participant of these is refused ``completed=yes``."""
        day = today()
        dates = {pk: (start, end, cancelled) for pk, start, end, cancelled in Training.objects.filter(
            Q(cancelled=True) | Q(start_date__gt=day) | Q(end_date__gt=day)
        ).values_list("pk", "start_date", "end_date", "cancelled")}
        for row, values in self.cleaned.get("trainings") or ():
            pk = self.ids["trainings"].get(row.key)
            if pk is not None and values.get("start_date"):
                dates[pk] = (values["start_date"], values.get("end_date"), dates.get(pk, (0, 0, False))[2])
        reasons = {}
        for pk, (start, end, was_cancelled) in dates.items():
            last = end or start
            if was_cancelled:
                reasons[pk] = _("The training was cancelled: nobody completed it, so completed must be no.")
            elif last > day:
                reasons[pk] = _("The training has not ended (its last day is %(day)s): completed can be yes "
                                "only from that day on.") % {"day": last.isoformat()}
        return reasons

    def _write_participants(self):
        # The workbook's new trainings and people have been written: their stand-ins become real ids.
        real = {
            stand_in: self.ids[name][key]
            for name in ("trainings", "people") for key, stand_in in self.stand_ins[name].items()
        }
        roles = Participation.Role.values
        role_of = [roles[flags >> 1] if flags >> 1 < len(roles) else None for flags in range(256)]
        completed_of = [bool(flags & 1) for flags in range(256)]
        table = connection.ops.quote_name(Participation._meta.db_table)
        sql = (
            f"INSERT INTO {table} (training_id, person_id, role, completed) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (training_id, person_id, role) DO UPDATE SET completed = excluded.completed"
        )
        rows = self.participants  # only those to create or change (``compare``)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                end = start + BATCH
                trainings, people, flags = rows.trainings[start:end], rows.people[start:end], rows.flags[start:end]
                if real:
                    trainings = [real.get(t, t) for t in trainings]
                    people = [real.get(p, p) for p in people]
                cursor.executemany(sql, list(zip(
                    trainings, people, map(role_of.__getitem__, flags), map(completed_of.__getitem__, flags),
                )))

    def _participant_errors(self, number, training_key, person_key, role, completed):
        sheet = "participants"
        for column, key, target in (("training", training_key, "trainings"), ("person", person_key, "people")):
            if not key:
                self.error(sheet, number, column, _("A value is required."))
            elif key not in self.ids[target]:
                self.error(sheet, number, column, _unknown_key(key, target))
        if not role:
            self.error(sheet, number, "role", _("A value is required."))
        elif role not in Participation.Role.values:
            self.error(sheet, number, "role", _unknown_choice(role, Participation.Role.values))
        if _yes_no(completed) is None:
            self.error(sheet, number, "completed", _bad_yes_no(completed))


#: sheet -> (column, message) for a natural key used twice; gettext runs in the user's language.
_DUPLICATE = {
    "memberships": ("organization", lambda: _("The same person and organisation are already in row %(row)s.")),
    "manual_sessions": ("number", lambda: _("The same manual and number are already in row %(row)s.")),
    "editions": ("language", lambda: _("The same manual, language and variant are already in row %(row)s.")),
    "sessions": ("order", lambda: _("The same training and order are already in row %(row)s.")),
}


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _compiled_inserts(model, objects, progress: Progress | None = None) -> list[tuple[str, list]]:
    """The INSERT statements (SQL and parameters) that ``bulk_create`` would run for ``objects``.

    Compiling runs each field's ``pre_save`` and ``get_db_prep_save`` (encryption and
    look-up hashes included), exactly as ``bulk_create`` does; only the execution is left
    for later. Objects must not refer to rows that are not written yet.
    """
    if not objects:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    size = min(500, connection.ops.bulk_batch_size(fields, objects) or 500)
    statements = []
    for start in range(0, len(objects), size):
        query = InsertQuery(model)
        query.insert_values(fields, objects[start:start + size])
        statements.extend(query.get_compiler(connection=connection).as_sql())
        if progress is not None:
            progress.update(min(start + size, len(objects)))
    return statements


def _figures_are_stale():
    """Bulk writes send no save signals, so tell the cascade figures themselves."""
    try:
        from cascade.metrics.engine import invalidate
    except ImportError:  # a checkout without the cascade engine
        return
    invalidate()


_yes_no = cell_values.yes_no  # True, False, or None for a value that is neither
_bad_yes_no = cell_values.bad_yes_no


def _unknown_key(key, target) -> str:
    return _("No %(sheet)s row has the key “%(key)s”, in this workbook or in Cascade.") % {"sheet": target, "key": key}


def _unknown_choice(value, choices) -> str:
    return _("“%(value)s” is not one of: %(choices)s.") % {"value": value, "choices": ", ".join(choices)}


class _Participants:
    """Checked participant rows as ids: two arrays of 8-byte integers, one of bytes, and row numbers."""

    def __init__(self):
        self.trainings = array("q")
        self.people = array("q")
        self.flags = array("B")  # role index * 2 + completed
        self.numbers = array("L")  # the row in the sheet, for the comparison's list of changes

    def add(self, training_id: int, person_id: int, role_index: int, completed: bool, number: int = 0):
        self.trainings.append(training_id)
        self.people.append(person_id)
        self.flags.append(role_index * 2 + int(completed))
        self.numbers.append(number)

    def __len__(self) -> int:
        return len(self.trainings)


class _Row:
    """One row of a small sheet: reads typed values and records what is wrong with them."""

    def __init__(self, owner: _Import, sheet: str, number: int, cells, positions: dict[str, int]):
        self.owner, self.sheet, self.number = owner, sheet, number
        self.cells, self.positions = cells, positions
        self.ok = True
        self.key = None

    def error(self, column, message):
        self.ok = False
        self.owner.error(self.sheet, self.number, column, message)

    def has(self, column) -> bool:
        return column in self.positions

    def raw(self, column):
        position = self.positions.get(column)
        if position is None or position >= len(self.cells):
            return None
        return self.cells[position]

    def values(self, **values) -> dict:
        """The values of the columns this sheet has."""
        return {
            name: value for name, value in values.items()
            if self.has(name.removesuffix("_id")) or name == "title"
        }

    def text(self, column, required=False, model=None) -> str:
        value = cell_text(self.raw(column))
        if column == "key":
            self.key = value or None
        if required and not value:
            self.error(column, _("A value is required."))
        elif model is not None:
            limit = model._meta.get_field(column).max_length
            if limit and len(value) > limit:
                self.error(column, ngettext(
                    "This is longer than the %(limit)d character allowed.",
                    "This is longer than the %(limit)d characters allowed.", limit,
                ) % {"limit": limit})
        return value

    def choice(self, column, choices, required=False, default=""):
        value = self.text(column, required=required).lower()
        if not value:
            return default
        if value not in choices.values:
            self.error(column, _unknown_choice(value, choices.values))
        return value

    def country(self, column, required=False):
        self.text(column, required=required)
        value, problem = cell_values.country(self.raw(column), self.owner.countries)
        if problem:
            self.error(column, problem)
        return value

    def date(self, column, required=False):
        value, problem = cell_values.parse_date(self.raw(column))
        if problem:
            self.error(column, problem)
        elif value is None and required:
            self.error(column, _("A value is required."))
        return value

    def _parse_whole(self, column, value: str):
        """The cell as a whole number (a spreadsheet's 14.0 included), or None after an error."""
        raw = self.raw(column)
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            number = int(raw) if float(raw).is_integer() else None
        else:
            number = int(value) if re.fullmatch(r"[-+]?\d+", value) else None
        if number is None:
            self.error(column, _("“%(value)s” is not a whole number.") % {"value": value})
        return number

    def count(self, column) -> int:
        value = self.text(column)
        if not value:
            return 0
        number = self._parse_whole(column, value)
        if number is None:
            return 0
        if number < 0:
            self.error(column, _("A count cannot be negative."))
            return 0
        return number

    def email(self, column) -> str:
        value = self.text(column, model=Person)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.error(column, _("“%(value)s” is not an email address.") % {"value": value})
        return value

    def language(self, column) -> str:
        value = self.text(column, model=Training).lower()
        if value:
            self.check_language(column, value)
        return value

    def check_language(self, column, code: str) -> None:
        if not (LANGUAGE_CODE.match(code) and is_known_language(code)):
            latin = cell_values.latin_lookalike(code)
            if latin and LANGUAGE_CODE.match(latin) and is_known_language(latin):
                self.error(column, cell_values.cyrillic_in_code(code, latin))
            else:
                self.error(column, _("“%(value)s” is not a language code, such as ru or kk.") % {"value": code})

    def languages(self, column):
        value = self.text(column)
        codes = [code.strip().lower() for code in value.split(LIST_SEPARATOR) if code.strip()]
        for code in codes:
            self.check_language(column, code)
        return list(dict.fromkeys(codes))

    def has_prefixed(self, prefix) -> bool:
        return any(column.startswith(prefix) for column in self.positions)

    def whole(self, column, required=False, minimum=0, maximum=SMALL_NUMBER):
        """A whole number from ``minimum`` to ``maximum``, or None when blank or wrong."""
        value = self.text(column, required=required)
        if not value:
            return None
        number = self._parse_whole(column, value)
        if number is None:
            return None
        if not minimum <= number <= maximum:
            self.error(column, _("%(value)s is not from %(minimum)d to %(maximum)d.") % {
                "value": number, "minimum": minimum, "maximum": maximum})
            return None
        return number

    def reference(self, column, target, required=False):
        """The key of a row of ``target`` in this workbook or in the database (resolved on writing)."""
        key = self.text(column, required=required)
        if key and key not in self.owner.defined.get(target, {}) and key not in self.owner.ids[target]:
            self.error(column, _unknown_key(key, target))
        return key or None

    def references(self, column, target):
        keys = [key.strip() for key in self.text(column).split(LIST_SEPARATOR) if key.strip()]
        for key in keys:
            if key not in self.owner.defined.get(target, {}) and key not in self.owner.ids[target]:
                self.error(column, _unknown_key(key, target))
        return list(dict.fromkeys(keys))

    def texts_by_language(self, base: str, limit: int | None = None) -> dict[str, str] | None:
        """Texts from the ``<base>_<lang>`` columns, such as name_ru; None when the sheet has none."""
        prefix = f"{base}_"
        columns = [c for c in self.positions if c.startswith(prefix) and LANGUAGE_CODE.match(c[len(prefix):])]
        if not columns:
            return None
        texts = {}
        for column in columns:
            texts[column[len(prefix):].lower()] = text = self.text(column)
            if limit and len(text) > limit:
                self.error(column, ngettext(
                    "This is longer than the %(limit)d character allowed.",
                    "This is longer than the %(limit)d characters allowed.", limit,
                ) % {"limit": limit})
        return texts

    def titles(self, base_language, column="title", required=True) -> dict[str, str]:
        """Texts by language from title and title_<lang> columns; "" removes a language.

        Without a title_<base> column, title is the text in the base language. With
        one, that column holds it; left blank, title only names a row whose text is
        in another column (the export writes such rows for titles lacking the base language).
        ``column`` may name another such column, such as part_title (with part_title_<lang>).
        """
        prefix = f"{column}_"
        title = self.text(column, required=required)
        texts = {
            name[len(prefix):]: self.text(name)
            for name in self.positions if name.startswith(prefix)
        }
        if base_language not in texts:
            texts[base_language] = title
        elif texts[base_language] and texts[base_language] != title:
            self.error(f"{prefix}{base_language}", _(
                "This differs from the title column, which is already the title in %(language)s."
            ) % {"language": base_language})
        elif title not in texts.values():
            texts[base_language] = title
        return texts

