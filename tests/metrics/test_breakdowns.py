"""The engine's breakdowns add up to its headline figures: pages rely on these sums to suppress."""

import pytest

from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.trainings.models import Participation, Training


@pytest.fixture
def demo(demo_network, db):
    """The demo network, built once for the module (tests/conftest.py)."""
    return demo_network


@pytest.mark.parametrize("filters", [{}, {"country": "KG"}, {"since": "2019-01-01"}, {"until": "2016-06-30"},
                                     {"partner": "swrc", "since": "2015-01-01"}])
def test_the_breakdowns_add_up_to_the_figures(demo, filters):
    chosen = Filters.parse(**filters)
    figures, parts = engine.figures(chosen), engine.breakdowns(chosen)
    named = sum(row["people"] for row in figures["generations"]) + figures["unlinked"]["people"]
    headcount = sum(row["headcount"] for row in figures["generations"]) + figures["unlinked"]["headcount"]
    assert sum(parts["named_by_gender"].values()) == named
    assert sum(parts["headcount_by_gender"].values()) == headcount
    assert sum(row["headcount"] for row in parts["per_country"]) == headcount
    assert sum(row["institutes"] for row in parts["per_year"]) == figures["institutes"]
    assert sum(row["step_downs"] for row in parts["per_country"]) == figures["step_downs"]


def test_the_breakdowns_count_what_plain_queries_count(demo):
    """A second, obvious count: Kyrgyzstan's trainings and their participants, by the ORM alone."""
    parts = engine.breakdowns(Filters.parse(country="KG"))
    trainings = Training.objects.filter(country_id="KG")
    women = sum(t.women_count for t in trainings)
    people = Participation.objects.filter(training__in=trainings, role="participant").values("person").distinct()
    [kg] = parts["per_country"]
    assert parts["headcount_by_gender"]["women"] == women
    assert kg["people"] == people.count() and kg["institutes"] == trainings.filter(kind="institute").count()


def test_named_participants_count_participants_only(demo):
    training = Training.objects.filter(kind="institute").first()
    expected = training.participations.filter(role="participant").count()
    assert engine.named_participants([training.pk]) == {training.pk: expected}
