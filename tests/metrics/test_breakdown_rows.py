"""``engine.breakdown(filters, by)``: rows by year, gender, country, partner and generation."""

import datetime

import pytest

from cascade.metrics import engine
from cascade.metrics.filters import Filters

from . import reference

COLUMNS = ("institutes", "step_downs", "women", "men", "other", "reach")


@pytest.fixture
def demo(demo_network, db):
    """The demo network, built once for the module (tests/conftest.py)."""
    return demo_network


@pytest.mark.parametrize("by", ["year", "country", "generation"])
@pytest.mark.parametrize("filters", [{}, {"country": "KG"}, {"since": "2016-01-01", "until": "2018-06-30"},
                                     {"partner": "swrc"}])
def test_rows_by_year_country_and_generation_add_up_to_the_figures(demo, by, filters):
    """Summed against what other queries count: the headline figures, and the people by gender."""
    chosen = Filters.parse(**filters)
    result, figures = engine.breakdown(chosen, by), engine.figures(chosen)
    assert result["rows"], "the demo has trainings in every one of these filters"
    by_gender = {row["value"]: row for row in engine.breakdown(chosen, "gender")["rows"]}
    expected = {"institutes": figures["institutes"], "step_downs": figures["step_downs"],
                "women": by_gender["woman"]["women"], "men": by_gender["man"]["men"],
                "other": by_gender["other"]["other"], "reach": figures["total_reach"] + figures["unlinked"]["reach"]}
    assert {column: sum(row[column] for row in result["rows"]) for column in COLUMNS} == expected
    assert {column: result["total"][column] for column in COLUMNS} == expected


@pytest.mark.parametrize("filters", [{}, {"country": "KZ"}, {"since": "2017-01-01"}])
def test_the_total_is_the_headline_reach_with_the_unlinked_step_downs(demo, filters):
    chosen = Filters.parse(**filters)
    figures, total = engine.figures(chosen), engine.breakdown(chosen, "year")["total"]
    assert total["reach"] == figures["total_reach"] + figures["unlinked"]["reach"]
    assert (total["institutes"], total["step_downs"]) == (figures["institutes"], figures["step_downs"])


def test_rows_by_generation_are_the_generation_table(demo):
    figures, rows = engine.figures(), engine.breakdown(Filters(), "generation")["rows"]
    assert [(r["value"], r["reach"]) for r in rows] == [(g["generation"], g["reach"]) for g in figures["generations"]]


@pytest.mark.parametrize("by", ["year", "gender", "country", "generation"])
def test_the_demo_breakdowns_agree_with_the_python_reference(demo, by):
    """Rows by partner are compared with the reference on random networks (test_against_reference),
    where the partner filter's own test is written once."""
    expected = reference.breakdown(by)
    got = engine.breakdown(Filters(), by)
    assert {k: got[k] for k in expected} == expected


def test_rows_by_partner_are_each_partners_figures(demo):
    rows = {row["value"]: row for row in engine.breakdown(Filters(), "partner")["rows"]}
    for key, row in rows.items():
        total = engine.breakdown(Filters.parse(partner=key), "year")["total"]
        assert row == {**total, "value": key}
    assert set(rows) == {"swrc", "bir-duino"}


def test_an_empty_selection_has_no_rows_and_a_zero_total(demo):
    result = engine.breakdown(Filters.parse(since=datetime.date(2030, 1, 1)), "year")
    assert result["rows"] == [] and result["total"]["reach"] == 0


@pytest.mark.parametrize("by", ["year", "country"])
def test_the_people_behind_each_row_are_the_named_people_it_counts(demo, by):
    chosen = Filters.parse(since="2015-01-01")
    result = engine.breakdown(chosen, by)
    named = engine.breakdowns(chosen)["named_by_gender"]
    listed = [engine.people_behind("people", chosen, group=(by, row["value"])) for row in result["rows"]]
    assert sum(people.count() for people in listed) == sum(named.values())
    women_named = [people.filter(gender="woman").count() for people in listed]
    women_headcount = [engine.list_totals(engine.trainings_behind("trainings", chosen).filter(
        **({"start_date__year": row["value"]} if by == "year" else {"country_id": row["value"]})))["women"]
        for row in result["rows"]]
    assert [a + b for a, b in zip(women_named, women_headcount)] == [row["women"] for row in result["rows"]]


def test_the_trainings_behind_a_head_count_add_up_to_it(demo):
    trainings = engine.trainings_behind("trainings", Filters.parse(country="KG"))
    for gender, column in (("woman", "women"), ("man", "men"), ("all", "headcount")):
        behind = engine.with_headcounts(trainings, gender)
        assert engine.list_totals(behind)[column] == engine.list_totals(trainings)[column]
        assert engine.list_totals(trainings.exclude(pk__in=behind))[column] == 0
    assert engine.with_headcounts(trainings, "man").count() < trainings.count()
