"""Partner staff run a call in Russian, from creation to certificates, in a real browser.

Every step that cannot be undone asks first (publish, send the decisions); a call is edited until
someone applies; reviewers go from one application to the next without ever seeing a name; the
ranking's decisions stay on screen at 1366 and 360 pixels, in Russian, Kazakh and Arabic.
"""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from cascade.network.models import Country
from cascade.selection import services
from cascade.selection.models import Application, Call, Criterion, Quota
from cascade.trainings.models import Training
from tests.selection.conftest import _fresh_rate_limit, people, signed_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

APPLICANTS = [  # name, e-mail, country, language
    ("Айгерим Нурланова", "aigerim@example.org", "KZ", "ru"),
    ("Дана Каримова", "dana@example.org", "KZ", "kk"),
    ("Nino Beridze", "nino@example.org", "GE", "ru"),
    ("Асель Садыкова", "asel@example.org", "KZ", "ru"),
]
SCORES = {"Айгерим Нурланова": (5, 5), "Дана Каримова": (4, 4), "Nino Beridze": (2, 2), "Асель Садыкова": (3, 3)}


def fits(page, width):
    """No sideways scrolling, and every decision button inside the screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for button in page.locator("#ranking form.decide button").all():
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, button.inner_text()


def review_every_application(page, call, scores):
    """From the list, "Next application" after each review until none is left; no name on any page."""
    page.goto(f"/calls/{call.pk}/review/")
    page.click("#next-application")
    reviewed = []
    while True:
        code = page.locator("h1").inner_text().split()[-1]
        for name, *_ in APPLICANTS:
            assert name not in page.content()
        experience, plan = scores[Application.objects.get(pk=int(code.split("-")[1])).full_name]
        criteria = page.locator("fieldset.criterion")
        criteria.nth(0).locator(f"input[type=radio][value='{experience}']").check()
        criteria.nth(1).locator(f"input[type=radio][value='{plan}']").check()
        page.click("button[name=submit_review]")
        reviewed.append(code)
        if not page.locator("#next-after-review").count():
            break
        page.click("#next-after-review")
    return reviewed


def open_call(bob, people, start, end):
    """Create the call in Russian, edit it, and publish it (asked first). Returns the open call."""
    bob.goto("/calls/new/")
    assert bob.locator("html").get_attribute("lang") == "ru"
    bob.fill("input[name=title_1]", "Институт лидерства, Шымкент")
    bob.select_option("select[name=host]", label="SWRC")
    bob.select_option("select[name=country]", "KZ")
    bob.fill("input[name=start_date]", start.isoformat())
    bob.fill("input[name=end_date]", end.isoformat())
    bob.fill("input[name=deadline]", f"{start - datetime.timedelta(days=20)}T18:00")
    bob.fill("input[name=places]", "2")
    bob.check("input[name=languages][value=ru]")
    bob.check("input[name=languages][value=kk]")
    bob.click("#save-call")
    call = Call.objects.get()

    # Edit it: one more place and a wait-list.
    bob.click("#edit-call")
    bob.fill("input[name=places]", "3")
    bob.fill("input[name=waitlist_places]", "1")
    bob.click("#save-call")
    call.refresh_from_db()
    assert (call.places, call.waitlist_places) == (3, 1)
    for order, name in enumerate(["Опыт", "План"]):
        Criterion.objects.create(call=call, order=order, name={"ru": name})
    Quota.objects.create(call=call, attribute="country", value="GE", minimum=1)
    services.assign_reviewers(call, [people["rita"], people["ruslan"]], people["bob"])

    # Publish: asked first.
    bob.goto(f"/calls/{call.pk}/")
    bob.click("#publish")
    expect(bob.locator("#what")).to_be_visible()  # waits for the confirmation page to render
    call.refresh_from_db()
    assert call.status == "draft"
    bob.click("#confirm")
    call.refresh_from_db()
    assert call.status == "open"
    return call


def applications_arrive(bob, call):
    """The four APPLICANTS apply; the call's rules are locked, its texts are not."""
    for name, email, country, language in APPLICANTS:
        services.save_application(call, {
            "full_name": name, "email": email, "phone": "", "country": Country.objects.get(code=country),
            "gender": "woman", "consent_data": True, "consent_verification": False,
        }, language=language, submit=True)
    bob.click("#edit-call")
    expect(bob.locator("#locked")).to_be_visible()
    expect(bob.locator("input[name=places]")).to_be_disabled()


