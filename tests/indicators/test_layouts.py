"""Each published layout imports with the values of the file, dated as the publisher means them."""

import datetime
from decimal import Decimal

import pytest

from cascade.indicators import services
from cascade.indicators.formats import IndicatorFileError, historical_date, un_date
from cascade.indicators.models import IndicatorObservation
from tests.indicators import samples

pytestmark = pytest.mark.django_db

KZ_2018 = Decimal("27.103")


def values(**filters):
    return {(o.country_id, o.chamber, o.date): o.value
            for o in IndicatorObservation.objects.filter(**filters)}


def world_bank_values():
    return values(source_name__startswith="World Bank")


def test_a_world_bank_year_is_the_share_at_the_end_of_that_year():
    services.import_file(samples.WORLD_BANK.read_bytes())
    assert world_bank_values()[("KZ", "lower", datetime.date(2018, 12, 31))] == KZ_2018
    assert not IndicatorObservation.objects.filter(date__month=1, date__day=1).exists()


@pytest.mark.parametrize("make", [
    samples.world_bank_without_preamble,
    lambda: samples.world_bank_russian_excel("cp1251"),
    lambda: samples.world_bank_russian_excel("utf-8-sig"),
    samples.world_bank_xlsx,
], ids=["excel-resaved-csv", "russian-excel-cp1251", "russian-excel-utf8-bom", "world-bank-xlsx"])
def test_every_world_bank_layout_gives_the_values_of_the_csv_download(make):
    services.import_file(samples.WORLD_BANK.read_bytes())
    expected = world_bank_values()
    IndicatorObservation.objects.all().delete()

    summary = services.import_file(make())

    assert summary.format == "world-bank"
    assert world_bank_values() == expected
    assert summary.skipped == ["WLD"]


def test_the_world_bank_workbook_is_dated_by_its_properties_and_keeps_the_year_note():
    summary = services.import_file(samples.world_bank_xlsx(), name="API_SG.GEN.PARL.ZS_DS2_en_excel_v2_1.xlsx")
    assert summary.released == datetime.date(2025, 7, 1)
    kz = IndicatorObservation.objects.get(country_id="KZ", date=datetime.date(2016, 12, 31))
    assert kz.note == "For 2016, the IPU data as of August 10 2016 is used."
    assert kz.source_file == "API_SG.GEN.PARL.ZS_DS2_en_excel_v2_1.xlsx"


def test_a_csv_without_a_release_line_has_no_release_date():
    assert services.import_file(samples.world_bank_without_preamble()).released is None


def test_another_world_bank_indicator_is_refused_in_one_line_naming_it():
    data = samples.WORLD_BANK.read_bytes().replace(b'"SG.GEN.PARL.ZS"', b'"NY.GDP.PCAP.CD"').replace(
        b'"Proportion of seats held by women in national parliaments (%)"', b'"GDP per capita (current US$)"')
    with pytest.raises(IndicatorFileError) as refused:
        services.import_file(data)
    [line] = refused.value.problems
    assert line.startswith("This file holds the World Bank indicator NY.GDP.PCAP.CD (GDP per capita (current US$)), "
                           "not women in parliament.")
    assert "SG.GEN.PARL.ZS" in line and "SG_GEN_PARL" in line
    assert not IndicatorObservation.objects.exists()


def test_the_un_excel_download_gives_the_values_of_its_csv():
    services.import_file(samples.UN_SDG.read_bytes())
    expected = values()
    IndicatorObservation.objects.all().delete()
    summary = services.import_file(samples.un_sdg_xlsx())
    assert summary.format == "un-sdg"
    assert values() == expected
    assert summary.remarks == ["1 row of other series skipped (SG_GEN_PARLNT)"]


def test_a_un_file_of_other_series_only_is_refused_naming_them():
    lines = samples.UN_SDG.read_text(encoding="utf-8").splitlines()
    data = "\n".join([lines[0]] + [line for line in lines if "SG_GEN_PARLNT" in line]).encode()
    with pytest.raises(IndicatorFileError) as refused:
        services.import_file(data)
    assert refused.value.problems[0].startswith("This file holds the UN SDG series SG_GEN_PARLNT, not women")


def test_the_un_pivot_layout_reads_a_value_per_year_column():
    summary = services.import_file(samples.UN_PIVOT.read_bytes())
    assert summary.format == "un-sdg-pivot"
    assert summary.skipped == ["Central Asia"]
    assert summary.remarks == ["1 row of other series skipped (SG_GEN_LOCGELS)"]
    assert values(unit="%") == {
        ("KZ", "lower", datetime.date(2018, 1, 1)): Decimal("27.1"),
        ("KZ", "lower", datetime.date(2020, 1, 1)): Decimal("27.1"),
        ("KZ", "lower", datetime.date(2022, 1, 1)): Decimal("27.57"),
        ("KG", "lower", datetime.date(2018, 1, 1)): Decimal("19.17"),
        ("KG", "lower", datetime.date(2020, 1, 1)): Decimal("19.17"),
    }
    assert values(unit="seats") == {("KG", "lower", datetime.date(2018, 1, 1)): 23,
                                    ("KG", "lower", datetime.date(2020, 1, 1)): 23}


