"""A trainer taps through the step-down report on a 360 px touch screen, in Kazakh and in Arabic:
every screen fits, every button she taps is at least 44 px and nothing covers it, and the saved
report lists her sessions by their titles. Every screen is also checked for sideways scrolling in
all nine languages, at 360 px and at 320 px."""

import re

import pytest
from django.conf import settings

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 360, "height": 740}
SMALL_PHONE = {"width": 320, "height": 640}
# The manual's sessions have titles in English and Russian only: a Kazakh reader gets the Russian
# ones, an Arabic reader the English ones (cascade.lib.translated).
SESSIONS = [({"en": "What is politics?", "ru": "Что такое политика?"}),
            ({"en": "Negotiation", "ru": "Переговоры"}),
            ({"en": "Building coalitions and networks", "ru": "Создание коалиций и сетей"})]
SHOWN = {"kk": ["Что такое политика?", "Переговоры"], "ar": ["What is politics?", "Negotiation"]}

#: Whatever a page holds that reaches past the screen's edge, and the page's width.
OVERFLOW = """() => ({
  width: document.documentElement.scrollWidth,
  wide: [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect();
    return r.width && (r.right > innerWidth + 0.5 || r.left < -0.5); })
    .slice(0, 3).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 30)),
})"""

#: The button as a thumb meets it: its size, and whether the element at its centre is the button.
TARGET = """b => { const r = b.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {width: r.width, height: r.height, uncovered: b === hit || b.contains(hit)}; }"""


@pytest.fixture
def trainer(transactional_db):
    """A trainer signed up with her own person record, and the manual she teaches from."""
    from django.contrib.auth import get_user_model

    from cascade.accounts.models import Role
    from cascade.curriculum.models import Manual, ManualSession
    from cascade.network.models import Organization, Person

    swrc = Organization.objects.create(key="swrc", name="Shymkent Women's Resource Center", country_id="KZ")
    person = Person.objects.create(key="aigul", full_name="Aigul Nurova", gender="woman", country_id="KZ",
                                   city="Shymkent", organization=swrc)
    user = get_user_model().objects.create_user("aigul", "aigul@example.org", PASSWORD)
    Role.objects.create(user=user, kind=Role.Kind.TRAINER, person=person)
    manual = Manual.objects.create(key="leading-to-action", title={"en": "Leading to Action",
                                                                     "ru": "Путь к действию"})
    for number, title in enumerate(SESSIONS, start=1):
        ManualSession.objects.create(manual=manual, number=number, title=title)
    return manual


@pytest.fixture
def phone(chromium, site):
    """A touch screen 360 px wide."""
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True, bypass_csp=True)
    yield context.new_page()
    context.close()


def switch_language(page, code):
    with page.expect_navigation():
        page.select_option("#language-select", code)


def fits(page, where):
    state = page.evaluate(OVERFLOW)
    viewport = page.viewport_size["width"]
    assert state["width"] <= viewport, f"{where} is {state['width']} px wide on a {viewport} px screen: {state['wide']}"


def tap(page, selector, where):
    """Tap ``selector`` as a thumb would, after checking it is big enough and nothing covers it."""
    button = page.locator(selector)
    button.scroll_into_view_if_needed()
    target = button.evaluate(TARGET)
    assert target["width"] >= 44 and target["height"] >= 44, f"{where}: the button is {target}"
    assert target["uncovered"], f"{where}: something covers the button"
    with page.expect_navigation():
        button.tap()


