"""Partner staff plan a three-day institute with 25 participants on one page, in Russian,
and change the language half-way without losing what they typed."""

import datetime
import re

import pytest

from .conftest import sign_in
from .test_staff_app import switch_language

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIRST = datetime.date.today() + datetime.timedelta(days=60)


def _fill_agenda(page, row, *, session=None, title=None, facilitators=()):
    if session:
        page.select_option(f"#id_agenda-{row}-manual_session", label=session)
    if title:
        page.fill(f"#id_agenda-{row}-title_text", title)
    if facilitators:
        page.select_option(f"#id_agenda-{row}-facilitators", label=list(facilitators))


def plan_institute(page, url):
    """On the planning page, in Russian: a three-day agenda and 25 participants, a switch to Kazakh and
    back half-way with nothing typed lost, then one Save. Returns the institute."""
    from cascade.trainings.models import Training

    page.goto(f"{url}/trainings/new/?kind=institute")
    page.fill("#id_title_text", "Институт лидерства, Шымкент")
    page.fill("#id_start_date", FIRST.isoformat())
    page.fill("#id_end_date", (FIRST + datetime.timedelta(days=2)).isoformat())
    page.select_option("#id_country", "KZ")
    page.fill("#id_city", "Шымкент")
    page.select_option("#id_host", label="SWRC")
    page.check("text=Путь к выбору")

    # The agenda: two sessions on day one, one on day two, one on day three.
    add_session, add_day = page.locator("button[value=add-session]"), page.locator("button[value=add-day]")
    add_session.click()
    _fill_agenda(page, 0, session="1. Communication", facilitators=["Activist 27"])
    add_session.click()
    _fill_agenda(page, 1, title="Знакомство", facilitators=["Activist 27", "Activist 28"])
    add_day.click()
    _fill_agenda(page, 2, session="2. Negotiation", facilitators=["Activist 28"])
    add_day.click()
    _fill_agenda(page, 3, session="3. Coalitions", facilitators=["Activist 29"])
    assert page.input_value("#id_agenda-3-date") == (FIRST + datetime.timedelta(days=2)).isoformat()
    # "Знакомство" opens the day: moved above the first session, without a round trip.
    page.click("#agenda tbody tr:nth-child(2) button[data-move=up]")
    assert page.input_value("#id_agenda-0-title_text") == "Знакомство"

    # 25 participants: 20 pasted, 3 found by search, 2 new names in the blank rows.
    page.fill("#id_add-paste", "\n".join(f"swrc-{n:02d}" for n in range(20)))
    for n in (20, 21, 22):
        page.fill("#people-q", f"Activist {n}")
        page.click(f"#people-found button[data-name='Activist {n}']")
    page.fill("#id_people-0-new_name", "Зарина Абдиева")
    page.fill("#id_people-1-new_name", "Нино Беридзе")
    assert page.locator("[data-rows=people] tr").count() == 6

    # Half-way she switches to Kazakh: everything typed is still there.
    switch_language(page, "kk")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.input_value("#id_title_text") == "Институт лидерства, Шымкент"
    assert page.input_value("#id_agenda-0-title_text") == "Знакомство"
    assert page.eval_on_selector("#id_agenda-0-facilitators", "s => [...s.selectedOptions].map(o => o.text)") == [
        "Activist 27", "Activist 28"]
    assert page.locator("[data-rows=agenda] tr").count() == 4
    assert page.input_value("#id_people-1-new_name") == "Нино Беридзе"
    assert "Activist 21" in page.text_content("[data-rows=people]")
    assert page.input_value("#id_add-paste").count("\n") == 19
    assert page.evaluate("sessionStorage.length") == 0  # nothing of it stays in the browser
    switch_language(page, "ru")
    assert page.input_value("#id_city") == "Шымкент"

    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(r"/trainings/\d+/$"))
    training = Training.objects.get(city="Шымкент")
    assert training.participations.count() == 25
    agenda = list(training.sessions.order_by("order"))
    assert [(s.date - FIRST).days for s in agenda] == [0, 0, 1, 2]
    assert sorted(p.full_name for p in agenda[0].facilitators.all()) == ["Activist 27", "Activist 28"]
    return training


def test_partner_staff_plan_a_three_day_institute_with_25_participants_on_one_page(page, site, swrc_network):
    from tests.conftest import PASSWORD

    sign_in(page, site.url, username="bob", password=PASSWORD)
    page.goto(f"{site.url}/help/")
    switch_language(page, "ru")
    plan_institute(page, site.url)
    assert page.outside == []