@pytest.mark.parametrize("footnote, time_detail, source, expected", [
    ("Data are as at 1 January of reporting year", "2020", "", datetime.date(2020, 1, 1)),
    ("Annual data as of 1 Feb of given year.", "2020", "", datetime.date(2020, 2, 1)),
    ("Data as of 7 Feb 2018. Only partial results were available on Feb 1.", "2018", "", datetime.date(2018, 2, 7)),
    ("", "", "the database on Women in National Parliament, accessed February 1 of given year", datetime.date(2020, 2, 1)),
    ("", "2020-03-15", "", datetime.date(2020, 3, 15)),
    ("", "", "", datetime.date(2020, 1, 1)),
])
def test_a_un_value_is_dated_as_its_footnote_says(footnote, time_detail, source, expected):
    assert un_date(2020, footnote, time_detail, source) == expected


def test_the_ipu_historical_workbook_dates_each_election_never_before_it():
    summary = services.import_file(samples.ipu_historical_xlsx())
    assert summary.format == "ipu-historical"
    assert values() == {
        ("KG", "lower", datetime.date(2005, 2, 28)): Decimal("0"),
        ("KG", "lower", datetime.date(2007, 12, 31)): Decimal("25.556"),
        ("KG", "lower", datetime.date(2010, 12, 31)): Decimal("23.333"),  # no month: 31 December
        ("KZ", "lower", datetime.date(1999, 12, 31)): Decimal("10.811"),  # the later of two rows
        ("KZ", "upper", datetime.date(2009, 5, 31)): Decimal("3.125"),  # “October - May”
        ("KZ", "upper", datetime.date(2011, 8, 31)): Decimal("4.3"),  # typed “4.3%”
    }
    assert summary.skipped == ["USSR"]
    assert summary.remarks[0].startswith("1 row repeats an earlier row's country, chamber and date; the later")
    assert "Temporary Assembly (1)" in summary.remarks[1]
    assert summary.remarks[2] == "2 rows give no share of women (“?”, “Not available”, an error)"
    kg = IndicatorObservation.objects.get(country_id="KG", date=datetime.date(2007, 12, 31))
    assert kg.note == "23 women of 90 seats; election December 2007"
    assert "no month given: dated 31 December" in IndicatorObservation.objects.get(
        country_id="KG", date__year=2010).note


@pytest.mark.parametrize("year, month, expected", [
    (2005, "February", datetime.date(2005, 2, 28)),
    (2016, "october", datetime.date(2016, 10, 31)),
    (2001, "Janauary", datetime.date(2001, 1, 31)),
    (1990, "Janvier", datetime.date(1990, 1, 31)),
    (2008, "October - May", datetime.date(2009, 5, 31)),
    (2014, "Dec 2014-Jan 2015", datetime.date(2015, 1, 31)),
    (2012, "", datetime.date(2012, 12, 31)),
    (2012, "Not available", datetime.date(2012, 12, 31)),
])
def test_a_historical_election_is_dated_to_the_end_of_the_last_month_named(year, month, expected):
    assert historical_date(year, month) == expected


def test_the_ipu_monthly_ranking_gives_each_chamber_on_its_as_of_date():
    summary = services.import_file(samples.IPU_RANKING.read_bytes(), name="women_percent_as_of2021.csv")
    assert summary.format == "ipu-ranking"
    assert summary.released == datetime.date(2021, 9, 24)
    as_of = datetime.date(2021, 9, 1)
    assert values() == {
        ("UZ", "lower", as_of): Decimal("32"), ("UZ", "upper", as_of): Decimal("25"),
        ("TJ", "lower", as_of): Decimal("23.8"), ("TJ", "upper", as_of): Decimal("24.2"),  # rank “ (ditto)
        ("KZ", "lower", as_of): Decimal("27.1"), ("KZ", "upper", as_of): Decimal("18.4"),
        ("GE", "lower", as_of): Decimal("19.3"), ("KG", "lower", as_of): Decimal("17.1"),  # “-”: no upper chamber
    }
    assert IndicatorObservation.objects.get(country_id="KG").note == "20 women of 117 seats; elections 10.2020"


def test_kyrgyzstan_lower_chamber_reads_zero_on_1_june_2007():
    """Its parliament had no women until the December 2007 election (25.6%)."""
    for data in (samples.WORLD_BANK.read_bytes(), samples.ipu_historical_xlsx(), samples.UN_SDG.read_bytes()):
        services.import_file(data)
    cited = services.latest_before("KG", datetime.date(2007, 6, 1), chamber="lower")
    assert cited.value == 0
    assert [o.value for o in services.latest_per_chamber_before("KG", datetime.date(2007, 6, 1))] == [0]
    assert services.latest_before("KG", datetime.date(2008, 1, 1), chamber="lower").value == Decimal("25.556")


def test_a_ditto_mark_in_place_of_a_share_is_a_problem_of_its_line():
    data = samples.IPU_RANKING.read_bytes().replace(b"117,20,17.1", "117,20,\u201c".encode())
    with pytest.raises(IndicatorFileError) as refused:
        services.import_file(data)
    assert refused.value.problems == ["line 11: a ditto mark where the share of women belongs: type the value it repeats"]
    assert not IndicatorObservation.objects.exists()
