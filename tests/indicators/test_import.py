"""Importing the published layouts, and refusing anything else (more layouts: test_layouts.py)."""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cascade.indicators import services
from cascade.indicators.formats import IndicatorFileError
from cascade.indicators.models import IndicatorObservation

from tests.indicators.samples import IPU, UN_SDG, WORLD_BANK

pytestmark = pytest.mark.django_db


def test_world_bank_file_is_recognised_and_aggregates_are_skipped():
    summary = services.import_file(WORLD_BANK.read_bytes(), name="/downloads/" + WORLD_BANK.name)
    assert summary.format == "world-bank"
    assert summary.created == 14
    assert summary.skipped == ["WLD"]
    kz = IndicatorObservation.objects.get(country_id="KZ", date=datetime.date(2018, 12, 31))
    assert kz.chamber == "lower"
    assert kz.value == Decimal("27.103")
    assert (kz.source_file, kz.released) == (WORLD_BANK.name, datetime.date(2025, 7, 1))
    assert kz.unit == "%"
    assert kz.licence == "CC BY 4.0"
    assert kz.source_url == "https://data.worldbank.org/indicator/SG.GEN.PARL.ZS"


def test_un_sdg_file_gives_percentages_and_seats_and_skips_regions():
    summary = services.import_file(UN_SDG.read_bytes())
    assert summary.format == "un-sdg"
    assert summary.created == 4
    assert summary.skipped == ["Central Asia"]
    assert summary.remarks == ["1 row of other series skipped (SG_GEN_PARLNT)"]
    seats = IndicatorObservation.objects.get(country_id="KZ", unit="seats")
    assert seats.value == 29
    assert seats.date == datetime.date(2019, 1, 1)
    assert "SG_GEN_PARLN" in seats.source_name
    georgia = IndicatorObservation.objects.get(country_id="GE")
    assert georgia.licence == "CC BY 4.0"
    assert georgia.date == datetime.date(2019, 2, 1)  # the footnote: “Annual data as of 1 Feb of given year.”
    assert georgia.note == "Annual data as of 1 Feb of given year."


def test_ipu_file_keeps_each_chamber_with_its_name_and_licence():
    summary = services.import_file(IPU.read_bytes())
    assert summary.format == "ipu"
    assert summary.created == 5
    senate = IndicatorObservation.objects.get(country_id="KZ", chamber="upper")
    assert senate.value == Decimal("6.4")
    assert senate.date == datetime.date(2017, 8, 4)
    assert senate.note == "Senate"
    assert senate.licence == "CC BY-NC-SA 4.0"
    assert IndicatorObservation.objects.get(country_id="KG").chamber == "lower"


def test_importing_the_same_file_twice_reports_it_unchanged_and_duplicates_nothing():
    services.import_file(IPU.read_bytes())
    again = services.import_file(IPU.read_bytes())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert IndicatorObservation.objects.count() == 5


def test_dry_run_checks_the_file_and_writes_nothing():
    summary = services.import_file(UN_SDG.read_bytes(), dry_run=True)
    assert summary.created == 4
    assert IndicatorObservation.objects.count() == 0


def test_a_malformed_file_is_refused_naming_the_line_and_nothing_is_written(tmp_path):
    text = IPU.read_text(encoding="utf-8").splitlines()
    text[17] = text[17].replace("27.1", "twenty-seven")  # line 18: Mazhilis 2016
    bad = tmp_path / "ipu.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("indicators", "import", str(bad))
    message = str(refused.value)
    assert "nothing was written" in message
    assert "line 18: “twenty-seven” is not a number" in message
    assert IndicatorObservation.objects.count() == 0


def test_a_file_of_another_kind_is_refused_with_what_it_begins_with():
    with pytest.raises(IndicatorFileError) as refused:
        services.import_file(b"name,score\nalice,3\n")
    assert refused.value.problems[0].startswith("This is not a file of a layout Cascade imports")
    assert "name,score" in refused.value.problems[0]


def test_a_row_of_another_world_bank_indicator_in_the_file_is_a_problem_of_its_line():
    data = WORLD_BANK.read_bytes().replace(b'"SG.GEN.PARL.ZS"', b'"SP.POP.TOTL"', 1)
    with pytest.raises(IndicatorFileError) as refused:
        services.import_file(data)
    assert refused.value.problems == ["line 6: indicator “SP.POP.TOTL” is not SG.GEN.PARL.ZS (women in parliament)"]


def test_a_percentage_above_a_hundred_is_refused():
    data = UN_SDG.read_bytes().replace(b"27.1028", b"271.028")
    with pytest.raises(IndicatorFileError) as refused:
        services.import_file(data)
    assert refused.value.problems == ["line 2: 271.028 is not a percentage between 0 and 100"]


def test_a_value_repeated_within_a_file_is_refused():
    lines = IPU.read_bytes().splitlines()
    data = b"\n".join(lines + [lines[-1]]) + b"\n"
    with pytest.raises(IndicatorFileError) as refused:
        services.import_file(data)
    assert "line 22: repeats the value for GE" in refused.value.problems[0]


def test_snapshot_loads_the_network_countries_with_their_sources():
    call_command("indicators", "load-snapshot")
    senate = services.latest_before("KZ", datetime.date(2019, 1, 10))
    assert (senate.chamber, senate.value) == ("upper", Decimal("6"))
    assert senate.source_name.startswith("IPU Parline")
    assert set(IndicatorObservation.objects.values_list("country_id", flat=True)) >= {"KZ", "KG", "GE", "UZ"}
    assert all(o.source_url and o.licence for o in IndicatorObservation.objects.all())


def test_the_story_value_is_dated_strictly_before_the_training():
    call_command("indicators", "load-snapshot")
    assert services.latest_before("KZ", datetime.date(2019, 1, 1)) is None
    assert services.latest_before("KZ", datetime.date(2024, 1, 1)).chamber == "lower"


def test_show_prints_a_country_as_json(capsys):
    services.import_file(IPU.read_bytes())
    call_command("indicators", "show", "--country", "kz", "--json")
    shown = json.loads(capsys.readouterr().out)
    assert shown["country"] == "KZ"
    assert [o["chamber"] for o in shown["observations"]] == ["lower", "upper", "lower"]
    assert shown["observations"][1] == {
        "indicator": "women-in-parliament", "country": "KZ", "chamber": "upper",
        "date": "2017-08-04", "value": 6.4, "unit": "%", "source_name": "IPU Parline",
        "source_url": "https://data.ipu.org/", "licence": "CC BY-NC-SA 4.0", "note": "Senate",
        "source_file": "", "released": "2026-01-15",
    }


def test_import_with_background_queues_a_copy_and_a_worker_imports_it(tmp_path, run_jobs, settings):
    from cascade.audit.models import AuditEntry
    from cascade.jobs.models import Job

    source = tmp_path / "ipu.csv"
    source.write_bytes(IPU.read_bytes())
    out = io.StringIO()

    call_command("indicators", "import", str(source), "--background", stdout=out)

    job = Job.objects.get()
    assert (job.kind, job.state) == ("indicator-import", Job.State.QUEUED)
    assert f"/jobs/{job.pk}/" in out.getvalue() and IndicatorObservation.objects.count() == 0
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert "new, 0 updated and 0 unchanged observations" in job.result["message"]
    assert job.phase == "Writing observations" and job.done == job.total > 0
    assert IndicatorObservation.objects.count() == job.total
    assert AuditEntry.objects.filter(action="cascade.indicators.imported").exists()
    assert list(Path(settings.IMPORT_UPLOADS_DIR).iterdir()) == [] and source.exists()
