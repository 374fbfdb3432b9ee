"""The donor report's charts read right: continuous years, a value axis from zero, one
measure per chart, no hidden figure drawn, and native charts over numbers in the XLSX."""

import datetime
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from PIL import Image

from cascade.access.suppression import Range
from cascade.lib.charts import axis, chart, years_continuous
from cascade.metrics.filters import Filters
from cascade.stories import report
from cascade.stories.pngcharts import bar_chart


@pytest.fixture
def network(create_training, create_person):
    """An institute in 2016 and step-downs in 2016 and 2019: 2017 and 2018 held nothing."""
    women = [create_person() for _ in range(6)]
    institute = create_training(participants=women, start_date=datetime.date(2016, 3, 1))
    create_training(kind="step-down", source_training=institute, facilitators=women[:2],
                    start_date=datetime.date(2016, 5, 1), women_count=120, men_count=30)
    create_training(kind="step-down", source_training=institute, facilitators=women[2:3],
                    start_date=datetime.date(2019, 5, 1), women_count=90, men_count=3)
    return institute


@pytest.fixture
def small(create_training, create_person):
    """Three women at an institute: a count a donor must not see, in the table or in a chart."""
    women = [create_person() for _ in range(3)]
    institute = create_training(participants=women, start_date=datetime.date(2016, 3, 1))
    for year, woman in ((2016, women[0]), (2017, women[1])):
        create_training(kind="step-down", source_training=institute, facilitators=[woman],
                        start_date=datetime.date(year, 5, 1), women_count=60, men_count=20)
    return institute


def charts_of(built):
    return {c.title: c for c in built.charts}


def test_the_year_axis_runs_through_years_without_trainings(network):
    years = charts_of(report.build(Filters(), exact=True))["Trainings per year"]
    assert years.categories == ("2016", "2017", "2018", "2019")
    assert [s.values for s in years.series] == [(1, 0, 0, 0), (1, 0, 0, 1)]
    assert years_continuous(years.categories)


def test_trainings_and_people_reached_are_never_drawn_on_one_scale(network):
    charts = charts_of(report.build(Filters(), exact=True))
    assert set(charts) == {"Trainings per year", "Trainings by generation", "People reached by generation"}
    trainings, reached = charts["Trainings by generation"], charts["People reached by generation"]
    assert (trainings.measure, [s.name for s in trainings.series]) == ("trainings", ["trainings"])
    assert (reached.measure, [s.name for s in reached.series]) == ("people", ["reach"])
    assert trainings.series[0].values == (1, 2) and reached.series[0].values == (6, 243)
    # each axis fits its own measure: the two step-downs are not a sliver beside 243 people
    assert trainings.ticks == [0, 1, 2] and reached.ticks == [0, 100, 200, 300]


def test_a_hidden_count_is_in_the_chart_as_its_mark_and_never_drawn(small):
    built = report.build(Filters())  # for donors
    reached = charts_of(built)["People reached by generation"]
    assert all(v in ("<5", "*") or isinstance(v, (int, Range)) for v in reached.series[0].values)
    hidden = [v for v in reached.series[0].values if not isinstance(v, int)]
    assert hidden, reached.series[0].values
    assert reached.series[0].drawn() == [v if isinstance(v, int) else None for v in reached.series[0].values]


def colour_pixels(png, colour, box):
    image = Image.open(io.BytesIO(png)).convert("RGB").crop(box)
    return sum(1 for pixel in image.get_flattened_data() if pixel == colour)


def test_the_png_draws_a_shown_count_as_a_bar_and_a_hidden_one_not_at_all():
    blue = (0x1b, 0x6c, 0xa8)
    drawn = chart("People", "people", "people", ["1", "2"], {"reach": [40, 40]}, kinds=("trainings",))
    hidden = chart("People", "people", "people", ["1", "2"], {"reach": [40, "<5"]}, kinds=("trainings",))
    right_half = (600, 0, 1200, 560)
    assert colour_pixels(bar_chart(drawn), blue, right_half) > 1000
    assert colour_pixels(bar_chart(hidden), blue, right_half) == 0
    assert colour_pixels(bar_chart(hidden), blue, (0, 0, 600, 560)) > 1000


def test_the_png_reads_right_to_left_in_arabic():
    blue = (0x1b, 0x6c, 0xa8)
    first_only = chart("T", "trainings", "trainings", ["2016", "2017"], {"t": [10, 0]}, kinds=("trainings",))
    assert colour_pixels(bar_chart(first_only, "en"), blue, (0, 0, 600, 560)) > 1000
    assert colour_pixels(bar_chart(first_only, "ar"), blue, (600, 0, 1200, 560)) > 1000
    assert colour_pixels(bar_chart(first_only, "ar"), blue, (0, 0, 600, 560)) == 0


def test_value_axes_start_at_zero_and_reach_past_the_largest_count():
    assert axis([]) == [0, 1] and axis([0, 0]) == [0, 1]
    assert axis([3]) == [0, 1, 2, 3]
    assert axis([17, 2]) == [0, 5, 10, 15, 20]
    assert axis([1238, "<5"]) == [0, 500, 1000, 1500]
    assert axis([1753]) == [0, 500, 1000, 1500, 2000]
    assert not years_continuous(["2019", "2025"])


