"""A partner's dashboard in the browser, on the demo network: SWRC's figures count the
step-downs its institutes grew, say they are not additive, and the lists behind them
open for its own staff without the names of the people in those step-downs."""

import re

import pytest

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(site):
    from cascade.demo.network import build_demo_network

    return build_demo_network()


def figure(page, name) -> int:
    return int(re.sub(r"\D", "", page.text_content(f'[data-figure="{name}"] .value')) or 0)


def results(page) -> int:
    return int(re.sub(r"\D", "", page.text_content(".pager .muted")))


def apply_partner(page, key):
    page.select_option("#id_partner", key)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")


def test_swrcs_dashboard_shows_the_step_downs_its_institutes_grew_and_their_list(page, site, demo):
    from cascade.metrics import engine
    from cascade.metrics.filters import Filters

    expected = engine.figures(Filters.parse(partner="swrc"))
    sign_in(page, site.url)
    network_step_downs = figure(page, "step-downs")
    assert not page.is_visible('[data-note="partner-cascade"]')

    apply_partner(page, "swrc")
    assert figure(page, "step-downs") == expected["step_downs"] > 0
    assert figure(page, "institutes") == expected["institutes"]
    assert figure(page, "reach") == expected["total_reach"] > figure(page, "trained")
    assert figure(page, "step-downs") < network_step_downs
    assert "do not add up to the network" in page.text_content('[data-note="partner-cascade"]')

    with page.expect_navigation():
        page.click('[data-figure="step-downs"] .value a')
    assert "partner=swrc" in page.url
    assert results(page) == expected["step_downs"]


def test_swrc_staff_open_their_cascades_step_downs_but_not_the_people_in_them(page, site, demo):
    from django.contrib.auth import get_user_model

    from cascade.accounts.models import Role
    from cascade.metrics import engine
    from cascade.metrics.filters import Filters
    from cascade.network.models import Organization

    swrc = Organization.objects.get(key="swrc")
    staff = get_user_model().objects.create_user("gulnara-staff", password=PASSWORD)
    Role.objects.create(user=staff, kind=Role.Kind.PARTNER_STAFF, organization=swrc)
    grown = engine.trainings_behind("step-downs", Filters.parse(partner="swrc")).exclude(
        host=swrc).exclude(co_organisers=swrc).filter(participations__role="participant").order_by(
        "start_date", "key").first()
    named = list(grown.participations.values_list("person__full_name", flat=True))
    assert named

    sign_in(page, site.url, username="gulnara-staff")
    page.goto(f"{site.url}/trainings/?partner=swrc&figure=step-downs")
    assert results(page) == engine.figures(Filters.parse(partner="swrc"))["step_downs"]
    page.goto(f"{site.url}/trainings/{grown.pk}/")
    text = page.text_content("main")
    assert str(grown) in text
    assert not any(name in text for name in named)
