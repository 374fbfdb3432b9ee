"""Workflows for context indicators: import a file, load the snapshot, read a series.

The command, the staff pages and the story writer all call these functions.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _, ngettext

from cascade.indicators.formats import IndicatorFileError, Parsed, Row, parse
from cascade.indicators.models import WOMEN_IN_PARLIAMENT, IndicatorObservation
from cascade.jobs.progress import Progress
from cascade.network.models import Country

SNAPSHOT = Path(__file__).resolve().parent / "data" / "snapshot.csv"
KEY_FIELDS = ("indicator", "country", "chamber", "date", "unit", "source_name")
MAX_PROBLEMS = 50


@dataclass
class ImportSummary:
    format: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # values a newer release had given, left alone
    kept_released: datetime.date | None = None  # the newest release among them
    released: datetime.date | None = None
    source_file: str = ""
    skipped: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.kept


def _refuse(problems: list[str]) -> IndicatorFileError:
    """Every problem at once, the first fifty written out and the rest counted."""
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        rest = len(problems) - MAX_PROBLEMS
        shown.append(ngettext("… and %(count)d more problem", "… and %(count)d more problems", rest)
                     % {"count": rest})
    return IndicatorFileError(shown)


def _check(parsed: Parsed, progress: Progress) -> list[str]:
    """Problems only visible across rows or against the database."""
    problems, seen = [], {}
    known = set(Country.objects.filter(code__in={row.country for row in parsed.rows})
                .values_list("code", flat=True))
    progress.phase(_("Checking rows"), total=len(parsed.rows))
    for row in parsed.rows:
        progress.advance()
        where = row.where or _("line %(line)d") % {"line": row.line}
        if row.country not in known:
            problems.append(_("%(where)s: country %(code)s is not in the database")
                            % {"where": where, "code": row.country})
        key = tuple(getattr(row, name) for name in KEY_FIELDS)
        if key in seen and seen[key][0] != row.line:
            problems.append(
                _("%(where)s: repeats the value for %(country)s, %(chamber)s chamber, %(date)s of %(first)s")
                % {"where": where, "country": row.country, "chamber": row.chamber,
                   "date": row.date.isoformat(), "first": seen[key][1]}
            )
        seen.setdefault(key, (row.line, where))
    return problems


def _existing(parsed: Parsed) -> dict[tuple, IndicatorObservation]:
    """The stored observations a file's rows would land on, by key."""
    found = {}
    sources = {row.source_name for row in parsed.rows}
    query = IndicatorObservation.objects.filter(
        source_name__in=sources, country_id__in={row.country for row in parsed.rows})
    for observation in query.iterator():
        key = (observation.indicator, observation.country_id, observation.chamber, observation.date,
               observation.unit, observation.source_name)
        found[key] = observation
    return found


def save_rows(parsed: Parsed, dry_run: bool = False, progress: Progress | None = None,
              force: bool = False, source_file: str = "") -> ImportSummary:
    """Write every row or none: new values are created, changed ones updated, the same left alone.

    A value that a newer release gave (by release date) is not overwritten by an older
    file unless ``force``; neither is a dated value by a file that gives no release date.
    ``progress`` hears the rows checked, then written (inside the one transaction: a job's
    page sees the writing phase move only at its end; a terminal sees each row).
    """
    progress = progress or Progress()
    problems = list(parsed.problems) + _check(parsed, progress)
    if problems:
        raise _refuse(problems)
    summary = ImportSummary(parsed.format, released=parsed.released, source_file=source_file,
                            skipped=sorted(parsed.skipped), remarks=list(parsed.remarks), dry_run=dry_run)
    progress.phase(_("Writing observations"), total=len(parsed.rows))
    with transaction.atomic():
        existing = _existing(parsed)
        new, changed = [], []
        for row in parsed.rows:
            progress.advance()
            key = tuple(getattr(row, name) for name in KEY_FIELDS)
            stored = existing.get(key)
            if stored is None:
                new.append(IndicatorObservation(
                    indicator=row.indicator, country_id=row.country, chamber=row.chamber, date=row.date,
                    unit=row.unit, source_name=row.source_name, value=row.value, source_url=row.source_url,
                    licence=row.licence, note=row.note, source_file=source_file, released=parsed.released))
                continue
            if stored.value == row.value and stored.note == row.note:
                summary.unchanged += 1
                continue
            if not force and stored.released and (parsed.released is None or parsed.released < stored.released):
                summary.kept += 1
                summary.kept_released = max(filter(None, (summary.kept_released, stored.released)))
                continue
            stored.value, stored.note = row.value, row.note
            stored.source_url, stored.licence = row.source_url, row.licence
            stored.source_file, stored.released = source_file, parsed.released
            changed.append(stored)
        IndicatorObservation.objects.bulk_create(new, batch_size=500)
        IndicatorObservation.objects.bulk_update(
            changed, ["value", "note", "source_url", "licence", "source_file", "released"], batch_size=500)
        summary.created, summary.updated = len(new), len(changed)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def import_file(data: bytes, dry_run: bool = False, progress: Progress | None = None,
                force: bool = False, name: str = "") -> ImportSummary:
    """Import a World Bank, UN SDG or IPU file, recognised from its content.

    ``name`` is the file's name as the user gave it; each value keeps it.
    """
    progress = progress or Progress()
    progress.phase(_("Reading the file"))
    return save_rows(parse(data), dry_run=dry_run, progress=progress, force=force,
                     source_file=Path(name).name if name else "")