@pytest.mark.parametrize("language", ["kk", "ar"])
def test_a_trainer_taps_through_the_report_on_a_phone(phone, site, trainer, language):
    page = phone
    sign_in(page, site.url, "aigul")
    switch_language(page, language)
    page.goto(f"{site.url}/report/")
    page.wait_for_url(re.compile(r"/report/when/$"))
    assert page.text_content(".step-of").strip()  # "Step 1 of 5", in her language
    assert page.locator(".progress span").count() == 5
    # Her name, her country and town are filled in; she says when.
    assert page.input_value("#id_when-city") == "Shymkent"
    fits(page, "when")
    tap(page, "main button.primary", "when")

    page.wait_for_url(re.compile(r"/report/manual/$"))
    page.select_option("#id_manual-manual", str(trainer.pk))
    fits(page, "manual")
    tap(page, "main button.primary", "manual")

    page.wait_for_url(re.compile(r"/report/sessions/$"))
    for number in (1, 2):
        row = page.locator("fieldset label").nth(number - 1)
        assert row.bounding_box()["height"] >= 44, "a session's row is a thumb's height"
        row.tap()
    assert page.locator("fieldset input:checked").count() == 2
    fits(page, "sessions")
    tap(page, "main button.primary", "sessions")

    page.wait_for_url(re.compile(r"/report/people/$"))
    page.locator("#id_people-women").tap()
    page.fill("#id_people-women", "14")
    page.fill("#id_people-men", "3")
    # Each number's box sits at the end of its own row, whatever its label's length.
    boxes = [page.locator(f"#id_people-{group}").bounding_box() for group in ("women", "men", "other")]
    assert len({round(box["x"]) for box in boxes}) == 1, "the three number boxes line up"
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]
    fits(page, "people")
    tap(page, "main button.primary", "people")

    page.wait_for_url(re.compile(r"/report/review/$"))
    assert page.locator(".progress span.done").count() == 5
    fits(page, "review")
    tap(page, "main button.primary", "review (save the report)")

    page.wait_for_url(re.compile(r"/report/saved/\d+/$"))
    fits(page, "saved")
    sessions = page.text_content('[data-saved="sessions"]')
    for title in SHOWN[language]:
        assert title in sessions
    assert page.text_content('[data-saved="women"]') == "14"

    # The training's agenda names the sessions too.
    training = re.search(r"/report/saved/(\d+)/$", page.url).group(1)
    page.goto(f"{site.url}/trainings/{training}/")
    agenda = page.text_content("main table")
    for title in SHOWN[language]:
        assert agenda.count(title) >= 2, "the session column and the manual session column"


def test_every_screen_of_the_report_fits_a_phone_in_every_language(phone, site, trainer):
    page = phone
    sign_in(page, site.url, "aigul")
    # Filled once, in English; each screen then comes back, filled, in each language.
    page.goto(f"{site.url}/report/")
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/report/manual/$"))
    page.select_option("#id_manual-manual", str(trainer.pk))
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/report/sessions/$"))
    page.locator("fieldset label").first.click()
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/report/people/$"))
    page.fill("#id_people-women", "5")
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/report/review/$"))

    # Each screen is loaded once a language and measured at both widths: the page is the same
    # whatever the width (the server does not know it, and no script reads it), and narrowing the
    # screen lays it out again as loading it there would.
    screens = ["/report/when/", "/report/manual/", "/report/sessions/", "/report/people/", "/report/review/"]
    too_wide = []

    def measure(language, where):
        for viewport in (PHONE, SMALL_PHONE):
            page.set_viewport_size(viewport)
            state = page.evaluate(OVERFLOW)
            if state["width"] > viewport["width"]:
                too_wide.append((language, viewport["width"], where, state))
        page.set_viewport_size(PHONE)

    for language, _name in settings.LANGUAGES:
        switch_language(page, language)
        for path in screens:
            page.goto(f"{site.url}{path}")
            assert page.url.endswith(path), f"{language}: {path} sent her to {page.url}"
            measure(language, path)
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/report/saved/\d+/$"))
    saved = page.url
    for language, _name in settings.LANGUAGES:
        switch_language(page, language)
        page.goto(saved)
        measure(language, "saved")
        assert page.text_content('[data-saved="sessions"] li').strip() != "1."
    assert too_wide == []
