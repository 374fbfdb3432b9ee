"""Random small networks: the SQL engine must agree with the slow Python reference."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cascade.curriculum.models import Manual, ManualSession
from cascade.metrics import engine
from cascade.metrics.filters import Filters
from cascade.network.models import Organization, Person
from cascade.trainings.models import Participation, Training, TrainingSession

from . import reference

COUNTRIES = ["KZ", "KG", "GE"]
START = datetime.date(2019, 1, 1)

training_st = st.fixed_dictionaries({
    "kind": st.sampled_from(["institute", "step-down", "step-down"]),
    "start": st.integers(0, 40),
    "length": st.one_of(st.none(), st.integers(0, 3)),
    "country": st.sampled_from(COUNTRIES),
    "host": st.one_of(st.none(), st.integers(0, 2)),
    "co_organisers": st.lists(st.integers(0, 2), max_size=2),
    "source": st.one_of(st.none(), st.none(), st.none(), st.integers(0, 9)),
    "women": st.integers(0, 4),
    "men": st.integers(0, 2),
    "manual": st.booleans(),
    "delivered": st.lists(st.integers(0, 3), max_size=3),
})
network_st = st.fixed_dictionaries({
    "people": st.integers(1, 6),
    "trainings": st.lists(training_st, min_size=1, max_size=10),
    "participations": st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 5), st.sampled_from(["participant", "facilitator", "organiser"]),
                  st.booleans()),
        min_size=2, max_size=30,
    ),
})
filter_st = st.one_of(
    st.just({}),
    st.fixed_dictionaries({"country": st.sampled_from(COUNTRIES)}),
    st.fixed_dictionaries({"region": st.sampled_from(["143", "145"])}),
    st.fixed_dictionaries({"partner": st.sampled_from(["h0", "h1", "h2"])}),
    st.fixed_dictionaries({"partner": st.sampled_from(["h0", "h1"]), "country": st.sampled_from(COUNTRIES)}),
    st.fixed_dictionaries({"manual": st.just("m")}),
    st.fixed_dictionaries({"since": st.integers(0, 40), "until": st.integers(0, 40)}).filter(
        lambda d: d["since"] <= d["until"]),
)


class Rollback(Exception):
    pass


def build(network) -> None:
    hosts = [Organization.objects.create(key=f"h{i}", name=f"Host {i}", country_id="KZ") for i in range(3)]
    genders = ["woman", "man", "other", "not stated"]
    people = [Person.objects.create(key=f"p{i}", full_name=f"Person {i}", gender=genders[i % 4])
              for i in range(network["people"])]
    manual = Manual.objects.create(key="m", title={"en": "Manual"})
    sessions = [ManualSession.objects.create(manual=manual, number=n + 1) for n in range(4)]
    trainings = []
    for i, spec in enumerate(network["trainings"]):
        start = START + datetime.timedelta(days=spec["start"])
        trainings.append(Training.objects.create(
            key=f"t{i}", kind=spec["kind"], start_date=start, country_id=spec["country"],
            end_date=None if spec["length"] is None else start + datetime.timedelta(days=spec["length"]),
            host=None if spec["host"] is None else hosts[spec["host"]], women_count=spec["women"], men_count=spec["men"],
        ))
    for training, spec in zip(trainings, network["trainings"]):
        if spec["source"] is not None and spec["source"] < len(trainings):
            training.source_training = trainings[spec["source"]]
            training.save()
        if spec["manual"]:
            training.manuals.add(manual)
        training.co_organisers.set([hosts[n] for n in spec["co_organisers"]])
        for n in spec["delivered"]:
            TrainingSession.objects.create(training=training, manual_session=sessions[n])
    seen = set()
    for t, p, role, completed in network["participations"]:
        t, p = t % len(trainings), p % len(people)  # every drawn participation lands somewhere
        if (t, p, role) not in seen:
            seen.add((t, p, role))
            Participation.objects.create(training=trainings[t], person=people[p], role=role, completed=completed)


def keep_for(raw):
    """The reference's reading of the filter; call it once the network is built."""
    cascade = reference.cascade(Organization.objects.get(key=raw["partner"]).id) if "partner" in raw else None

    def keep(training):
        if "country" in raw and training.country_id != raw["country"]:
            return False
        if "region" in raw and training.country.region_id != raw["region"]:
            return False
        if cascade is not None and training.id not in cascade:
            return False
        if "manual" in raw and not (training.manuals.filter(key="m").exists()
                                     or training.sessions.filter(manual_session__isnull=False).exists()):
            return False
        if "since" in raw and training.start_date < START + datetime.timedelta(days=raw["since"]):
            return False
        return not ("until" in raw and training.start_date > START + datetime.timedelta(days=raw["until"]))
    return keep


def partner_keep_for(raw):
    """The partner filter's test, for each partner's row of a breakdown by partner."""
    def partner_keep(key):
        return keep_for({**{k: v for k, v in raw.items() if k == "partner"}, "partner": key}) \
            if raw.get("partner", key) == key else (lambda training: False)
    return partner_keep


def as_filter_args(raw):
    return {k: (str(START + datetime.timedelta(days=v)) if k in ("since", "until") else v) for k, v in raw.items()}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(network=network_st, raw_filter=filter_st)
def test_the_engine_agrees_with_the_python_reference(network, raw_filter):
    try:
        with transaction.atomic():
            build(network)
            expected = reference.figures(keep_for(raw_filter))
            got = engine.figures(Filters.parse(**as_filter_args(raw_filter)))
            assert {k: got[k] for k in expected} == expected
            assert engine.generations_of(Training.objects.values_list("id", flat=True)) == reference.generations()
            for row in got["generations"]:
                behind = engine.people_behind("people", Filters.parse(**as_filter_args(raw_filter)), row["generation"])
                assert behind.count() == row["people"]
            for by in engine.BREAKDOWNS:
                parts = engine.breakdown(Filters.parse(**as_filter_args(raw_filter)), by)
                expected_parts = reference.breakdown(by, keep_for(raw_filter), partner_keep=partner_keep_for(raw_filter))
                assert {k: parts[k] for k in expected_parts} == expected_parts, by
            for partner in Organization.objects.all():
                chosen = set(engine.trainings_behind("trainings", Filters.parse(partner=partner.key))
                             .values_list("id", flat=True))
                assert chosen == reference.cascade(partner.id)
            raise Rollback
    except Rollback:
        pass