def load_snapshot(path: Path = SNAPSHOT) -> ImportSummary:
    """Load the shipped recent values for the network's countries (each with its source)."""
    parsed = Parsed("snapshot")
    with path.open(encoding="utf-8") as handle:
        for line, record in enumerate(csv.DictReader(handle), start=2):
            parsed.rows.append(Row(
                line=line, country=record["country"], chamber=record["chamber"],
                date=datetime.date.fromisoformat(record["date"]), value=Decimal(record["value"]),
                unit=record["unit"], source_name=record["source_name"],
                source_url=record["source_url"], licence=record["licence"], note=record["note"],
                indicator=record["indicator"],
            ))
    return save_rows(parsed, source_file=path.name)


def series(country: str, indicator: str = WOMEN_IN_PARLIAMENT, unit: str | None = "%"):
    """A country's observations, oldest first."""
    observations = IndicatorObservation.objects.filter(country_id=country.upper(), indicator=indicator)
    if unit:
        observations = observations.filter(unit=unit)
    return observations.order_by("date", "chamber", "source_name")


def latest_before(country: str, date: datetime.date, chamber: str | None = None,
                  indicator: str = WOMEN_IN_PARLIAMENT) -> IndicatorObservation | None:
    """The newest percentage dated strictly before ``date`` (what a story may cite)."""
    observations = series(country, indicator).filter(date__lt=date)
    if chamber:
        observations = observations.filter(chamber=chamber)
    return observations.order_by("-date", "chamber").first()


CHAMBER_ORDER = {"upper": 0, "lower": 1, "both": 2}


def latest_per_chamber_before(country: str, date: datetime.date, indicator: str = WOMEN_IN_PARLIAMENT,
                              within_days: int = 366) -> list[IndicatorObservation]:
    """Each chamber's newest percentage dated before ``date``, upper chamber first.

    A story cites them all rather than whichever chamber happens to sort first when
    two sources report the same day; a chamber whose newest value is more than a year
    older than the newest of all is left out as out of date.
    """
    newest = latest_before(country, date, indicator=indicator)
    if newest is None:
        return []
    found = latest_by_chamber(country, date, indicator)
    cutoff = newest.date - datetime.timedelta(days=within_days)
    return sorted((o for o in found.values() if o.date >= cutoff),
                  key=lambda o: CHAMBER_ORDER.get(o.chamber, 9))


def latest_by_chamber(country: str, before: datetime.date, indicator: str = WOMEN_IN_PARLIAMENT):
    """The newest percentage per chamber dated before ``before``."""
    found = {}
    for observation in series(country, indicator).filter(date__lt=before).order_by("-date", "source_name"):
        found.setdefault(observation.chamber, observation)
    return found


def as_dict(observation: IndicatorObservation) -> dict:
    return {
        "indicator": observation.indicator,
        "country": observation.country_id,
        "chamber": observation.chamber,
        "date": observation.date.isoformat(),
        "value": float(observation.value),
        "unit": observation.unit,
        "source_name": observation.source_name,
        "source_url": observation.source_url,
        "licence": observation.licence,
        "note": observation.note,
        "source_file": observation.source_file,
        "released": observation.released.isoformat() if observation.released else None,
    }
