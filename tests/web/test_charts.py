"""The dashboard's charts read right: every year on the axis, a value axis from zero, one
measure per chart, right to left in Arabic, and no bar for a hidden figure."""

import datetime

import pytest
from django.urls import reverse
from lxml import html

from cascade.lib.charts import chart
from cascade.web import charts


@pytest.fixture
def years(create_person, create_training):
    """An institute in 2016 and three step-downs that year, one more in 2019: 2017 and 2018 held none.
    Six women trained; the step-downs reached 60 women and 3 men, too few men to show a donor."""
    women = [create_person(gender="woman") for _ in range(6)]
    institute = create_training(participants=women, start_date=datetime.date(2016, 3, 1))
    for index, day in enumerate((datetime.date(2016, 5, 1), datetime.date(2016, 6, 1), datetime.date(2016, 9, 1),
                                 datetime.date(2019, 5, 1))):
        create_training(kind="step-down", source_training=institute, facilitators=[women[index]],
                        start_date=day, women_count=15, men_count=1 if index < 3 else 0)
    return institute


def year_chart(client):
    page = html.fromstring(client.get(reverse("web:dashboard")).content)
    [svg] = page.xpath("//svg[contains(@class, 'columns-chart')]")
    return page, svg


def test_the_year_axis_shows_every_year_from_the_first_to_the_last(admin_client, years):
    _page, svg = year_chart(admin_client)
    assert svg.xpath("./text[@class='category']/text()") == ["2016", "2017", "2018", "2019"]
    values = [(rect.get("class"), int(rect.get("data-value"))) for rect in svg.xpath("./rect")]
    assert values == [("institute", 1), ("step-down", 3), ("institute", 0), ("step-down", 0),
                      ("institute", 0), ("step-down", 0), ("institute", 0), ("step-down", 1)]


def test_the_year_chart_has_a_value_axis_from_zero_that_its_columns_are_measured_on(admin_client, years):
    _page, svg = year_chart(admin_client)
    assert svg.get("data-measure") == "trainings"
    assert svg.get("data-axis") == "0 1 2 3"
    assert svg.xpath("./text[@class='tick']/text()") == ["0", "1", "2", "3"]
    grid = {line.get("class"): float(line.get("y1")) for line in svg.xpath("./line")}
    baseline = float(svg.xpath("./line[@class='baseline']")[0].get("y1"))
    top = min(float(line.get("y1")) for line in svg.xpath("./line"))
    assert grid["baseline"] == baseline and top < baseline
    for rect in svg.xpath("./rect"):
        height, value = float(rect.get("height")), int(rect.get("data-value"))
        assert abs(height - (baseline - top) * value / 3) < 0.1
        assert abs(float(rect.get("y")) + height - baseline) < 0.1, "every column stands on the baseline"
        assert rect.xpath("./title/text()")[0].endswith(f": {value}")


def test_the_year_chart_reads_from_the_right_in_arabic(admin_client, years):
    admin_client.post(reverse("web:set_language"), {"language": "ar", "next": "/"})
    response = admin_client.get(reverse("web:dashboard"))
    page = html.fromstring(response.content)
    assert page.get("dir") == "rtl", "the page is in Arabic"
    [svg] = page.xpath("//svg[contains(@class, 'columns-chart')]")
    x = {text.text: float(text.get("x")) for text in svg.xpath("./text[@class='category']")}
    assert x["2016"] > x["2017"] > x["2018"] > x["2019"]
    ticks = [float(text.get("x")) for text in svg.xpath("./text[@class='tick']")]
    assert min(ticks) > max(x.values()), "the value axis is on the right"


def gender_bar(client, gender):
    page = html.fromstring(client.get(reverse("web:dashboard")).content)
    [svg] = page.xpath(f"//div[@class='bars']/svg[contains(concat(' ', @class, ' '), ' {gender} ')]")
    return svg, svg.xpath("string(following-sibling::span[1])").strip()


def test_a_figure_hidden_from_a_donor_draws_no_bar(client, erin, alice, years):
    from django.test import Client

    client.force_login(erin)
    men, shown = gender_bar(client, "man")
    assert shown.startswith("<5") and men.xpath("./rect") == [], "no length for a hidden count"
    for gender in ("woman", "man", "other"):  # "*" hides too; a shown count (zero others) is drawn
        bar, shown = gender_bar(client, gender)
        assert bool(bar.xpath("./rect")) == shown.replace(",", "").isdigit(), (gender, shown)
    staff = Client()
    staff.force_login(alice)
    men, shown = gender_bar(staff, "man")
    assert shown == "3" and men.xpath("./rect"), "staff see the three men drawn"


def test_a_hidden_value_in_a_column_chart_is_written_and_not_drawn():
    svg = html.fromstring(charts.columns(chart("People", "people", "people", ["2016", "2017"],
                                               {"reach": [40, "<5"]}, kinds=("reach",))))
    assert [int(rect.get("data-value")) for rect in svg.xpath("./rect")] == [40]
    assert svg.xpath("./text[@class='mark']/text()") == ["<5"]
