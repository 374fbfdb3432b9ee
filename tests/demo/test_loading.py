"""Loading the demo network: on an empty database, again the same, with another seed, with its files
(what the demo holds: test_network.py)."""

import pytest

from cascade.curriculum.models import Edition
from cascade.demo.network import build_demo_network
from cascade.demo.services import wipe_network
from cascade.network.models import Person
from cascade.trainings.models import Training

from .test_network import institutes, snapshot, step_downs


@pytest.fixture
def demo(db):
    """A network of the test's own: this one wipes it."""
    return build_demo_network()


def test_the_demo_loads_on_an_empty_database(db):
    assert not Training.objects.exists()
    loaded = build_demo_network()
    assert loaded["institutes"] == institutes().count() == 16
    assert loaded["step_downs"] == step_downs().count()
    assert loaded["people"] == Person.objects.count()


def test_two_loads_give_identical_data(db):
    build_demo_network()
    first = snapshot()
    wipe_network()
    assert not Person.objects.exists()
    build_demo_network()
    assert snapshot() == first


def test_another_seed_invents_other_people_in_the_same_structure(db):
    build_demo_network(seed=1)
    first = snapshot()
    wipe_network()
    build_demo_network(seed=2)
    second = snapshot()
    assert first["people"] != second["people"]
    assert [row[:2] for row in first["trainings"] if row[1] == "institute"] == [
        row[:2] for row in second["trainings"] if row[1] == "institute"]


def test_the_library_offers_stand_in_files_to_download(demo):
    with_files = Edition.objects.exclude(file="")
    assert {("leading-to-choices", "ru"), ("leading-to-choices", "ky"), ("leading-to-action", "ru")} <= set(
        with_files.values_list("manual__key", "language"))
    assert set(with_files.values_list("language", flat=True)) <= {"en", "ru", "ky"}
    russian = with_files.get(manual__key="leading-to-choices", language="ru")
    assert russian.file.read(5) == b"%PDF-"
    path = russian.file.path
    wipe_network()
    import os

    assert not os.path.exists(path), "the demo's files go with it"
