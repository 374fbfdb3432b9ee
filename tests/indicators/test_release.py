"""An older release does not overwrite a newer one; every problem of a file is told at once."""

import datetime
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from cascade.indicators import services
from cascade.indicators.formats import IndicatorFileError
from cascade.indicators.models import IndicatorObservation
from tests.indicators import samples

pytestmark = pytest.mark.django_db

KZ_2018 = dict(country_id="KZ", date=datetime.date(2018, 12, 31))


def release(date: str, revised: str = "27.1028037383178") -> bytes:
    """The World Bank sample as released on ``date``, with Kazakhstan's 2018 value as given."""
    return (samples.WORLD_BANK.read_bytes()
            .replace(b'"Last Updated Date","2025-07-01"', f'"Last Updated Date","{date}"'.encode())
            .replace(b'"27.1028037383178","27.1028037383178","27.1028037383178"',
                     f'"27.1028037383178","27.1028037383178","{revised}"'.encode(), 1))


def test_an_older_release_leaves_the_values_a_newer_one_revised_and_says_so():
    services.import_file(release("2022-02-15", revised="27.5"), name="new.csv")
    older = services.import_file(release("2021-03-19"), name="old.csv")
    assert (older.kept, older.kept_released) == (1, datetime.date(2022, 2, 15))
    assert (older.created, older.updated, older.unchanged) == (0, 0, 13)
    kz = IndicatorObservation.objects.get(**KZ_2018)
    assert (kz.value, kz.released, kz.source_file) == (Decimal("27.5"), datetime.date(2022, 2, 15), "new.csv")


def test_force_takes_the_older_release():
    services.import_file(release("2022-02-15", revised="27.5"))
    forced = services.import_file(release("2021-03-19"), force=True, name="old.csv")
    assert (forced.kept, forced.updated) == (0, 1)
    kz = IndicatorObservation.objects.get(**KZ_2018)
    assert (kz.value, kz.released, kz.source_file) == (Decimal("27.103"), datetime.date(2021, 3, 19), "old.csv")


def test_a_newer_release_updates_the_values_it_revises_and_leaves_the_rest_unchanged():
    services.import_file(release("2021-03-19"))
    newer = services.import_file(release("2022-02-15", revised="27.5"))
    assert (newer.created, newer.updated, newer.unchanged, newer.kept) == (0, 1, 13, 0)
    assert IndicatorObservation.objects.get(**KZ_2018).value == Decimal("27.5")


def test_a_file_without_a_release_date_does_not_overwrite_a_dated_value():
    services.import_file(release("2022-02-15", revised="27.5"))
    undated = services.import_file(samples.world_bank_without_preamble())
    assert undated.kept == 1
    assert IndicatorObservation.objects.get(**KZ_2018).value == Decimal("27.5")


def test_the_command_reports_values_left_alone_and_takes_force(tmp_path):
    new, old = tmp_path / "new.csv", tmp_path / "old.csv"
    new.write_bytes(release("2022-02-15", revised="27.5"))
    old.write_bytes(release("2021-03-19"))
    call_command("indicators", "import", str(new), stdout=io.StringIO())
    out = io.StringIO()
    call_command("indicators", "import", str(old), stdout=out, stderr=io.StringIO())
    assert "0 new, 0 updated and 13 unchanged observations (file released 2021-03-19)" in out.getvalue()
    assert ("1 value left alone: the file is older than the value it would change (released 2022-02-15); "
            "--force takes the file's value") in out.getvalue()
    call_command("indicators", "import", str(old), "--force", stdout=io.StringIO(), stderr=io.StringIO())
    assert IndicatorObservation.objects.get(**KZ_2018).value == Decimal("27.103")


def test_every_problem_is_reported_at_once_with_a_count_past_fifty():
    header = "iso_code,country,chamber,status,percentage_of_women,year,date_from,date_to,notes,structure,chamber_type"
    rows = [f"KZ,Kazakhstan,Mazhilis,Full renewal,{101 + n},{1950 + n},,,,Bicameral,Lower chamber" for n in range(60)]
    rows.append("XX,Nowhere,Senate,Full renewal,12,2001,,,,Bicameral,Upper chamber")
    with pytest.raises(IndicatorFileError) as refused:
        services.import_file(("\n".join([header, *rows]) + "\n").encode())
    problems = refused.value.problems
    assert len(problems) == 51
    assert problems[0] == "line 2: 101 is not a percentage between 0 and 100"
    assert problems[49] == "line 51: 150 is not a percentage between 0 and 100"
    assert problems[50] == "… and 11 more problems"
    assert not IndicatorObservation.objects.exists()


def test_problems_of_cells_and_of_repeated_rows_come_together():
    lines = samples.UN_SDG.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("27.1028", "271.028")
    lines[2] = lines[2].replace("19.1667", "x")
    lines.append(lines[3])  # a repeat
    with pytest.raises(IndicatorFileError) as refused:
        services.import_file(("\n".join(lines) + "\n").encode())
    problems = refused.value.problems
    assert problems[:2] == ["line 2: 271.028 is not a percentage between 0 and 100", "line 3: “x” is not a number"]
    assert problems[2].startswith("line 8: repeats the value for KZ")


def test_the_data_migration_moves_world_bank_values_to_the_end_of_their_year():
    migration = importlib.import_module("cascade.indicators.migrations.0003_world_bank_end_of_year")
    common = dict(indicator="women-in-parliament", country_id="KG", chamber="lower", unit="%")
    wb = "World Bank, World Development Indicators (SG.GEN.PARL.ZS)"
    IndicatorObservation.objects.create(**common, date=datetime.date(2007, 1, 1), value=Decimal("25.6"),
                                        source_name=wb)
    IndicatorObservation.objects.create(**common, date=datetime.date(2019, 1, 1), value=Decimal("19.2"),
                                        source_name="UN SDG Global Database, indicator 5.5.1(a) (SG_GEN_PARL)")
    migration.to_end_of_year(apps, None)
    assert sorted(IndicatorObservation.objects.values_list("source_name", "date")) == [
        ("UN SDG Global Database, indicator 5.5.1(a) (SG_GEN_PARL)", datetime.date(2019, 1, 1)),
        (wb, datetime.date(2007, 12, 31)),
    ]
    assert services.latest_before("KG", datetime.date(2007, 6, 1)) is None
    migration.to_start_of_year(apps, None)
    assert IndicatorObservation.objects.get(source_name=wb).date == datetime.date(2007, 1, 1)


def test_a_refused_file_through_the_command_writes_nothing(tmp_path):
    path = tmp_path / "gdp.csv"
    path.write_bytes(samples.WORLD_BANK.read_bytes().replace(b'"SG.GEN.PARL.ZS"', b'"NY.GDP.PCAP.CD"'))
    with pytest.raises(CommandError) as refused:
        call_command("indicators", "import", str(path), stderr=io.StringIO())
    assert "nothing was written" in str(refused.value)
    assert "NY.GDP.PCAP.CD" in str(refused.value)
    assert not IndicatorObservation.objects.exists()
