"""Random writes, one at a time: what the engine keeps after taking each in must equal a full
recompute, and its figures the slow Python reference (docs/metrics.md)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.curriculum.models import Manual, ManualSession
from cascade.metrics import engine, tables as T
from cascade.metrics.filters import Filters
from cascade.metrics.models import CacheState
from cascade.network.models import Organization, Person
from cascade.trainings.models import Participation, Training, TrainingSession

from . import reference
from .test_against_reference import START, Rollback, keep_for, training_st

ROLES = ["participant", "facilitator", "organiser"]
# A few people, each in several trainings one after another, as trainee and as trainer: most
# writes then move a source, a generation or a cascade.
linked_training_st = st.fixed_dictionaries({
    "kind": st.sampled_from(["institute", "step-down", "step-down"]),  # the first is an institute
    "gap": st.integers(0, 6),  # days after the training before it
    "length": st.one_of(st.none(), st.integers(0, 2)),
    "country": st.sampled_from(["KZ", "KG", "GE"]),
    "host": st.one_of(st.none(), st.integers(0, 2)),
    "source": st.one_of(st.none(), st.none(), st.none(), st.integers(0, 9)),
    "trainer": st.integers(0, 5),  # mostly someone trained before (5: anyone)
    "trainees": st.lists(st.tuples(st.integers(0, 5), st.sampled_from([True, True, True, False])),
                         min_size=1, max_size=3),
    "delivered": st.lists(st.integers(0, 3), max_size=2),
})
network_st = st.fixed_dictionaries({
    "people": st.integers(3, 6),
    "trainings": st.lists(linked_training_st, min_size=3, max_size=9),
})


def build_linked(network) -> None:
    hosts = [Organization.objects.create(key=f"h{i}", name=f"Host {i}", country_id="KZ") for i in range(3)]
    people = [Person.objects.create(key=f"p{i}", full_name=f"Person {i}", gender=["woman", "man"][i % 2])
              for i in range(network["people"])]
    manual = Manual.objects.create(key="m", title={"en": "Manual"})
    sessions = [ManualSession.objects.create(manual=manual, number=n + 1) for n in range(4)]
    trainings, trained, day = [], [], 0
    for i, spec in enumerate(network["trainings"]):
        day += spec["gap"]
        start = START + datetime.timedelta(days=day)
        source = spec["source"]
        training = Training.objects.create(
            key=f"t{i}", kind="institute" if i == 0 else spec["kind"], start_date=start, country_id=spec["country"],
            end_date=None if spec["length"] is None else start + datetime.timedelta(days=spec["length"]),
            host=None if spec["host"] is None else hosts[spec["host"]],
            source_training=trainings[source] if source is not None and source < len(trainings) else None)
        trainings.append(training)
        if training.kind == "step-down":
            pool = trained if trained and spec["trainer"] < 5 else people
            Participation.objects.create(training=training, person=pool[spec["trainer"] % len(pool)],
                                         role="facilitator")
        for person, completed in spec["trainees"]:
            person = people[person % len(people)]
            Participation.objects.get_or_create(training=training, person=person, role="participant",
                                                defaults={"completed": completed})
            trained.append(person)
        for n in spec["delivered"]:
            TrainingSession.objects.create(training=training, manual_session=sessions[n])
        if spec["delivered"] and spec["gap"] % 2:
            training.manuals.add(manual)


TRAINING_CHANGES = ["start", "end", "kind", "cancelled", "planned", "source", "no source", "host", "head-count",
                    "title"]
PARTICIPATION_CHANGES = ["completed", "role", "person", "training"]
# one write: what, then numbers that pick its objects and values (weighted to writes that move sources)
write_st = st.tuples(
    st.sampled_from(["add training", "change training", "change training", "change training", "delete training",
                     "add participation", "add participation", "change participation", "change participation",
                     "delete participation", "delete participation", "add agenda item", "delete agenda item",
                     "manual list", "co-organiser", "manual session", "delete person"]),
    st.integers(0, 99), st.integers(0, 99), st.integers(0, 40), st.booleans(), training_st,
)


def _nth(queryset, n):
    found = list(queryset.order_by("pk"))
    return found[n % len(found)] if found else None


def apply(write) -> None:
    """One write, through the ORM as the pages and services make it (signals and all)."""
    what, i, j, value, flag, spec = write
    trainings, people = Training.objects.all(), Person.objects.all()
    if what == "add training":
        start = START + datetime.timedelta(days=spec["start"])
        training = Training.objects.create(
            key=f"n{Training.objects.count()}-{i}", kind=spec["kind"], start_date=start,
            country_id=spec["country"], women_count=spec["women"], men_count=spec["men"],
            end_date=None if spec["length"] is None else start + datetime.timedelta(days=spec["length"]),
            source_training=None if spec["source"] is None else _nth(trainings, spec["source"]),
            host=None if spec["host"] is None else Organization.objects.get(key=f"h{spec['host']}"))
        Participation.objects.create(training=training, person=_nth(people, j), role="facilitator")
        if spec["manual"]:
            training.manuals.add(Manual.objects.get(key="m"))
    elif what == "change training":
        training, field = _nth(trainings, i), TRAINING_CHANGES[j % len(TRAINING_CHANGES)]
        if field == "start":
            training.start_date = START + datetime.timedelta(days=value)
            if training.end_date and training.end_date < training.start_date:
                training.end_date = training.start_date
        elif field == "end":
            training.end_date = training.start_date + datetime.timedelta(days=value % 4)
        elif field == "kind":
            training.kind = "institute" if training.kind == "step-down" else "step-down"
        elif field == "cancelled":
            training.cancelled = not training.cancelled
        elif field == "planned":  # moved a year ahead of today: planned, in no figure
            training.start_date = engine.today() + datetime.timedelta(days=365 + value)
            training.end_date = None
        elif field == "source":
            training.source_training = _nth(trainings.exclude(pk=training.pk), value)
        elif field == "no source":
            training.source_training = None
        elif field == "host":
            training.host = Organization.objects.get(key=f"h{value % 3}")
        elif field == "head-count":
            training.women_count = value % 7
        else:
            training.title = {"en": f"Renamed {value}"}
        training.save()
    elif what == "delete training":
        _nth(trainings, i).delete()
    elif what == "add participation":
        training, person = _nth(trainings, i), _nth(people, j)
        role = ["participant", "facilitator", "organiser"][value % 3]
        if not Participation.objects.filter(training=training, person=person, role=role).exists():
            Participation.objects.create(training=training, person=person, role=role, completed=flag)
    elif what == "change participation":
        part, field = _nth(Participation.objects.all(), i), PARTICIPATION_CHANGES[j % len(PARTICIPATION_CHANGES)]
        if part is None:
            return
        if field == "completed":
            part.completed = not part.completed
        elif field == "role":
            part.role = ROLES[(ROLES.index(part.role) + 1 + value) % len(ROLES)]
        elif field == "person":
            part.person = _nth(people, value)
        else:
            part.training = _nth(trainings, value)
        if not Participation.objects.filter(training=part.training, person=part.person, role=part.role) \
                .exclude(pk=part.pk).exists():
            part.save()
    elif what == "delete participation":
        part = _nth(Participation.objects.all(), i)
        if part:
            part.delete()
    elif what == "add agenda item":
        session = _nth(ManualSession.objects.all(), j) if j % 5 else None  # some items come from no manual
        TrainingSession.objects.create(training=_nth(trainings, i), manual_session=session)
    elif what == "delete agenda item":
        item = _nth(TrainingSession.objects.all(), i)
        if item:
            item.delete()
    elif what == "manual list":
        training = _nth(trainings, i)
        if flag:
            training.manuals.add(Manual.objects.get(key="m"))
        else:
            training.manuals.clear()
    elif what == "co-organiser":
        training, organisation = _nth(trainings, i), Organization.objects.get(key=f"h{j % 3}")
        (training.co_organisers.add if flag else training.co_organisers.remove)(organisation)
    elif what == "manual session":
        manual = Manual.objects.get(key="m")
        if flag:
            ManualSession.objects.create(manual=manual, number=manual.sessions.count() + 1)
        else:
            undelivered = manual.sessions.filter(deliveries__isnull=True).order_by("-number").first()
            if undelivered:
                undelivered.delete()
    elif what == "delete person":
        _nth(people, j).delete()


def kept_state() -> dict:
    """Everything the engine keeps between reads, in a comparable form."""
    def rows(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return sorted(cursor.fetchall(), key=repr)

    return {
        "generations": rows(f"SELECT training_id, generation, headcount, delivered, total FROM {T.TRAINING_GEN}"),
        "unlinked": rows(f"SELECT training_id, headcount FROM {T.UNLINKED}"),
        "people": rows(f"SELECT person_id, generation FROM {T.PERSON_GEN}"),
        "trainees": rows(f"SELECT person_id, institute_id, institute_end, first_step_down FROM {T.TRAINEE}"),
        "cascades": rows(f"SELECT organization_id, training_id, hop FROM {T.CASCADE}"),
        "partners' people": rows(f"SELECT organization_id, person_id, generation FROM {T.PARTNER_PERSON}"),
        "cascades asked": rows(f"SELECT organization_id FROM {T.CASCADE_COMPUTED}"),
    }


def full_recompute_state() -> dict:
    """What a full recompute keeps, undone afterwards."""
    found = {}
    try:
        with transaction.atomic():
            engine.refresh(force=True, with_cascades=True)
            found.update(kept_state())
            raise Rollback
    except Rollback:
        pass
    return found


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(network=network_st, writes=st.lists(write_st, min_size=2, max_size=6))
def test_each_write_taken_in_equals_a_full_recompute_and_the_reference(network, writes):
    full_recomputes = []
    compute = engine._compute_generations

    def counted(*args, **kwargs):
        full_recomputes.append(args)
        return compute(*args, **kwargs)

    engine._compute_generations = counted
    try:
        with transaction.atomic():
            build_linked(network)
            engine.refresh(force=True)
            for key in ("h0", "h1"):  # two partners' cascades asked for: kept with every write
                engine.cascade_of(Organization.objects.get(key=key).pk)
            for write in writes:
                try:
                    with transaction.atomic():
                        apply(write)
                except (IntegrityError, ProtectedError):
                    continue
                full_recomputes.clear()
                assert engine.refresh()
                assert not full_recomputes, f"{write} was not taken in by itself"
                assert not CacheState.objects.get(pk=1).needs_full
                assert kept_state() == full_recompute_state(), write
                generations = engine.generations_of(Training.objects.values_list("id", flat=True))
                assert generations == reference.generations(), write
                expected = reference.figures()
                got = engine.figures()
                assert {k: got[k] for k in expected} == expected, write
                for key in ("h0", "h1"):
                    partner = Organization.objects.get(key=key)
                    chosen = set(engine.trainings_behind("trainings", Filters.parse(partner=key))
                                 .values_list("id", flat=True))
                    assert chosen == reference.cascade(partner.pk), write
                    expected = reference.figures(keep_for({"partner": key}))
                    got = engine.figures(Filters.parse(partner=key))
                    assert {k: got[k] for k in expected} == expected, write
            raise Rollback
    except Rollback:
        pass
    finally:
        engine._compute_generations = compute


@pytest.mark.django_db
def test_a_write_nobody_described_is_recomputed_in_full(institute, step_down, create_person, takes_part):
    first = institute(0, 2)
    trainer = create_person()
    takes_part(trainer, first)
    later = step_down(5)
    takes_part(trainer, later, role="facilitator")
    assert engine.generations_of([later.pk]) == {later.pk: 2}
    with connection.cursor() as cursor:  # as an import's bulk write does, then says so
        cursor.execute(f"UPDATE {T.TRAINING} SET start_date = %s WHERE id = %s",
                       [START + datetime.timedelta(days=1), later.pk])
    engine.invalidate()
    assert CacheState.objects.get(pk=1).needs_full
    assert engine.generations_of([later.pk]) == {later.pk: None}  # before the institute ended
    assert not CacheState.objects.get(pk=1).needs_full


@pytest.fixture
def chain(institute, step_down, create_person, takes_part):
    """An institute; Aida, trained there, leads a step-down; Bota, trained by Aida, leads another."""
    aida, bota = create_person(), create_person()
    partner = Organization.objects.create(key="partner", name="Partner", country_id="KZ")
    first = institute(0, 2, host=partner)
    takes_part(aida, first)
    second = step_down(5, 6)
    takes_part(aida, second, role="facilitator")
    takes_part(bota, second)
    third = step_down(10)
    takes_part(bota, third, role="facilitator")
    manual = Manual.objects.create(key="m", title={"en": "Manual"})
    delivered = ManualSession.objects.create(manual=manual, number=1)
    ManualSession.objects.create(manual=manual, number=2)
    # an agenda delivering one of two sessions: its fidelity (1/2) is kept while it is linked
    TrainingSession.objects.create(training=third, manual_session=delivered)
    engine.refresh(force=True)
    assert engine.generations_of([first.pk, second.pk, third.pk]) == {first.pk: 1, second.pk: 2, third.pk: 3}
    assert set(engine.cascade_of(partner.pk)) == {first, second, third}
    return first, second, third, aida, bota


def _taken_in(*trainings):
    found = engine.generations_of([t.pk for t in trainings])
    assert not CacheState.objects.get(pk=1).needs_full
    assert kept_state() == full_recompute_state()
    assert kept_state()["cascades asked"], "the partner's cascade is kept, not dropped"
    return [found[t.pk] for t in trainings]


@pytest.mark.django_db
def test_cancelling_an_institute_unlinks_what_grew_from_it(chain):
    first, second, third, aida, bota = chain
    first.cancelled = True
    first.save()
    assert _taken_in(first, second, third) == [None, None, None]


@pytest.mark.django_db
def test_an_institute_ending_after_a_step_down_began_is_not_its_source(chain):
    first, second, third, aida, bota = chain
    first.end_date = second.start_date + datetime.timedelta(days=1)
    first.save()
    assert _taken_in(first, second, third) == [1, None, None]


@pytest.mark.django_db
def test_a_step_down_starting_on_the_institutes_last_day_grows_from_it(chain):
    first, second, third, aida, bota = chain
    first.end_date = second.start_date
    first.save()
    assert _taken_in(first, second, third) == [1, 2, 3]


@pytest.mark.django_db
def test_cancelling_a_step_down_unlinks_the_one_that_named_it_as_source(chain, step_down):
    first, second, third, aida, bota = chain
    named = step_down(20, source_training=third)
    assert engine.generations_of([named.pk]) == {named.pk: 4}
    second.cancelled = True
    second.save()
    assert _taken_in(second, third, named) == [None, None, None]


@pytest.mark.django_db
def test_a_completion_undone_unlinks_and_done_again_links(chain):
    first, second, third, aida, bota = chain
    part = Participation.objects.get(person=aida, training=first)
    part.completed = False
    part.save()
    assert _taken_in(second, third) == [None, None]
    part.completed = True
    part.save()
    assert _taken_in(second, third) == [2, 3]


@pytest.mark.django_db
def test_a_trainer_removed_unlinks_her_step_down(chain):
    first, second, third, aida, bota = chain
    Participation.objects.get(person=aida, training=second, role="facilitator").delete()
    assert _taken_in(second, third) == [None, None]


@pytest.mark.django_db
def test_a_deleted_source_leaves_its_step_downs_to_the_other_rule(chain, step_down):
    first, second, third, aida, bota = chain
    named = step_down(20, source_training=second)
    assert engine.generations_of([named.pk]) == {named.pk: 3}
    second.delete()
    assert _taken_in(first, third, named) == [1, None, None]


@pytest.mark.django_db
def test_an_earlier_source_shortens_every_generation_after_it(chain, institute, takes_part):
    first, second, third, aida, bota = chain
    takes_part(bota, institute(1, 3))
    assert _taken_in(second, third) == [2, 2]
    assert engine.figures()["generations"][1]["mean_fidelity"] == 0.5


@pytest.mark.django_db
def test_an_institute_ending_on_a_step_downs_first_day_is_its_source(chain, institute, takes_part):
    first, second, third, aida, bota = chain
    trained = takes_part(bota, institute(8, 10))  # third starts on day 10
    assert _taken_in(second, third) == [2, 2]
    trained.delete()
    assert _taken_in(second, third) == [2, 3]
