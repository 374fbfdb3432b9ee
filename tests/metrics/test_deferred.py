"""With a worker running, a page never waits for a recompute: it shows the last figures, marked."""

import datetime

import pytest
from django.urls import reverse

from cascade.jobs.models import Job
from cascade.metrics import deferred, engine
from cascade.metrics.filters import Filters
from cascade.trainings.models import Participation


@pytest.fixture(autouse=True)
def _look_at_the_heartbeats_again():
    deferred.forget_workers()
    yield
    deferred.forget_workers()


@pytest.fixture
def network(create_training, create_person):
    institute = create_training(kind="institute", key="inst", start_date=datetime.date(2020, 1, 10), end_date=datetime.date(2020, 1, 12))
    trainer = create_person(key="t1")
    Participation.objects.create(training=institute, person=trainer, role="participant", completed=True)
    return institute, trainer


def _step_down(create_training, create_person, trainer, key, n):
    step = create_training(kind="step-down", key=key, start_date=datetime.date(2020, 3, 1), end_date=datetime.date(2020, 3, 1))
    Participation.objects.create(training=step, person=trainer, role="facilitator")
    for i in range(n):
        Participation.objects.create(training=step, person=create_person(key=f"{key}-p{i}"), role="participant")
    return step


def test_a_page_shows_the_last_figures_marked_then_the_exact_ones_once_the_worker_ran(
        network, create_training, create_person, alice, client, worker_running, run_jobs):
    institute, trainer = network
    _step_down(create_training, create_person, trainer, "sd1", 6)
    client.force_login(alice)
    first = client.get(reverse("web:dashboard"))
    assert first.context["figures"].headline["step_downs"].value == 1
    assert b"data-being-updated" not in first.content

    _step_down(create_training, create_person, trainer, "sd2", 7)  # a write: the worker will recompute
    assert Job.objects.filter(kind="recompute", state="queued").count() == 1  # one, however many rows
    page = client.get(reverse("web:dashboard"))
    assert page.context["figures"].headline["step_downs"].value == 1  # the last figures
    assert b"data-being-updated" in page.content and "shown as of" in page.content.decode()
    assert engine.figures()["step_downs"] == 2  # a command (not a page) computes exactly

    assert run_jobs() == 1
    after = client.get(reverse("web:dashboard"))
    assert after.context["figures"].headline["step_downs"].value == 2
    assert b"data-being-updated" not in after.content


def test_without_a_worker_a_page_computes_as_before(network, create_training, create_person, alice, client):
    institute, trainer = network
    client.force_login(alice)
    client.get(reverse("web:dashboard"))
    _step_down(create_training, create_person, trainer, "sd1", 6)
    page = client.get(reverse("web:dashboard"))
    assert page.context["figures"].headline["step_downs"].value == 1
    assert not Job.objects.filter(kind="recompute").exists()


def test_the_worker_recomputes_the_filter_sets_readers_asked_for(
        network, create_training, create_person, alice, client, worker_running, run_jobs):
    institute, trainer = network
    client.force_login(alice)
    client.get(reverse("web:dashboard") + "?country=KZ")
    _step_down(create_training, create_person, trainer, "sd1", 6)
    stale = client.get(reverse("web:dashboard") + "?country=KZ")
    assert stale.context["figures"].headline["step_downs"].value == 0
    run_jobs()
    key = engine._memo_key(Filters.parse(country="KZ"))
    assert engine._memo_lookup(key)[1]["step_downs"] == 1  # kept exact, before anyone reads it again
    assert client.get(reverse("web:dashboard") + "?country=KZ").context["figures"].headline["step_downs"].value == 1


def test_the_worker_keeps_the_partners_cascades_it_recomputes(
        partners, create_training, create_person, worker_running, run_jobs):
    """Partner staff open their cascade's records through it: the worker replaces a cascade in one
    transaction, so a page read meanwhile never finds it missing, and it equals a full recompute."""
    from cascade.metrics.models import PartnerCascadeComputed

    swrc = partners["swrc"]
    institute = create_training(kind="institute", host=swrc, start_date=datetime.date(2020, 1, 10),
                                end_date=datetime.date(2020, 1, 12))
    trainer = create_person(key="t1")
    Participation.objects.create(training=institute, person=trainer, role="participant", completed=True)
    first = _step_down(create_training, create_person, trainer, "sd1", 2)
    run_jobs()
    assert set(engine.cascade_of(swrc.pk)) == {institute, first}
    second = _step_down(create_training, create_person, trainer, "sd2", 2)
    run_jobs()
    assert PartnerCascadeComputed.objects.filter(organization_id=swrc.pk).exists()  # kept, not dropped
    kept = set(engine.cascade_of(swrc.pk))
    engine.refresh(force=True)
    assert kept == set(engine.cascade_of(swrc.pk)) == {institute, first, second}


def test_with_a_worker_running_no_recompute_drops_the_partners_cascades(
        partners, create_training, create_person, worker_running, run_jobs):
    """A report job or a command recomputing after a write keeps the cascades too: pages read meanwhile."""
    from cascade.metrics.models import PartnerCascadeComputed

    swrc = partners["swrc"]
    institute = create_training(kind="institute", host=swrc, start_date=datetime.date(2020, 1, 10),
                                end_date=datetime.date(2020, 1, 12))
    engine.cascade_of(swrc.pk)
    engine.invalidate()
    engine.figures()  # not a page: computes now
    assert PartnerCascadeComputed.objects.filter(organization_id=swrc.pk).exists()
    assert set(engine.cascade_of(swrc.pk)) == {institute}
