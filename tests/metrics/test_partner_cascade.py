"""A partner's cascade on the demo network: SWRC's figures count the step-downs its institutes grew."""

import pytest

from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.network.models import Organization
from cascade.trainings.models import Training

from . import reference


@pytest.fixture
def demo(demo_network, db):
    """The demo network, built once for the module (tests/conftest.py)."""
    return demo_network


@pytest.mark.parametrize("key", ["swrc", "bir-duino"])
def test_a_partners_figures_on_the_demo_match_the_reference(demo, key):
    cascade = reference.cascade(Organization.objects.get(key=key).id)
    expected = reference.figures(lambda training: training.id in cascade)
    got = engine.figures(Filters.parse(partner=key))
    assert {name: got[name] for name in expected} == expected
    assert got["step_downs"] > 0
    assert got["total_reach"] > got["people_trained_at_institutes"]


def test_swrc_shows_the_step_downs_grown_from_the_institutes_it_hosted(demo):
    swrc = Organization.objects.get(key="swrc")
    hosted = set(Training.objects.filter(host=swrc, kind="institute").values_list("id", flat=True))
    step_downs = engine.trainings_behind("step-downs", Filters.parse(partner="swrc"))
    assert step_downs.count() == engine.figures(Filters.parse(partner="swrc"))["step_downs"]
    # each of them has a chain of sources back to an institute SWRC hosted or co-organised
    sources = reference.sources()
    for training in step_downs:
        seen, frontier = set(), {training.id}
        while frontier and not (frontier & hosted):
            seen |= frontier
            frontier = set().union(*(sources.get(t, set()) for t in frontier)) - seen
        assert frontier & hosted or Training.objects.filter(
            id__in=frontier, co_organisers=swrc).exists(), training.key


def test_the_partners_cascades_hold_every_linked_step_down_of_the_demo(demo):
    figures = engine.figures()
    in_some_cascade = set()
    for partner in Organization.objects.all():
        in_some_cascade |= set(engine.trainings_behind("step-downs", Filters.parse(partner=partner.key))
                               .values_list("id", flat=True))
    assert len(in_some_cascade) == figures["step_downs"] - figures["unlinked_step_downs"]
