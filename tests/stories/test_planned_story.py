"""A story tells what happened: a planned or cancelled training has none."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cascade.stories import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_a_planned_institute_has_no_story_until_it_is_held(create_training):
    planned = create_training(key="shymkent-2027", start_date=datetime.date(2027, 5, 10))
    with pytest.raises(services.StoryError, match="shymkent-2027 is planned .* 2027-05-10"):
        services.write(planned, "en")


def test_a_cancelled_institute_has_no_story(create_training):
    cancelled = create_training(key="osh-2019", start_date=datetime.date(2019, 5, 10), cancelled=True)
    with pytest.raises(services.StoryError, match="cancelled"):
        services.write(cancelled, "en")


def test_the_story_page_of_a_planned_institute_sends_staff_back_with_the_reason(client, alice, create_training):
    planned = create_training(key="shymkent-2027", start_date=datetime.date(2027, 5, 10))
    client.force_login(alice)
    response = client.get(reverse("stories:edit", args=[planned.key, "en"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:training", args=[planned.pk])
    assert "its story is written once it is held" in response.content.decode()
