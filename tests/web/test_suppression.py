"""Attacks on the figures donors read, on the demo network: subtraction across pages and tables.

Each test is an attack a reviewer ran against the pages before suppression was decided
for a whole page and periods were widened for donors; each also checks what staff see,
so that the attack would succeed if the protection went away.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cascade.accounts.models import Role
from cascade.trainings.models import Participation, Training


@pytest.fixture
def demo(demo_network, db):
    """The demo network, built once for the module (tests/conftest.py)."""
    return demo_network


@pytest.fixture
def donor_client(demo):
    user = get_user_model().objects.create_user("dora", password="a-long-pass-phrase")
    Role.objects.create(user=user, kind=Role.Kind.DONOR)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(demo):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("alice", "alice@example.org", "a-long-pass-phrase"))
    return client


def dashboard(client, **params):
    return client.get(reverse("web:dashboard"), params)


def men(figures):
    return next(row for row in figures.gender if row["gender"] == "man")


def everything(figures):
    """Every figure of the dashboard as a reader sees it (values and "<5" / "*")."""
    cells = [figures.headline] + figures.generations + figures.gender + figures.countries + figures.per_year
    return [(name, f.value, f.label) for cells_ in cells for name, f in cells_.items() if hasattr(f, "label")]


def test_a_donor_cannot_isolate_a_one_day_training_by_moving_the_end_of_the_period(donor_client, staff_client):
    before = dashboard(donor_client, until="2019-01-10")
    after = dashboard(donor_client, until="2019-01-11")
    assert everything(before.context["figures"]) == everything(after.context["figures"])
    page = after.content.decode()
    assert "widened to whole quarters" in page
    assert re.search(r"trainings until March 31, 2019", page)
    # staff's exact figures tell the two days apart: 84 men counted by head, then 88
    staff = [men(dashboard(staff_client, until=day).context["figures"])["headcount"].value
             for day in ("2019-01-10", "2019-01-11")]
    assert staff == [84, 88]


def test_named_women_minus_people_trained_at_institutes_does_not_give_generation_2_away(donor_client, staff_client):
    figures = dashboard(donor_client, since="2019-01-01").context["figures"]
    second = figures.generations[1]["people"]
    assert second.suppressed and second.label == "<5"
    # The reader's subtraction: all named people are women, generation 1 are those trained at institutes.
    named = [row["named"] for row in figures.gender]
    operands = named + [figures.headline["trained"]] + [g["people"] for g in figures.generations[2:]]
    assert any(figure.suppressed for figure in operands), "every number of the subtraction is shown"
    exact = dashboard(staff_client, since="2019-01-01").context["figures"]
    assert [row["named"].value for row in exact.gender] == [28, 0, 0]
    assert exact.headline["trained"].value == 25 and exact.generations[1]["people"].value == 3


def a_step_down_with_few_men():
    return (Training.objects.filter(kind="step-down", men_count__range=(1, 4), women_count__gte=5,
                                    participations__role=Participation.Role.FACILITATOR)
            .order_by("pk").first())


def test_the_trainings_list_gives_a_donor_ranges_that_no_page_splits_into_cells(donor_client):
    step_down = a_step_down_with_few_men()
    listed = donor_client.get(reverse("web:trainings"), {"q": step_down.key}).context["page"]
    [row] = [t for t in listed if t.pk == step_down.pk]
    assert isinstance(row.reach_shown, str) and "–" in row.reach_shown
    page = donor_client.get(reverse("web:training", args=[step_down.pk])).content.decode()
    assert row.reach_shown in page
    # nothing on the training's page to subtract from the list's figure
    assert "Women:" not in page and "Men:" not in page and "Named participants" not in page
    for t in donor_client.get(reverse("web:trainings")).context["page"]:
        assert t.reach_shown == 0 or isinstance(t.reach_shown, str)


def test_a_donor_on_a_saved_step_down_sees_no_name_and_no_small_count(donor_client, staff_client):
    step_down = a_step_down_with_few_men()
    trainers = [p.person.full_name for p in step_down.participations.filter(role=Participation.Role.FACILITATOR)]
    url = reverse("web:report_saved", args=[step_down.pk])
    response = donor_client.get(url)
    assert response.status_code in (200, 403, 404)  # the page may refuse donors altogether
    page = response.content.decode()
    assert not any(name in page for name in trainers)
    facts = re.findall(r"<dd(?![^>]*data-saved=\"photos\")[^>]*>(.*?)</dd>", page, re.S)
    assert not any(re.fullmatch(r"\s*[1-4]\s*", fact) for fact in facts), facts
    assert f">{step_down.men_count}<" not in page and 'data-saved="men"' not in page
    staff = staff_client.get(url).content.decode()
    assert any(name in staff for name in trainers) and f'data-saved="men">{step_down.men_count}<' in staff


def a_quarter_with_one_or_two_trainings():
    import datetime

    for year in range(2014, 2020):
        for month in (1, 4, 7, 10):
            since = datetime.date(year, month, 1)
            until = (since + datetime.timedelta(days=95)).replace(day=1) - datetime.timedelta(days=1)
            if 0 < Training.objects.filter(start_date__range=(since, until)).count() < 3:
                return since, until
    raise AssertionError("the demo has no quiet quarter")


def test_a_donor_sees_no_count_of_people_when_a_filter_selects_fewer_than_three_trainings(
        donor_client, staff_client):
    since, until = a_quarter_with_one_or_two_trainings()
    middle = since.replace(day=15)  # any day of the quarter selects the whole quarter for a donor
    response = dashboard(donor_client, since=middle.isoformat(), until=middle.isoformat())
    figures = response.context["figures"]
    assert figures.withheld
    assert all(figures.headline[name].suppressed for name in ("trained", "trainers", "reach"))
    assert all(row["total"].suppressed or row["total"].value == 0 for row in figures.gender)
    # a share or a median of hidden counts would describe the few people behind them
    assert figures.utilisation is None and figures.median_days is None
    assert "Too few trainings match these filters" in response.content.decode()
    exact = dashboard(staff_client, since=since.isoformat(), until=until.isoformat()).context["figures"]
    assert not exact.withheld and exact.headline["reach"].value > 0
