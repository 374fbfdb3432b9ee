"""Pages with planned and cancelled trainings: shown as upcoming, counted nowhere."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(fixed_today):
    """Planned and held are decided by the day: these tests run on 2 December 2026."""


@pytest.fixture
def planned(network, create_training, create_person):
    """SWRC's 2027 institute, with two people already registered."""
    return create_training(title={"en": "Shymkent institute 2027"}, host=network["swrc"], city="Shymkent",
                           start_date=datetime.date(2027, 5, 10), end_date=datetime.date(2027, 5, 12),
                           participants=[create_person(), create_person()])


def test_the_dashboard_lists_a_planned_institute_as_upcoming_and_counts_it_nowhere(admin_client, network, planned):
    response = admin_client.get(reverse("web:dashboard"))
    page = response.content.decode()
    headline = response.context["figures"].headline
    assert headline["institutes"].value == 1 and headline["trained"].value == 2
    assert 'id="upcoming"' in page and "Shymkent institute 2027" in page
    assert list(response.context["upcoming"]) == [planned]


def test_the_list_behind_institutes_leaves_a_planned_one_out(admin_client, network, planned):
    page = admin_client.get(reverse("web:trainings"), {"figure": "institutes"}).content.decode()
    assert "Shymkent institute 2019" in page and "Shymkent institute 2027" not in page


def test_a_planned_institute_says_which_it_will_be(admin_client, network, planned):
    page = admin_client.get(reverse("web:training", args=[planned.pk])).content.decode()
    assert "Planned: it will be institute no. 2 in Central Asia since 2019." in page
    assert 'data-status="planned"' in page
    held = admin_client.get(reverse("web:training", args=[network["institute"].pk])).content.decode()
    assert "Institute no. 1 of 1" in held


def test_a_cancelled_training_says_so_and_has_no_number(admin_client, network, planned):
    planned.cancelled = True
    planned.save()
    page = admin_client.get(reverse("web:training", args=[planned.pk])).content.decode()
    assert "This training was cancelled: it is counted in no figure." in page
    assert "Institute no." not in page and "will be institute" not in page
    dashboard = admin_client.get(reverse("web:dashboard"))
    assert list(dashboard.context["upcoming"]) == []


def test_the_partner_and_country_pages_list_what_is_upcoming(admin_client, network, planned):
    partner = admin_client.get(reverse("web:partner", args=[network["swrc"].pk]))
    country = admin_client.get(reverse("web:country", args=["KZ"]))
    for response in (partner, country):
        assert list(response.context["upcoming"]) == [planned]
        assert 'id="upcoming"' in response.content.decode()


def test_an_invalid_filter_lists_nothing_upcoming(admin_client, network, planned):
    response = admin_client.get(reverse("web:dashboard"), {"since": "2020-01-01", "until": "2019-01-01"})
    assert list(response.context["upcoming"]) == []


def test_completion_is_not_stored_for_a_planned_training(alice, network, planned):
    from cascade.web import services
    from cascade.web.forms import TrainingForm

    form = TrainingForm(instance=planned, user=alice, data={
        "kind": "institute", "title_text": "Shymkent institute 2027", "start_date": "2027-05-10",
        "end_date": "2027-05-12", "country": "KZ", "city": "Shymkent", "host": network["swrc"].pk,
        "women_count": 0, "men_count": 0, "other_count": 0,
    })
    assert form.is_valid(), form.errors
    services.save_training(alice, form, [{"person": network["dana"], "role": "participant", "completed": True}])
    assert not planned.participations.get(person=network["dana"]).completed



def test_the_plain_list_of_trainings_shows_a_planned_one_tagged(admin_client, network, planned):
    page = admin_client.get(reverse("web:trainings")).content.decode()
    assert "Shymkent institute 2027" in page and 'data-status="planned"' in page
    behind_a_figure = admin_client.get(reverse("web:trainings"), {"figure": "trainings"}).content.decode()
    assert "Shymkent institute 2027" not in behind_a_figure


def test_a_planned_training_reaches_nobody_yet_on_its_page(client, admin_client, erin, network, planned):
    staff = admin_client.get(reverse("web:training", args=[planned.pk])).content.decode()
    assert "Registered so far" in staff and "Named participants" not in staff
    client.force_login(erin)
    donor = client.get(reverse("web:training", args=[planned.pk]))
    assert donor.status_code == 200
    assert 'data-figure="reach"' not in donor.content.decode()