def reviewers_score(signed_in, people, call):
    """Two reviewers, each going on with "Next application"; neither sees a name."""
    for reviewer in ("rita", "ruslan"):
        page = signed_in(people[reviewer], language="ru")
        assert len(review_every_application(page, call, SCORES)) == 4
        assert page.get_by_text("Язык").count() and "русский" in page.content()


def apply_the_proposal(bob, call):
    """The ranking: in Russian, its quota included, decisions on screen; the proposal applied, asked first."""
    bob.goto(f"/calls/{call.pk}/ranking/")
    assert "Страна: Грузия" in bob.locator("#quotas").inner_text()
    fits(bob, 1366)
    bob.click("#apply-proposal")
    assert "4" in bob.locator("#what").inner_text()
    bob.click("#confirm")
    statuses = dict(Application.objects.values_list("full_name", "status"))
    assert statuses == {"Айгерим Нурланова": "accepted", "Дана Каримова": "accepted", "Nino Beridze": "accepted",
                        "Асель Садыкова": "waitlisted"}
    assert mail.outbox == []


def send_the_decisions(bob, call):
    """The page says how many will be written to; confirmed, each once. The accepted confirm."""
    bob.goto(f"/calls/{call.pk}/ranking/")
    bob.click("#send-decisions")
    assert "4" in bob.locator("#what").inner_text()
    bob.click("#confirm")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(email for _, email, *_ in APPLICANTS)
    for application in Application.objects.filter(status="accepted"):
        services.confirm(application)


def attendance_and_certificates(bob, call, present):
    """After the institute (moved to last week, as if the time had come): those ``present`` every day
    are ticked, day by day, and receive a certificate; nobody else does."""
    training = Training.objects.get(pk=call.training_id)
    first = datetime.date.today() - datetime.timedelta(days=7)
    days = [first + datetime.timedelta(days=n) for n in range(training.days)]
    Training.objects.filter(pk=training.pk).update(start_date=first, end_date=days[-1])
    bob.goto(f"/calls/{call.pk}/attendance/")
    for day in days:
        form = bob.locator(f"#day-{day.isoformat()}")
        for name in present:
            form.get_by_label(name).check()
        form.locator("button[type=submit]").click()
    bob.click("#issue")
    assert bob.locator("a.certificate").count() == len(present)


def scored_by_the_reviewers(people, call):
    """What ``reviewers_score`` does in the pages, through the service: the programme officer's
    story (test_programme_officer.py) has both reviewers score these four in the browser."""
    experience, plan = call.criteria.order_by("order")
    for reviewer in ("rita", "ruslan"):
        for application in call.applications.all():
            scores = SCORES[application.full_name]
            services.save_review(application, people[reviewer], submit=True,
                                 scores={experience.pk: (scores[0], ""), plan.pk: (scores[1], "")})


def test_partner_staff_run_a_call_in_russian(signed_in, people, partners):
    """A call of its own (no institute planned before it), over two days. Reviewing page by page is
    the programme officer's story's, with the same applicants and scores (test_programme_officer.py)."""
    bob = signed_in(people["bob"], language="ru", width=1366)
    start = datetime.date.today() + datetime.timedelta(days=60)
    call = open_call(bob, people, start, start + datetime.timedelta(days=1))
    applications_arrive(bob, call)
    scored_by_the_reviewers(people, call)
    apply_the_proposal(bob, call)

    # A change of mind before sending: Asel declined, then back on the wait-list.
    asel = Application.objects.get(full_name="Асель Садыкова")
    row = bob.locator(f"#ranking [data-application='{asel.pk}']")
    row.locator("button[value=decline]").click()
    bob.locator(f"#ranking [data-application='{asel.pk}'] button[value=waitlist]").click()
    asel.refresh_from_db()
    assert asel.status == "waitlisted" and asel.decision_draft

    for language, width in [("ru", 360), ("kk", 360), ("ar", 360), ("kk", 1366), ("ar", 1366)]:
        page = signed_in(people["bob"], language=language, width=width)
        page.goto(f"/calls/{call.pk}/ranking/")
        assert page.locator("html").get_attribute("lang") == language
        fits(page, width)

    send_the_decisions(bob, call)
    attendance_and_certificates(bob, call, ["Айгерим Нурланова"])