def test_the_xlsx_has_one_sheet_per_table_with_numbers_stored_as_numbers(network):
    data = report.render(report.build(Filters(), exact=True), "xlsx")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Report", "Headline figures", "Reach by generation", "Women and men reached",
                               "Trainings per year", "Institutes"]
    headline = {row[0]: row[1] for row in book["Headline figures"].iter_rows(min_row=3, values_only=True)}
    assert headline["institutes"] == 1 and headline["total reach (named people and head-counts)"] == 249
    assert headline["trainer utilisation"] == 0.5
    assert book["Headline figures"]["B7"].number_format == "0%"
    years = list(book["Trainings per year"].iter_rows(min_row=3, max_row=6, values_only=True))
    assert years == [("2016", 1, 1, 2), ("2017", 0, 0, 0), ("2018", 0, 0, 0), ("2019", 0, 1, 1)]
    assert book["Women and men reached"]["A3"].data_type == "n"


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def chart_parts(data) -> dict:
    """The XLSX's charts by title: their kind, the cells they read, their value axis and labels."""
    from xml.etree import ElementTree

    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not re.fullmatch(r"xl/charts/chart\d+\.xml", name):
                continue
            root = ElementTree.fromstring(archive.read(name))
            title = "".join(t.text or "" for t in root.find(f"{C}chart/{C}title").iter(f"{A}t"))
            value_axis = root.find(f".//{C}valAx/{C}scaling")
            labels = root.find(f".//{C}dLbls")
            found[title] = {
                "bar": root.find(f".//{C}barChart") is not None,
                "cells": [f.text for f in root.iter(f"{C}f")],
                "min": float(value_axis.find(f"{C}min").get("val")),
                "max": float(value_axis.find(f"{C}max").get("val")),
                "blanks": root.find(f".//{C}dispBlanksAs").get("val"),
                "labels": {child.tag.removeprefix(C): child.get("val") for child in labels},
            }
    return found


def test_the_xlsx_charts_are_native_bar_charts_with_their_own_value_axes(network):
    data = report.render(report.build(Filters(), exact=True), "xlsx")
    charts = chart_parts(data)
    assert set(charts) == {"Trainings per year", "Trainings by generation", "People reached by generation"}
    assert all(c["bar"] and c["min"] == 0 and c["blanks"] == "gap" for c in charts.values())
    years = charts["Trainings per year"]
    assert years["max"] == 1 and all(f.startswith("'Trainings per year'!") for f in years["cells"])
    # the four years of the table, drawn from the columns below it (rows 10 to 13)
    assert {"'Trainings per year'!$A$10:$A$13", "'Trainings per year'!$B$10:$B$13",
            "'Trainings per year'!$C$10:$C$13"} == set(years["cells"]) - {"'Trainings per year'!B9",
                                                                           "'Trainings per year'!C9"}
    assert charts["Trainings by generation"]["max"] == 2
    assert charts["People reached by generation"]["max"] == 300
    # every bar is labelled with its value, and with nothing else
    assert charts["People reached by generation"]["labels"] == {
        "showLegendKey": "0", "showVal": "1", "showCatName": "0", "showSerName": "0"}


def test_the_xlsx_chart_leaves_a_hidden_count_empty_where_its_table_shows_the_mark(small):
    data = report.render(report.build(Filters()), "xlsx")
    sheet = load_workbook(io.BytesIO(data))["Reach by generation"]
    rows = list(sheet.iter_rows(values_only=True))
    table = rows[2:4]
    marks = [row[4] for row in table if not isinstance(row[4], int)]
    assert marks and all(mark in ("<5", "*") or re.fullmatch(r"[\d,]+–[\d,]+", mark) for mark in marks)
    drawn_title = next(i for i, row in enumerate(rows)
                       if row[0] == "People reached by generation, as drawn (hidden counts left empty)")
    drawn = {row[0]: row[1] for row in rows[drawn_title + 2:drawn_title + 2 + len(table)]}
    for row in table:
        assert drawn[row[0]] == (row[4] if isinstance(row[4], int) else None)
    first = drawn_title + 3  # the 1-based row of the first value drawn
    cells = chart_parts(data)["People reached by generation"]["cells"]
    assert f"'Reach by generation'!$B${first}:$B${first + len(table) - 1}" in cells


def test_the_file_name_says_the_filters_and_the_day(network):
    built = report.build(Filters.parse(country="KZ", since="2016-01-01", until="2019-12-31"), exact=True)
    day = datetime.date(2026, 12, 2)
    assert report.file_name(built, "xlsx", day) == "cascade-report_country-KZ_2016-01-01-to-2019-12-31_2026-12-02.xlsx"
    whole = report.build(Filters(), exact=True)
    assert report.file_name(whole, "pdf", day) == "cascade-report_whole-network_2026-12-02.pdf"
    donors = report.build(Filters.parse(since="2016-02-10"))  # widened to its quarter, as the report says
    assert report.file_name(donors, "docx", day) == "cascade-report_from-2016-01-01_2026-12-02.docx"



@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_the_xlsx_opens_in_every_language_with_a_sheet_per_table(network, lang):
    built = report.build(Filters(), lang, exact=True)
    book = load_workbook(io.BytesIO(report.render(built, "xlsx")))
    assert len(book.sheetnames) == 1 + len(built.tables)
    assert all(len(name) <= 31 for name in book.sheetnames)
    assert book.worksheets[1]["B3"].value == 1, "the institutes, as a number"
    assert all(sheet.sheet_view.rightToLeft for sheet in book) == (lang == "ar")
