"""Kept figures: a second read with nothing written is one query; any write to what a
figure reads shows on the very next read (docs/metrics.md, "Freshness and the cache")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cascade.curriculum.models import ManualSession
from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.metrics.models import CacheState, FiguresMemo
from cascade.network.models import Country, Region
from cascade.trainings.models import TrainingSession


def fidelity(figures, generation=2):
    return figures["generations"][generation - 1]["mean_fidelity"]


@pytest.fixture
def recorded(institute, step_down, create_person, create_manual):
    """A step-down listing a 4-session manual and delivering 2 of its sessions: fidelity 0.5."""
    manual = create_manual(key="ltc", sessions=4)
    aigul = create_person()
    institute(start=0, end=2, participants=[aigul])
    training = step_down(start=10, facilitators=[aigul], manuals=[manual])
    for session in manual.sessions.all()[:2]:
        TrainingSession.objects.create(training=training, manual_session=session)
    assert fidelity(engine.figures()) == 0.5
    return training, manual


def test_a_second_read_with_nothing_written_is_one_query_and_the_same_figures(recorded):
    first = engine.figures()
    with CaptureQueriesContext(connection) as queries:
        again = engine.figures()
    assert len(queries) == 1
    assert again == first


def test_each_filter_set_is_kept_apart_and_a_region_by_name_or_code_is_one(recorded):
    whole = engine.figures()
    by_code = engine.figures(Filters.parse(region="143"))
    with CaptureQueriesContext(connection) as queries:
        by_name = engine.figures(Filters.parse(region="central asia"))
        assert engine.figures() == whole
    assert by_name == by_code
    assert len(queries) == 1 + 1 + 1  # resolving the region name, then two kept figures
    assert engine.figures(Filters.parse(region="145"))["institutes"] == 0


def test_an_agenda_item_added_changed_or_deleted_shows_at_once(recorded):
    training, manual = recorded
    third, fourth = manual.sessions.all()[2:4]
    item = TrainingSession.objects.create(training=training, manual_session=third)
    assert fidelity(engine.figures()) == 0.75
    item.manual_session = None
    item.save()
    assert fidelity(engine.figures()) == 0.5
    item.manual_session = fourth
    item.save()
    assert fidelity(engine.figures()) == 0.75
    item.delete()
    assert fidelity(engine.figures()) == 0.5


def test_a_training_no_longer_recording_any_session_leaves_fidelity_at_once(recorded):
    training, _manual = recorded
    training.sessions.all().delete()
    assert fidelity(engine.figures()) is None


def test_a_manual_list_changed_from_either_side_shows_at_once(recorded, create_manual):
    training, manual = recorded
    other = create_manual(key="other", sessions=4)
    by_manual = Filters.parse(manual="other")
    assert engine.figures(by_manual)["step_downs"] == 0
    training.manuals.add(other)  # 2 of 8 sessions in the manuals used
    assert fidelity(engine.figures()) == 0.25
    assert engine.figures(by_manual)["step_downs"] == 1
    training.manuals.remove(other)
    assert fidelity(engine.figures()) == 0.5
    assert engine.figures(by_manual)["step_downs"] == 0
    other.trainings.add(training)
    assert fidelity(engine.figures()) == 0.25
    other.trainings.clear()
    assert fidelity(engine.figures()) == 0.5
    training.manuals.clear()  # the delivered sessions still make the manual used
    assert fidelity(engine.figures()) == 0.5
    assert engine.figures(Filters.parse(manual="ltc"))["step_downs"] == 1


def test_a_manual_session_added_or_deleted_changes_fidelity_at_once(recorded):
    _training, manual = recorded
    extra = ManualSession.objects.create(manual=manual, number=5, title={"en": "Fifth"})
    assert fidelity(engine.figures()) == 0.4
    extra.delete()
    assert fidelity(engine.figures()) == 0.5


def test_a_listed_manual_deleted_leaves_the_manuals_used_at_once(recorded, create_manual):
    training, _manual = recorded
    unused = create_manual(sessions=4)
    training.manuals.add(unused)
    assert fidelity(engine.figures()) == 0.25
    unused.delete()
    assert fidelity(engine.figures()) == 0.5


def test_a_training_or_participation_saved_shows_at_once(recorded, create_person, takes_part):
    training, _manual = recorded
    before = engine.figures()
    training.women_count = 12
    training.save()
    assert engine.figures()["total_reach"] == before["total_reach"] + 12
    takes_part(create_person(), training)
    assert engine.figures()["total_reach"] == before["total_reach"] + 13


def test_a_country_moved_to_another_region_shows_in_the_region_filter_at_once(recorded):
    central_asia = Filters.parse(region="143")
    assert engine.figures(central_asia)["institutes"] == 1
    kazakhstan = Country.objects.get(code="KZ")
    kazakhstan.region_id = "145"
    kazakhstan.save()
    assert engine.figures(central_asia)["institutes"] == 0
    assert [row["region"] for row in engine.figures()["institutes_by_region"]] == ["145"]


def test_a_region_renamed_shows_in_institutes_by_region_at_once(recorded):
    assert engine.figures()["institutes_by_region"][0]["name"] == "Central Asia"
    region = Region.objects.get(code="143")
    region.name = "Central Asia (M49)"
    region.save()
    assert engine.figures()["institutes_by_region"][0]["name"] == "Central Asia (M49)"


def test_kept_figures_name_regions_in_the_readers_language(recorded):
    engine.figures()
    with translation.override("ru"):
        with CaptureQueriesContext(connection) as queries:
            names = [row["name"] for row in engine.figures()["institutes_by_region"]]
        assert names == [str(Region.objects.get(code="143"))]
    assert len(queries) == 1
    assert names != ["Central Asia"]


def test_an_agenda_edit_keeps_the_generations(recorded):
    training, manual = recorded
    TrainingSession.objects.create(training=training, manual_session=manual.sessions.all()[2])
    state = CacheState.objects.get(pk=1)
    assert state.version == state.computed_version  # figures stale, generations not


def test_raw_sql_writes_show_after_invalidate(recorded):
    from cascade.metrics import tables as T

    training, manual = recorded
    third = manual.sessions.all()[2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {T.SESSION} (training_id, manual_session_id, \"order\", title) VALUES (%s, %s, 3, %s)",
            [training.id, third.id, "{}"],
        )
    assert fidelity(engine.figures()) == 0.5  # kept until told
    engine.invalidate()
    assert fidelity(engine.figures()) == 0.75


def test_refresh_forced_drops_the_kept_figures(recorded):
    engine.figures()
    before = CacheState.objects.get(pk=1).figures_version
    engine.refresh(force=True)
    assert CacheState.objects.get(pk=1).figures_version == before + 1


def test_each_filter_set_keeps_one_row_and_only_the_current_version_counts(recorded):
    engine.figures()
    engine.figures(Filters.parse(region="143"))
    assert FiguresMemo.objects.count() == 2
    engine.invalidate()
    engine.figures()
    state = CacheState.objects.get(pk=1)
    # the region's row stays as its last figures (pages show them while a worker recomputes), but
    # it is not current: the next read of the region computes again
    current = (state.version, state.figures_version)
    assert sorted(FiguresMemo.objects.values_list("version", "figures_version")) != [current, current]
    assert engine._memo_lookup(engine._memo_key(Filters.parse(region="143")))[1] is None
    assert engine._memo_lookup(engine._memo_key(Filters()))[1] is not None


def test_a_lost_state_row_drops_every_kept_figure(recorded):
    engine.figures()
    CacheState.objects.all().delete()
    engine.invalidate_figures()
    assert not FiguresMemo.objects.exists()


def test_the_demo_loaded_after_a_read_shows_at_once(db):
    from cascade.demo.network import build_demo_network

    engine.figures()
    assert engine.figures()["institutes"] == 0  # kept
    loaded = build_demo_network()
    assert engine.figures()["institutes"] == loaded["institutes"]
