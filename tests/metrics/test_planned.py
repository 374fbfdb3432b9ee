"""Planned, held and cancelled trainings: only what was held counts (docs/metrics.md).

A training is planned until its first day, held from then on, unless cancelled. The
clock is moved with time-machine: nothing is written when a planned training becomes
held, so the engine must notice the day by itself.
"""

import datetime

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.trainings.models import Training

from . import reference
from .conftest import day
from .test_against_reference import START, Rollback, as_filter_args, build, filter_st, keep_for, network_st

TODAY = datetime.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _today(fixed_today):
    """Planned and held are decided by the day: these tests run on 2 December 2026."""


@pytest.fixture
def held_network(institute, step_down, create_person):
    """Two held Central Asian institutes, a trainer of the first and her step-down."""
    aigul, bota = create_person(), create_person()
    first = institute(start=0, end=2, key="a-2019", participants=[aigul])
    institute(start=300, end=302, key="b-2019", participants=[bota])
    step_down(start=10, facilitators=[aigul], women_count=12, men_count=3)
    return first


def test_a_training_is_planned_until_its_first_day_then_held_unless_cancelled(create_training):
    training = create_training(start_date=datetime.date(2027, 5, 10), end_date=datetime.date(2027, 5, 12))
    assert training.status == Training.Status.PLANNED and not training.has_started
    with time_machine.travel(datetime.date(2027, 5, 10)):
        assert training.status == Training.Status.HELD and training.has_started and not training.has_ended
    with time_machine.travel(datetime.date(2027, 5, 12)):
        assert training.has_ended
    training.cancelled = True
    with time_machine.travel(datetime.date(2027, 5, 12)):
        assert training.status == Training.Status.CANCELLED and not training.has_started


def test_a_planned_institute_changes_no_figure_and_no_ordinal_until_it_is_held(
    held_network, institute, create_person
):
    before = engine.figures()
    ordinal_before = engine.ordinal(held_network)
    planned = institute(start=0, key="c-2027", participants=[create_person(), create_person()])
    planned.start_date, planned.end_date = datetime.date(2027, 5, 10), datetime.date(2027, 5, 12)
    planned.save()

    assert engine.figures() == before
    assert engine.ordinal(held_network) == ordinal_before
    assert planned not in engine.trainings_behind("institutes")
    assert engine.generations_of([planned.pk]) == {planned.pk: None}

    with time_machine.travel(datetime.date(2027, 5, 10)):  # no write: the day alone makes it held
        after = engine.figures()
        assert after["institutes"] == before["institutes"] + 1
        assert after["people_trained_at_institutes"] == before["people_trained_at_institutes"] + 2
        assert engine.ordinal(held_network)["of"] == ordinal_before["of"] + 1
        assert engine.ordinal(planned)["planned"] is False
        assert engine.generations_of([planned.pk]) == {planned.pk: 1}


def test_a_planned_institute_says_which_it_will_be(held_network, institute):
    later = institute(start=0, key="z-2027b")
    sooner = institute(start=0, key="z-2027a")
    sooner.start_date, later.start_date = datetime.date(2027, 3, 1), datetime.date(2027, 9, 1)
    sooner.save(), later.save()
    assert engine.ordinal(sooner)["ordinal"] == 3 and engine.ordinal(sooner)["planned"] is True
    assert engine.ordinal(later)["ordinal"] == 4
    assert engine.ordinal(held_network)["of"] == 2
    same_day = institute(start=0, key="z-2027aa")
    same_day.start_date = sooner.start_date
    same_day.save()
    assert [engine.ordinal(t)["ordinal"] for t in (sooner, same_day, later)] == [3, 4, 5]


def test_a_cancelled_training_is_never_counted_and_has_no_number(held_network, institute, step_down, create_person):
    before = engine.figures()
    gone = institute(start=20, key="a-2019-cancelled", participants=[create_person()], cancelled=True)
    step_down(start=30, women_count=40, cancelled=True)
    assert engine.figures() == before
    with pytest.raises(ValueError):
        engine.ordinal(gone)
    assert not engine.upcoming().filter(pk=gone.pk).exists()


