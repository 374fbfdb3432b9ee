"""What an import changes, row by row: rows to create, rows to change (each field old → new), unchanged rows.

The comparison runs once every row is checked and before anything is written, for
the check (a dry run) and the import alike, by reading the database with no
transaction open. It keeps in the importer's ``cleaned``, ``linked`` and
``participants`` only the rows to create or change, so the write that follows leaves
unchanged rows alone: an unchanged workbook writes nothing, and the figures'
recompute is not even scheduled.

Each row is compared as the write would leave it: texts by language merged with
those in Cascade (a blank ``title_ru`` removes one), references by key (a row that
moves a person to another organisation shows ``swrc → birduino``), lists (a
training's manuals, an agenda's facilitators) as sets. A partner's staff member
(``scope``, :class:`cascade.access.policy.ImportScope`) is refused, row by row, what
is not her partner's; the whole workbook then imports nothing, as for any error.

What is found goes to :class:`Changes`: the counts, the first rows of each kind for
the page (``SAMPLE``), and every row for the downloadable workbook (``ChangesFile``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cascade.curriculum.models import Edition, Manual, ManualSession
from cascade.lib.crypto import email_digest
from cascade.lib.sheets import as_text, looks_like_formula
from cascade.network.models import Membership, Organization, Person
from cascade.trainings.models import Participation, Training, TrainingSession

#: The kinds of row, in the order pages and files list them.
ACTIONS = ("created", "changed", "unchanged")
#: How many rows of each kind and sheet the page shows (the file has them all).
SAMPLE = 20
#: How many keys of created rows are kept to link to after the import (trainings, people).
LINKED_CREATED = 100
TRAINING_FIELDS = [
    "title", "kind", "start_date", "end_date", "country_id", "city", "host_id", "language",
    "women_count", "men_count", "other_count", "source_training_id", "co_organisers", "manuals",
]


@dataclass
class RowChange:
    """One row: its number in the sheet, its key, and (column, before, after) for what it sets."""

    row: int | None
    key: str
    action: str
    fields: list[tuple[str, str, str]]

    def as_dict(self) -> dict:
        return {"row": self.row, "key": self.key, "action": self.action,
                "fields": [list(change) for change in self.fields]}


@dataclass
class Changes:
    """Counts per sheet and kind, the first rows of each, and the keys of created rows."""

    counts: dict = field(default_factory=lambda: defaultdict(lambda: dict.fromkeys(ACTIONS, 0)))
    samples: dict = field(default_factory=lambda: defaultdict(lambda: {action: [] for action in ACTIONS}))
    created_keys: dict = field(default_factory=lambda: defaultdict(list))
    file: ChangesFile | None = None

    def record(self, sheet: str, row: int | None, key: str, action: str, fields) -> None:
        self.counts[sheet][action] += 1
        if action == "created" and len(self.created_keys[sheet]) < LINKED_CREATED:
            self.created_keys[sheet].append(key)
        sample = self.samples[sheet][action]
        if len(sample) >= SAMPLE and self.file is None:
            return  # counted only: values are shown for the page's first rows and the file
        shown = [(column, display(before), display(after)) for column, before, after in fields]
        if len(sample) < SAMPLE:
            sample.append(RowChange(row, key, action, shown))
        if self.file is not None:
            self.file.add(sheet, row, key, action, shown)

    def shows(self, sheet: str, action: str) -> bool:
        """Whether a row of this kind is listed (the page's first rows, or every row into the file)."""
        return self.file is not None or len(self.samples[sheet][action]) < SAMPLE

    @property
    def any(self) -> bool:
        """Whether writing would change anything at all."""
        return any(counts["created"] or counts["changed"] for counts in self.counts.values())

    def clear(self) -> None:
        self.counts.clear()
        self.samples.clear()
        self.created_keys.clear()


def display(value) -> str:
    """A value as the page and the file show it: dates as 2019-01-28, texts by language as ``en: …; ru: …``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return "; ".join(f"{language}: {text}" for language, text in sorted(value.items()) if text)
    if isinstance(value, tuple):  # a reference by several cells, such as (manual, session number)
        return " ".join(display(item) for item in value)
    if isinstance(value, (list, set, frozenset)):
        return "; ".join(display(item) for item in sorted(value, key=str))
    return str(value)


class ChangesFile:
    """Every compared row in an .xlsx (one sheet per imported sheet), written as it goes (write-only)."""

    def __init__(self, path):
        from openpyxl import Workbook

        self.path = path
        self.book = Workbook(write_only=True)
        self.sheets = {}
        self.labels = {"created": _("create"), "changed": _("change"), "unchanged": _("unchanged")}

    def add(self, sheet: str, row, key, action, fields) -> None:
        out = self.sheets.get(sheet)
        if out is None:
            out = self.sheets[sheet] = self.book.create_sheet(sheet)
            out.append([_("row"), _("key"), _("change"), _("column"), _("before"), _("after")])
        label = self.labels[action]
        if action == "unchanged":
            self._append(out, [row, key, label])
            return
        if action == "created":  # one line: the new row's values
            values = "; ".join(f"{column}: {after}" for column, _before, after in fields if after)
            self._append(out, [row, key, label, "", "", values])
            return
        for column, before, after in fields:
            self._append(out, [row, key, label, column, before, after])

    def _append(self, out, values):
        from openpyxl.cell import WriteOnlyCell

        out.append([as_text(WriteOnlyCell(out, value=value)) if looks_like_formula(value) else value
                    for value in values])

    def save(self) -> None:
        if not self.sheets:
            out = self.book.create_sheet(_("nothing"))
            out.append([_("The workbook has no rows to import.")])
        self.book.save(self.path)


def _chunks(items, size=500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Comparison:
    """The importer's comparison phase (a part of ``importer._Import``, which holds the rows and ids)."""

    scope = None  # an ImportScope, or None for the whole network
    changes: Changes

    def _compare(self) -> None:
        """Record what each checked row would do; keep only the rows to create or change."""
        # id -> key (the workbook's new rows have negative stand-ins), to show references by key
        self.keys_of = {name: {pk: key for key, pk in ids.items()} for name, ids in self.ids.items()}
        for name in ("organizations", "people", "manuals", "trainings"):
            rows = self.cleaned.get(name)
            if rows is not None:
                self._compare_phase(name, len(rows))
                self.cleaned[name] = getattr(self, f"_compare_{name}")(rows)
        for name in list(self.linked):
            self._compare_phase(name, len(self.linked[name]))
            self.linked[name] = getattr(self, f"_compare_{name}")(self.linked[name])
        if self.participants is not None:
            self._compare_phase("participants", len(self.participants))
            self._compare_participants()
        if self.changes.file is not None:
            self.changes.file.save()

    def _compare_phase(self, sheet: str, total: int) -> None:
        self.progress.phase(_("Comparing sheet %(sheet)s with Cascade") % {"sheet": sheet}, total=total)

    def _refused(self, sheet, number, column, reason) -> bool:
        if reason:
            self.error(sheet, number, column, reason)
            return True
        return False

    def _keyed(self, name, rows, fields, current, after_of, refuse) -> list:
        """Compare the rows of a keyed sheet with ``current`` (key -> {"id": pk, field: value}).

        ``after_of(row, values)`` gives the row's fields as written; returns the rows to write.
        """
        kept = []
        for count, (row, values) in enumerate(rows, start=1):
            before = current.get(row.key)
            after = after_of(row, values)
            if before is None:
                action = "created"
                diff = [(column, None, after[column]) for column in fields]
            else:
                diff = [(column, before[column], after[column]) for column in fields
                        if before[column] != after[column]]
                action = "changed" if diff else "unchanged"
            pk = before["id"] if before else None
            if self.scope is not None and self._refused(name, row.number, None, refuse(pk, before, after, action)):
                continue
            self.changes.record(name, row.number, row.key, action, [(_column(c), b, a) for c, b, a in diff])
            if action != "unchanged":
                kept.append((row, values))
            if count % 1000 == 0:
                self.progress.update(count)
        self.progress.update(len(rows))
        return kept

    def _current(self, model, keys, fields) -> dict:
        current = {}
        for chunk in _chunks(keys):
            for values in model.objects.filter(key__in=chunk).values("key", "id", *fields):
                current[values.pop("key")] = values
        return current

    def _key(self, target, pk):
        return None if pk is None else self.keys_of[target].get(pk, pk)

    # -- the keyed sheets ---------------------------------------------------------
    def _compare_organizations(self, rows):
        fields = self._fields(rows, ["name", "kind", "country_id", "city", "short_name", "names", "short_names"])
        for texts in ("names", "short_names"):
            if texts in fields:
                self._merge_texts(Organization, rows, texts)
        current = self._current(Organization, [row.key for row, _v in rows], fields)
        return self._keyed("organizations", rows, fields, current, lambda row, values: values,
                           lambda pk, before, after, action: self.scope.organization_row(pk, action != "unchanged"))

    def _compare_people(self, rows):
        from cascade.spreadsheets.importer import PEOPLE_FIELDS

        fields = self._fields(rows, PEOPLE_FIELDS)
        # E-mails are compared by their look-up hash: decrypting every address would take most of
        # the time of re-importing an unchanged sheet. An address that differs only in capitals or
        # spaces is the same address, as Cascade's look-ups take it; others are decrypted to be shown.
        read = [("email_hash" if name == "email" else name) for name in fields]
        current = self._current(Person, [row.key for row, _v in rows if row.key not in self.stand_ins["people"]],
                                [*read, "erased_at"])
        kept, other_email = [], []
        for row, values in rows:
            before = current.get(row.key)
            if before is not None and before.pop("erased_at"):
                self._warn_erased("people", row.number)  # her row is left out, so that she stays erased
                del current[row.key]
                continue
            if before is not None and "organization_id" in before:
                before["organization_id"] = self._key("organizations", before["organization_id"])
            if before is not None and "email" in fields:
                if before.pop("email_hash") == email_digest(values["email"]):
                    before["email"] = values["email"]
                else:
                    other_email.append(row.key)
            kept.append((row, values))
        for chunk in _chunks(other_email):
            for key, email in Person.objects.filter(key__in=chunk).values_list("key", "email"):
                current[key]["email"] = email
        return self._keyed("people", kept, fields, current, lambda row, values: values,
                           lambda pk, before, after, action: self.scope.person(pk))

    def _compare_manuals(self, rows):
        self._merge_titles(Manual, rows)
        keys = [row.key for row, _v in rows]
        current = self._current(Manual, keys, ["title"])
        languages = defaultdict(set)
        for chunk in _chunks(keys):
            for key, language in Edition.objects.filter(manual__key__in=chunk).values_list("manual__key", "language"):
                languages[key].add(language)
        for key, before in current.items():
            before["languages"] = sorted(languages[key])
        fields = ["title", *self._fields(rows, ["languages"])]

        def after_of(row, values):
            after = {"title": values["title"]}
            if "languages" in fields:
                have = languages.get(row.key, set())
                added = [code for code in values.get("languages") or ()
                         if code not in have and (row.key, code) not in self.edition_languages]
                after["languages"] = sorted(have | set(added))
            return after

        return self._keyed("manuals", rows, fields, current, after_of,
                           lambda pk, before, after, action: self.scope.curriculum(action != "unchanged"))

    def _compare_trainings(self, rows):
        self._merge_titles(Training, rows)
        fields = self._fields(rows, TRAINING_FIELDS)
        simple = [name for name in fields if name not in ("co_organisers", "manuals")]
        keys = [row.key for row, _v in rows if row.key not in self.stand_ins["trainings"]]
        current = self._current(Training, keys, [*simple, *(["host_id"] if "host_id" not in simple else [])])
        links = {"co_organisers": ("organizations", "organization_id"), "manuals": ("manuals", "manual_id")}
        by_id = {before["id"]: before for before in current.values()}
        for before in current.values():
            for name in links:
                before[name] = set()
        for name, (target, column) in links.items():
            through = getattr(Training, name).through
            for chunk in _chunks(sorted(by_id)):
                for training, other in through.objects.filter(training_id__in=chunk).values_list("training_id", column):
                    by_id[training][name].add(self._key(target, other))
        for before in current.values():
            for name, target in (("host_id", "organizations"), ("source_training_id", "trainings")):
                if name in before:
                    before[name] = self._key(target, before[name])

        def after_of(row, values):
            after = dict(values)
            for name in ("co_organisers", "manuals"):
                if name in after:
                    after[name] = set(after[name] or ())
            return after

        def refuse(pk, before, after, action):
            organizations = self.ids["organizations"]
            host = after["host_id"] if "host_id" in after else (before or {}).get("host_id")
            others = after["co_organisers"] if "co_organisers" in after else (before or {}).get("co_organisers", ())
            after_organizations = {organizations.get(host), *(organizations.get(key) for key in others)}
            return self.scope.training(pk, after_organizations, action != "unchanged")

        return self._keyed("trainings", rows, fields, current, after_of, refuse)

    # -- the linked sheets ------------------------------------------------------------
    def _linked(self, name, rows, existing, after_of, refuse, before_of=getattr) -> list:
        """Compare linked rows (row, natural key, values) with ``existing`` (natural key -> object).

        ``after_of(obj, values)`` gives the row's fields as written (obj is None for a new row),
        ``before_of(obj, column)`` a field of what Cascade holds, in the same form.
        """
        kept = []
        for count, (row, key, values) in enumerate(rows, start=1):
            obj = existing.get(key)
            after = after_of(obj, values)
            columns = list(values)
            if obj is None:
                action = "created"
                diff = [(column, None, after[column]) for column in columns]
            else:
                diff = [(column, before, after[column]) for column in columns
                        if (before := before_of(obj, column)) != after[column]]
                action = "changed" if diff else "unchanged"
            if self.scope is not None and self._refused(name, row.number, None, refuse(key, action)):
                continue
            self.changes.record(name, row.number, " / ".join(str(part) for part in key if part not in ("", None)),
                                action, diff)
            if action != "unchanged":
                kept.append((row, key, values))
            if count % 1000 == 0:
                self.progress.update(count)
        self.progress.update(len(rows))
        return kept

    def _existing_by(self, model, column, ids, natural) -> dict:
        existing = {}
        for chunk in _chunks(sorted(pk for pk in ids if pk > 0)):  # stand-ins are new
            existing.update(self._existing(model.objects.filter(**{f"{column}__in": chunk}), natural))
        return existing

    def _existing_rows(self, rows, model, column, target, natural) -> dict:
        """Row's natural key -> the object Cascade has with it, for linked rows named by the key of a
        ``target`` row and more cells (manual and number, training and order, ...)."""
        ids = self.ids[target]
        by_ids = self._existing_by(model, column, {ids[key[0]] for _r, key, _v in rows}, natural)
        found = {}
        for _row, key, _values in rows:
            obj = by_ids.get((ids[key[0]], *key[1:]))
            if obj is not None:
                found[key] = obj
        return found

    def _compare_memberships(self, rows):
        rows = self._without_erased("memberships", rows, lambda _row, key, _values: key[0])
        people, organizations = self.ids["people"], self.ids["organizations"]
        by_ids = self._existing_by(Membership, "person_id", {people[key[0]] for _r, key, _v in rows},
                                   lambda m: (m.person_id, m.organization_id))
        existing = {}
        for _row, (person, organization), _values in rows:
            obj = by_ids.get((people[person], organizations[organization]))
            if obj is not None:
                existing[(person, organization)] = obj

        def after_of(obj, values):
            after = dict(values)
            if "title" in values:
                after["title"] = self._merged(obj.title if obj else {}, values["title"])
            return after

        return self._linked("memberships", rows, existing, after_of,
                            lambda key, action: self.scope.person(people[key[0]]))

    def _compare_manual_sessions(self, rows):
        existing = self._existing_rows(rows, ManualSession, "manual_id", "manuals", lambda s: (s.manual_id, s.number))

        def after_of(obj, values):
            after = dict(values)
            for name in ("title", "part_title"):
                if name in values:
                    after[name] = self._merged(getattr(obj, name) if obj else {}, values[name])
            return after

        return self._linked("manual_sessions", rows, existing, after_of,
                            lambda key, action: self.scope.curriculum(action != "unchanged"))

    def _compare_editions(self, rows):
        existing = self._existing_rows(rows, Edition, "manual_id", "manuals",
                                       lambda e: (e.manual_id, e.language, e.variant))
        return self._linked("editions", rows, existing, lambda obj, values: values,
                            lambda key, action: self.scope.curriculum(action != "unchanged"))

    def _compare_sessions(self, rows):
        trainings = self.ids["trainings"]
        existing = self._existing_rows(rows, TrainingSession, "training_id", "trainings",
                                       lambda s: (s.training_id, s.order))
        followed = {pk: key for key, pk in self.manual_sessions.items() if pk}
        facilitators = defaultdict(set)
        through = TrainingSession.facilitators.through
        for chunk in _chunks([obj.pk for obj in existing.values()]):
            for session, person in through.objects.filter(trainingsession_id__in=chunk).values_list(
                    "trainingsession_id", "person_id"):
                facilitators[session].add(self._key("people", person))

        def before_of(obj, column):  # as the rows hold them: (manual key, number), a set of keys
            if column == "manual_session":
                return followed.get(obj.manual_session_id)
            if column == "facilitators":
                return facilitators[obj.pk]
            return getattr(obj, column)

        def after_of(obj, values):
            after = dict(values)
            if "title" in values:
                after["title"] = self._merged(obj.title if obj else {}, values["title"])
            if "facilitators" in values:
                after["facilitators"] = set(values["facilitators"])
            return after

        return self._linked("sessions", rows, existing, after_of,
                            lambda key, action: self.scope.training_part(trainings[key[0]], action != "unchanged"),
                            before_of)

    # -- participants -------------------------------------------------------------------
    def _compare_participants(self):
        """Compare participant rows by (training, person, role); only ``completed`` can change."""
        from cascade.spreadsheets.importer import _Participants

        sheet = "participants"
        rows = self.participants
        roles = Participation.Role.values
        role_index = {role: index for index, role in enumerate(roles)}
        have: dict[int, bool] = {}
        for chunk in _chunks(sorted({t for t in set(rows.trainings) if t > 0})):
            for training, person, role, completed in Participation.objects.filter(training_id__in=chunk).values_list(
                    "training_id", "person_id", "role", "completed").iterator():
                have[((training << 40) + person) * 4 + role_index[role]] = completed
        trainings, people = self.keys_of["trainings"], self.keys_of["people"]
        kept = _Participants()
        counts = self.changes.counts[sheet]
        refused: dict[int, str | None] = {}
        for count, (training, person, flags, number) in enumerate(
                zip(rows.trainings, rows.people, rows.flags, rows.numbers), start=1):
            completed = bool(flags & 1)
            before = have.get(((training << 40) + person) * 4 + (flags >> 1))
            if self.scope is not None:
                if training not in refused:
                    refused[training] = self.scope.training_part(training)
                if (self._refused(sheet, number, "training", refused[training])
                        or self._refused(sheet, number, "person", self.scope.person(person))):
                    continue
            if before is None:
                action, diff = "created", [("completed", None, completed)]
            elif before != completed:
                action, diff = "changed", [("completed", before, completed)]
            else:
                action, diff = "unchanged", []
            if self.changes.shows(sheet, action):
                key = f"{trainings.get(training, training)} / {people.get(person, person)} / {roles[flags >> 1]}"
                self.changes.record(sheet, number, key, action, diff)
            else:
                counts[action] += 1
            if action != "unchanged":
                kept.add(training, person, flags >> 1, completed, number)
            if count % 10_000 == 0:
                self.progress.update(count)
        self.progress.update(len(rows))
        self.participants = kept


def _column(name: str) -> str:
    """A field as the sheet's column is named (host_id is the host column)."""
    return name.removesuffix("_id")

