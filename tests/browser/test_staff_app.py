"""A programme officer records an institute, a trainer reports a step-down from her phone in
Russian, the dashboard moves; the Arabic interface mirrors; axe finds no serious violation."""

import datetime
import re

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def curriculum(transactional_db):
    from cascade.curriculum.models import Manual, ManualSession
    from cascade.network.models import Organization

    manual = Manual.objects.create(key="leading-to-choices", title={"en": "Leading to Choices",
                                                                      "ru": "Путь к выбору"})
    for number, title in enumerate(["Communication", "Negotiation", "Coalitions"], start=1):
        ManualSession.objects.create(manual=manual, number=number, title={"en": title})
    Organization.objects.create(key="swrc", name="Shymkent Women's Resource Center", short_name="SWRC",
                                country_id="KZ")
    return manual


def figure(page, name) -> int:
    return int(re.sub(r"\D", "", page.text_content(f'[data-figure="{name}"] .value')) or 0)


def switch_language(page, code):
    with page.expect_navigation():
        page.select_option("#language-select", code)


def test_an_institute_then_a_step_down_reported_from_a_phone_in_russian_move_the_dashboard(page, site, curriculum):
    sign_in(page, site.url)
    step_downs_before = figure(page, "step-downs")

    # A programme officer records the institute with its participants.
    page.goto(f"{site.url}/trainings/new/")
    page.fill("#id_title_text", "Shymkent institute 2024")
    page.fill("#id_start_date", "2024-01-15")
    page.fill("#id_end_date", "2024-01-17")
    page.select_option("#id_country", "KZ")
    page.fill("#id_city", "Shymkent")
    page.select_option("#id_host", label="SWRC")
    page.check("text=Leading to Choices")
    page.fill("#id_people-0-new_name", "Aigul Nurova")
    page.fill("#id_people-1-new_name", "Dana Seitova")
    page.fill("#id_people-2-new_name", "Nino Beridze")
    page.select_option("#id_people-2-role", "facilitator")
    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(r"/trainings/\d+/$"))
    assert "Aigul Nurova" in page.text_content("main")
    assert "Dana Seitova" in page.text_content("main")

    # A trainer reports her step-down on a phone, in Russian.
    switch_language(page, "ru")
    page.set_viewport_size(PHONE)
    page.click("a.report")
    page.wait_for_url(re.compile(r"/report/when/$"))
    assert page.text_content("h1") == "Когда и где"
    page.select_option("#id_when-trainer", label="Aigul Nurova")
    # Where she trained is offered as soon as she is chosen, her newest completed training first and chosen.
    page.wait_for_selector("#id_when-source_training option:checked:not([value=''])", state="attached")
    assert page.eval_on_selector("#id_when-source_training", "s => s.selectedOptions[0].text").startswith(
        "Shymkent institute 2024")
    future = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    page.fill("#id_when-start_date", future)
    page.wait_for_selector("#err-when-start_date li")  # checked as she types, before she submits
    assert "будущем" in page.text_content("#err-when-start_date")
    page.fill("#id_when-start_date", "2024-03-02")
    page.wait_for_selector("#err-when-start_date li", state="detached")
    page.select_option("#id_when-country", "KZ")
    # The city's list fills with the country's towns in Russian; the country's own check is untouched.
    page.wait_for_function("document.querySelectorAll('#places-when-city option').length > 10")
    assert page.locator("#places-when-city option[value='Шымкент']").count() == 1
    assert page.locator("#err-when-country option").count() == 0
    page.fill("#id_when-city", "Lenger")
    assert_fits_the_screen(page)
    page.click("button.primary")

    page.wait_for_url(re.compile(r"/report/manual/$"))
    page.select_option("#id_manual-manual", label="Путь к выбору")
    assert_fits_the_screen(page)
    page.click("button.primary")

    page.wait_for_url(re.compile(r"/report/sessions/$"))
    page.check("text=Communication")
    page.check("text=Negotiation")
    assert_fits_the_screen(page)
    page.click("button.primary")

    page.wait_for_url(re.compile(r"/report/people/$"))
    # Everyone who came, by gender, then the two women who agreed to be named.
    page.fill("#id_people-women", "18")
    page.fill("#id_people-men", "2")
    page.fill("#id_people-women_names", "Гульмира Садыкова\nАсель Тохтарова")
    page.fill("#id_people-women", "1")  # fewer women than named: refused as she types
    page.wait_for_selector("#err-people-women li")
    page.fill("#id_people-women", "18")
    page.wait_for_selector("#err-people-women li", state="detached")
    assert_fits_the_screen(page)
    page.click("button.primary")

    page.wait_for_url(re.compile(r"/report/review/$"))
    assert "Lenger" in page.text_content("main")
    # The summary is longer than one screen, but nothing (the photo box) may push it sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/report/saved/\d+/$"))
    assert page.text_content("h1") == "Сохранено. Спасибо!"
    saved = {name: page.text_content(f'[data-saved="{name}"]') for name in ("women", "men", "named", "unnamed", "reach")}
    assert saved == {"women": "18", "men": "2", "named": "2", "unnamed": "18", "reach": "20"}

    page.set_viewport_size(DESKTOP)
    page.goto(f"{site.url}/")
    assert figure(page, "step-downs") == step_downs_before + 1
    assert page.outside == []


