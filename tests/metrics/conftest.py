import datetime

import pytest

from cascade.trainings.models import Participation


def day(n: int) -> datetime.date:
    """Day ``n`` of a made-up calendar starting on 1 January 2019."""
    return datetime.date(2019, 1, 1) + datetime.timedelta(days=n)


@pytest.fixture
def institute(create_training):
    def create(start=0, end=None, **kwargs):
        return create_training(kind="institute", start_date=day(start), end_date=day(end) if end is not None else None, **kwargs)

    return create


@pytest.fixture
def step_down(create_training):
    def create(start, end=None, **kwargs):
        return create_training(kind="step-down", start_date=day(start), end_date=day(end) if end is not None else None, **kwargs)

    return create


@pytest.fixture
def takes_part():
    def add(person, training, role="participant", completed=True):
        return Participation.objects.create(person=person, training=training, role=role, completed=completed)

    return add
