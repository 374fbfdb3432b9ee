"""``engine.breakdown(filters, by)`` on small networks of a test's own (test_breakdown_rows.py reads the demo's)."""

import pytest

from cascade.metrics import engine
from cascade.metrics.filters import Filters


def test_years_without_trainings_are_rows_of_zeros(institute, step_down, create_person):
    institute(start=0, key="first")
    institute(start=4 * 365, key="later")  # 31 December 2022: nothing in 2020 and 2021
    rows = engine.breakdown(Filters(), "year")["rows"]
    assert [row["value"] for row in rows] == [2019, 2020, 2021, 2022]
    assert rows[1] == {"value": 2020, "institutes": 0, "step_downs": 0, "women": 0, "men": 0, "other": 0, "reach": 0}


def test_a_person_is_counted_in_the_year_and_country_of_her_first_training(institute, step_down, create_person,
                                                                          takes_part):
    aigul = create_person(gender="woman")
    first = institute(start=400, key="kg-2020", country_id="KG")
    later = institute(start=800, key="kz-2021", country_id="KZ")
    takes_part(aigul, later)
    takes_part(aigul, first)
    by_year = {row["value"]: row["women"] for row in engine.breakdown(Filters(), "year")["rows"]}
    by_country = {row["value"]: row["women"] for row in engine.breakdown(Filters(), "country")["rows"]}
    assert by_year == {2020: 1, 2021: 0} and by_country == {"KG": 1, "KZ": 0}
    only_kz = engine.breakdown(Filters.parse(country="KZ"), "year")["rows"]
    assert [(row["value"], row["women"]) for row in only_kz] == [(2021, 1)]


def test_rows_by_gender_count_the_trainings_that_reached_each(institute, step_down, create_person, takes_part):
    bota = create_person(gender="not stated")
    training = institute(start=0, key="inst", women_count=3)
    takes_part(bota, training)
    step_down(start=10, key="sd", men_count=2)
    rows = {row["value"]: row for row in engine.breakdown(Filters(), "gender")["rows"]}
    assert (rows["woman"]["women"], rows["woman"]["institutes"], rows["woman"]["step_downs"]) == (3, 1, 0)
    assert (rows["man"]["men"], rows["man"]["institutes"], rows["man"]["step_downs"]) == (2, 0, 1)
    assert (rows["other"]["other"], rows["other"]["institutes"]) == (1, 1)


def test_an_unknown_breakdown_is_refused_by_name(db):
    with pytest.raises(ValueError, match="by: “month” is not one of year, gender, country, partner, generation"):
        engine.breakdown(Filters(), "month")