def assert_fits_the_screen(page):
    """One phone screen per step: the button that goes on is visible without scrolling."""
    box = page.locator("main button.primary").bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], f"the button ends at {box['y'] + box['height']}px"


def test_the_arabic_interface_is_laid_out_right_to_left(page, site, curriculum):
    sign_in(page, site.url)
    nav, main = page.locator("nav.side").bounding_box(), page.locator("main").bounding_box()
    assert nav["x"] < main["x"]
    switch_language(page, "ar")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    nav, main = page.locator("nav.side").bounding_box(), page.locator("main").bounding_box()
    assert nav["x"] > main["x"], "the navigation moves to the right-hand side"
    heading = page.locator("main h1").bounding_box()
    assert heading["x"] + heading["width"] > main["x"] + main["width"] - 80, "headings start on the right"


MAIN_PAGES = ["/", "/trainings/", "/trainings/new/", "/people/", "/partners/", "/library/",
              "/search/?q=Sh", "/report/when/", "/help/", "/countries/KZ/"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_main_pages_have_no_serious_accessibility_violation_and_stay_light(
        page, site, curriculum, axe_source, language):
    from cascade.network.models import Person
    from cascade.trainings.models import Participation, Training

    institute = Training.objects.create(key="t1", kind="institute", title={"en": "Shymkent institute"},
                                        start_date=datetime.date(2019, 1, 10), country_id="KZ",
                                        city="Shymkent")
    person = Person.objects.create(key="p1", full_name="Aigul Nurova", gender="woman", country_id="KZ")
    Participation.objects.create(training=institute, person=person)
    sign_in(page, site.url)
    if language != "en":
        switch_language(page, language)
    failures = []
    for path in MAIN_PAGES + [f"/trainings/{institute.pk}/", f"/people/{person.pk}/",
                              f"/library/{curriculum.key}/"]:
        page.goto(f"{site.url}{path}")
        page.add_script_tag(content=axe_source)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                failures.append(f"{path}: {violation['id']} ({violation['impact']}): "
                                f"{[n['target'] for n in violation['nodes']][:3]}")
        weight = page.evaluate(
            "performance.getEntriesByType('navigation')[0].encodedBodySize + performance"
            ".getEntriesByType('resource').reduce((sum, r) => sum + r.encodedBodySize, 0)")
        assert weight < 200_000, f"{path} weighs {weight} bytes"
    assert failures == []
    assert page.outside == []


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_main_pages_fit_a_phone_screen_without_scrolling_sideways(page, site, curriculum, language):
    """Wide tables scroll inside their own box; nothing else may push the page past 360 px."""
    from cascade.network.models import Person
    from cascade.trainings.models import Participation, Training

    institute = Training.objects.create(key="t1", kind="institute", title={"en": "Shymkent institute"},
                                        start_date=datetime.date(2019, 1, 10), country_id="KZ", city="Shymkent")
    person = Person.objects.create(key="p1", full_name="Aigul Nurova", gender="woman", country_id="KZ")
    Participation.objects.create(training=institute, person=person)
    step_down = Training.objects.create(key="s1", kind="step-down", title={"en": "Sayram"}, country_id="KG",
                                        start_date=datetime.date(2019, 3, 1), women_count=12, men_count=3,
                                        other_count=1, source_training=institute)
    Participation.objects.create(training=step_down, person=person, role="facilitator")
    sign_in(page, site.url)
    switch_language(page, language)
    page.set_viewport_size(PHONE)
    too_wide = {}
    for path in MAIN_PAGES + ["/cascade/", f"/trainings/{institute.pk}/", f"/trainings/{institute.pk}/edit/",
                              f"/people/{person.pk}/", f"/library/{curriculum.key}/", "/report/when/",
                              "/report/what/", "/report/people/"]:
        page.goto(f"{site.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = page.evaluate(
                "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 361)"
                ".slice(0, 3).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 30))")
    assert too_wide == {}
