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
from django.utils.translation import gettext as _

from cascade.indicators.formats import IndicatorFileError, Parsed, Row, parse
from cascade.indicators.models import WOMEN_IN_PARLIAMENT, IndicatorObservation
from cascade.jobs.progress import Progress
from cascade.network.models import Country

SNAPSHOT = Path(__file__).resolve().parent / "data" / "snapshot.csv"
KEY_FIELDS = ("indicator", "country", "chamber", "date", "unit", "source_name")


@dataclass
class ImportSummary:
    format: str
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.created + self.updated


def _check(parsed: Parsed, progress: Progress) -> None:
    """Problems only visible across rows or against the database."""
    problems, seen = [], {}
    known = set(Country.objects.filter(code__in={row.country for row in parsed.rows})
                .values_list("code", flat=True))
    progress.phase(_("Checking rows"), total=len(parsed.rows))
    for row in parsed.rows:
        progress.advance()
        if row.country not in known:
            problems.append(_("line %(line)d: country %(code)s is not in the database")
                            % {"line": row.line, "code": row.country})
        key = tuple(getattr(row, name) for name in KEY_FIELDS)
        if key in seen and seen[key] != row.line:
            problems.append(
                _("line %(line)d: repeats the value for %(country)s, %(chamber)s chamber, %(date)s of line %(first)d")
                % {"line": row.line, "country": row.country, "chamber": row.chamber,
                   "date": row.date.isoformat(), "first": seen[key]}
            )
        seen.setdefault(key, row.line)
    if problems:
        raise IndicatorFileError(problems[:20])


def save_rows(parsed: Parsed, dry_run: bool = False, progress: Progress | None = None) -> ImportSummary:
    """Write every row or none; a re-import updates values instead of duplicating them.

    ``progress`` hears the rows checked, then written (inside the one transaction: a job's
    page sees the writing phase move only at its end; a terminal sees each row).
    """
    progress = progress or Progress()
    _check(parsed, progress)
    summary = ImportSummary(parsed.format, skipped=sorted(parsed.skipped), dry_run=dry_run)
    progress.phase(_("Writing observations"), total=len(parsed.rows))
    with transaction.atomic():
        for row in parsed.rows:
            progress.advance()
            key = {name: getattr(row, name) for name in KEY_FIELDS}
            key["country_id"] = key.pop("country")
            defaults = {"value": row.value, "source_url": row.source_url,
                        "licence": row.licence, "note": row.note}
            _obj, created = IndicatorObservation.objects.update_or_create(**key, defaults=defaults)
            if created:
                summary.created += 1
            else:
                summary.updated += 1
        if dry_run:
            transaction.set_rollback(True)
    return summary


def import_file(data: bytes, dry_run: bool = False, progress: Progress | None = None) -> ImportSummary:
    """Import a World Bank, UN SDG or IPU Parline file, recognised from its content."""
    progress = progress or Progress()
    progress.phase(_("Reading the file"))
    return save_rows(parse(data), dry_run=dry_run, progress=progress)


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
    return save_rows(parsed)


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
    }
