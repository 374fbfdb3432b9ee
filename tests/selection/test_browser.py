"""The whole path in a real browser: a call from publication to a verified certificate."""

import datetime
import re

import pytest
from django.core import mail

from cascade.network.models import Country
from cascade.selection import services
from cascade.selection.models import Application, Call
from cascade.trainings.models import Training

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def seed_applicant(call, full_name, email, country):
    return services.save_application(call, {
        "full_name": full_name, "email": email, "phone": "", "country": Country.objects.get(code=country),
        "gender": "woman", "consent_data": True, "consent_verification": False,
    }, language="en", submit=True)


def review_all(page, call, scores_by_name):
    """On the reviewer's page: score each applicant (``{name: (experience, plan)}``) and submit.

    The review is blind: she finds each application by its code, never by the name."""
    for name, (experience, plan) in scores_by_name.items():
        code = Application.objects.get(full_name=name).code
        page.goto(f"/calls/{call.pk}/review/")
        assert name not in page.content()
        page.get_by_role("link", name=code, exact=True).click()
        criteria = page.locator("fieldset.criterion")
        criteria.nth(0).locator(f"input[type=radio][value='{experience}']").check()
        criteria.nth(1).locator(f"input[type=radio][value='{plan}']").check()
        page.click("button[name=submit_review]")
        assert page.get_by_text("You have submitted this review").is_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_call_runs_from_publication_to_a_verified_certificate(signed_in, phone, people, partners):
    bob = signed_in(people["bob"])

    # Bob of SWRC publishes a call for the institute, with a rubric, a question and a quota.
    bob.goto("/calls/")
    bob.click("#new-call")
    bob.fill("input[name=title_0]", "Leadership institute, Shymkent")
    bob.fill("input[name=title_1]", "Институт лидерства, Шымкент")
    bob.select_option("select[name=host]", label="SWRC")
    bob.select_option("select[name=country]", "KZ")
    bob.fill("input[name=city]", "Shymkent")
    bob.fill("input[name=start_date]", "2030-01-20")
    bob.fill("input[name=end_date]", "2030-01-21")
    bob.fill("input[name=deadline]", "2029-12-01T18:00")
    bob.fill("input[name=places]", "2")
    bob.check("input[name=languages][value=ru]")
    bob.check("input[name=languages][value=en]")
    bob.click("#save-call")
    call = Call.objects.get()
    assert bob.url.endswith(f"/calls/{call.pk}/")

    for name_en, name_ru, weight in [("Experience", "Опыт", "2"), ("Plan for step-down trainings", "План", "1")]:
        bob.click("#add-criterion summary")
        bob.fill("input[name='criterion-name_0']", name_en)
        bob.fill("input[name='criterion-name_1']", name_ru)
        bob.fill("input[name='criterion-weight']", weight)
        bob.fill("textarea[name='criterion-anchor_low_0']", "None yet")
        bob.fill("textarea[name='criterion-anchor_high_0']", "Years of it")
        bob.locator("#add-criterion button[type=submit]").click()
    bob.click("#add-question summary")
    bob.select_option("select[name='question-kind']", "long text")
    bob.fill("input[name='question-label_0']", "Your experience")
    bob.fill("input[name='question-label_1']", "Ваш опыт в защите прав женщин")
    bob.locator("#add-question button[type=submit]").click()
    bob.click("#add-quota summary")
    bob.select_option("select[name='quota-attribute']", "country")
    bob.fill("input[name='quota-value']", "ge")
    bob.fill("input[name='quota-minimum']", "1")
    bob.locator("#add-quota button[type=submit]").click()
    bob.click("#reviewers-link")
    bob.check(f"input[name=reviewers][value='{people['rita'].pk}']")
    bob.check(f"input[name=reviewers][value='{people['ruslan'].pk}']")
    bob.click("#save-reviewers")
    bob.click("#publish")
    bob.click("#confirm")
    assert bob.get_by_text("The call is open").is_visible()
    form_link = bob.locator("#form-link").get_attribute("href")

    # Aigerim applies in Russian from her phone.
    phone.goto(form_link)
    assert phone.locator("h1").inner_text() == "Институт лидерства, Шымкент"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.locator("html").get_attribute("lang") == "ru"
    assert CYRILLIC.search(phone.locator("label[for=id_full_name]").inner_text())  # the form speaks Russian
    phone.fill("input[name=full_name]", "Айгерим Нурланова")
    phone.fill("input[name=email]", "aigerim@example.org")
    phone.fill("input[name=phone]", "+7 701 555 1234")
    phone.select_option("select[name=country]", "KZ")
    phone.fill("textarea", "Десять лет в кризисном центре")
    phone.click("button[name=submit]")  # forgot the consent
    assert phone.locator(".summary").is_visible() and not Application.objects.exists()
    phone.check("input[name=consent_data]")
    phone.check("input[name=consent_verification]")
    phone.click("button[name=submit]")
    assert CYRILLIC.search(phone.locator("#thanks").inner_text())
    aigerim = Application.objects.get()
    assert aigerim.language == "ru" and aigerim.status == "submitted"
    call.refresh_from_db()
    seed_applicant(call, "Dana Karimova", "dana@example.org", "KZ")
    seed_applicant(call, "Nino Beridze", "nino@example.org", "GE")

    # Two reviewers score; Ruslan is severe, Rita generous.
    review_all(signed_in(people["rita"]), call, {
        "Айгерим Нурланова": (5, 5), "Dana Karimova": (4, 4), "Nino Beridze": (3, 2)})
    review_all(signed_in(people["ruslan"]), call, {
        "Айгерим Нурланова": (3, 3), "Dana Karimova": (2, 2), "Nino Beridze": (1, 1)})

    # The ranking shows the quota's effect; Bob applies the proposal.
    bob.goto(f"/calls/{call.pk}/ranking/")
    effects = bob.locator("#quota-effects").inner_text()
    assert "Nino Beridze is proposed" in effects and "Dana Karimova would be selected by rank alone" in effects
    assert "to meet the minimum for Country: Georgia" in bob.locator("#ranking").inner_text()
    mail.outbox.clear()
    bob.click("#apply-proposal")
    bob.click("#confirm")
    statuses = dict(Application.objects.values_list("full_name", "status"))
    assert statuses == {"Айгерим Нурланова": "accepted", "Nino Beridze": "accepted", "Dana Karimova": "declined"}
    assert mail.outbox == [], "draft decisions until they are sent"
    bob.click("#send-decisions")
    assert "3 applicants will be e-mailed" in bob.locator("#what").inner_text()
    bob.click("#confirm")
    assert len(mail.outbox) == 3

    # Aigerim confirms from the link in her e-mail.
    to_aigerim = next(m for m in mail.outbox if m.to == ["aigerim@example.org"])
    assert to_aigerim.subject.endswith(": Институт лидерства, Шымкент") and CYRILLIC.match(to_aigerim.subject)
    confirm_link = re.search(r"https?://\S+/calls/confirm/\S+/", to_aigerim.body).group(0)
    phone.goto(confirm_link)
    phone.click("button[value=confirm]")
    assert phone.locator("#confirmed").is_visible()

    # Attendance waits for the institute; after it (its two days moved to last week, as if the
    # time had come): attendance on both days, a certificate, its check.
    bob.goto(f"/calls/{call.pk}/attendance/")
    assert bob.locator("#status").is_visible() and bob.locator("#day-2030-01-20").count() == 0
    first = datetime.date.today() - datetime.timedelta(days=7)
    Training.objects.filter(pk=call.training_id).update(start_date=first, end_date=first + datetime.timedelta(days=1))
    bob.goto(f"/calls/{call.pk}/attendance/")
    for day in [first.isoformat(), (first + datetime.timedelta(days=1)).isoformat()]:
        form = bob.locator(f"#day-{day}")
        form.get_by_label("Айгерим Нурланова").check()
        form.locator("button[type=submit]").click()
    bob.click("#issue")
    with bob.expect_download() as download:
        bob.locator("a.certificate").first.click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    code = bob.locator("a.certificate").first.inner_text()

    phone.goto("/calls/verify/")
    phone.fill("input[name=code]", code.lower())
    phone.click("#check")
    assert phone.locator("#holder").inner_text() == "Айгерим Нурланова"