def test_a_planned_step_down_makes_nobody_a_trainer_yet(institute, step_down, create_person):
    aigul = create_person()
    institute(start=0, end=2, participants=[aigul])
    planned = step_down(start=0, facilitators=[aigul], women_count=9)
    planned.start_date = datetime.date(2027, 2, 1)
    planned.save()
    figures = engine.figures()
    assert figures["trainers"] == 0 and figures["step_downs"] == 0 and figures["total_reach"] == 1
    assert list(engine.upcoming()) == [planned]


def test_upcoming_lists_the_planned_trainings_a_filter_selects_soonest_first(institute, create_training):
    kz_late = create_training(start_date=datetime.date(2027, 9, 1), country_id="KZ")
    kz_soon = create_training(start_date=datetime.date(2027, 1, 5), country_id="KZ")
    create_training(start_date=datetime.date(2027, 1, 6), country_id="GE")
    institute(start=0)  # held in 2019
    assert list(engine.upcoming(Filters.parse(country="KZ"))) == [kz_soon, kz_late]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(network=network_st, raw_filter=filter_st, today=st.integers(0, 45),
       cancelled=st.lists(st.integers(0, 9), max_size=3))
def test_the_engine_agrees_with_the_reference_whatever_today_is_and_whatever_was_cancelled(
    network, raw_filter, today, cancelled
):
    with time_machine.travel(START + datetime.timedelta(days=today)):
        try:
            with transaction.atomic():
                build(network)
                Training.objects.filter(key__in=[f"t{i}" for i in cancelled]).update(cancelled=True)
                engine.invalidate()
                expected = reference.figures(keep_for(raw_filter))
                got = engine.figures(Filters.parse(**as_filter_args(raw_filter)))
                assert {k: got[k] for k in expected} == expected
                assert engine.generations_of(Training.objects.values_list("id", flat=True)) == reference.generations()
                raise Rollback
        except Rollback:
            pass


def test_the_day_of_the_filter_is_the_first_day_so_day_zero_counts(institute):
    """A training whose first day is today is held today (not tomorrow)."""
    training = institute(start=0)
    with time_machine.travel(day(0)):
        assert engine.figures()["institutes"] == 1
    with time_machine.travel(day(-1)):
        assert engine.figures()["institutes"] == 0
        assert list(engine.upcoming()) == [training]


def test_cascade_ordinal_says_which_a_planned_institute_will_be_and_refuses_a_cancelled_one(held_network, institute):
    from django.core.management import CommandError

    from .test_commands import run

    planned = institute(start=0, key="c-2027")
    planned.start_date = datetime.date(2027, 5, 10)
    planned.save()
    institute(start=20, key="a-2019-cancelled", cancelled=True)
    assert run("ordinal", "c-2027").strip() == "Planned: it will be institute 3 in Central Asia since 2019"
    assert run("ordinal", "b-2019").strip() == "Institute 2 of 2 in Central Asia since 2019"
    with pytest.raises(CommandError, match="was cancelled"):
        run("ordinal", "a-2019-cancelled")


def test_a_trainings_tree_grows_only_held_step_downs(institute, step_down, create_person):
    from cascade.metrics.trees import training_tree

    aigul = create_person()
    root = institute(start=0, end=2, participants=[aigul])
    held = step_down(start=10, facilitators=[aigul])
    planned = step_down(start=0, facilitators=[aigul], source_training=root)
    planned.start_date = datetime.date(2027, 2, 1)
    planned.save()
    step_down(start=20, facilitators=[aigul], cancelled=True)
    tree = training_tree(root, with_people=False)
    assert [child.training for child in tree.roots[0].children] == [held]


def test_the_admins_check_refuses_completion_of_a_planned_training(create_training, create_person):
    from django.core.exceptions import ValidationError

    from cascade.trainings.models import Participation

    planned = create_training(start_date=datetime.date(2027, 5, 10))
    registered = Participation(training=planned, person=create_person(), completed=True)
    with pytest.raises(ValidationError) as error:
        registered.full_clean()
    assert "completed" in error.value.message_dict
    registered.completed = False
    registered.full_clean()
