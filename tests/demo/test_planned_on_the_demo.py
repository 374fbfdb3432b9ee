"""On the demo network: a call for a 2027 institute changes no figure and no ordinal until it is held."""

import datetime

import pytest
import time_machine

from cascade.demo.network import build_demo_network
from cascade.metrics import engine
from cascade.network.models import Country, Organization
from cascade.selection import services
from cascade.trainings.models import Participation, Training


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC)):
        yield


def test_a_call_for_2027_changes_no_figure_and_no_ordinal_of_the_demo(alice):
    build_demo_network()
    shymkent = Training.objects.get(kind="institute", start_date__year=2019, country_id="KZ")
    before, ordinal = engine.figures(), engine.ordinal(shymkent)
    assert (ordinal["ordinal"], ordinal["of"]) == (16, 16)

    swrc = Organization.objects.get(key="swrc")
    call = services.create_call(
        alice, title={"en": "Shymkent institute 2027"}, host=swrc, country=Country.objects.get(code="KZ"),
        start_date=datetime.date(2027, 5, 10), end_date=datetime.date(2027, 5, 12),
        deadline=datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC), places=20, languages=["ru"])
    for person in shymkent.participations.filter(role="participant").values_list("person", flat=True)[:5]:
        Participation.objects.create(training=call.training, person_id=person, completed=False)

    assert engine.figures() == before
    assert engine.ordinal(shymkent) == ordinal
    assert engine.ordinal(call.training)["ordinal"] == 17 and engine.ordinal(call.training)["planned"]
    with time_machine.travel(datetime.date(2027, 5, 10)):
        assert engine.figures()["institutes"] == before["institutes"] + 1
        assert engine.ordinal(shymkent)["of"] == 17
