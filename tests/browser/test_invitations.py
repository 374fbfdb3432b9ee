"""A partner admin working in Russian invites a trainer of her organisation; the trainer opens the
link from her e-mail, chooses her username and password, lands on her home, and signs in again."""

import re

import pytest
from django.core import mail

from .conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: The trainer's password is hashed and checked with Argon2 here (at the suite's quick cost,
#: tests/hashers.py): the other browser tests use MD5 (tests/browser/conftest.py, ``site``).
REAL_PASSWORD_HASHING = True

PHONE = {"width": 360, "height": 740}
TRAINER_PASSWORD = "another long pass-phrase 42"


@pytest.fixture
def partner(site):
    from django.contrib.auth import get_user_model

    from cascade.accounts.models import Role
    from cascade.network.models import Organization, Person

    swrc = Organization.objects.create(key="swrc", name="Shymkent Women's Resource Center", short_name="SWRC",
                                       country_id="KZ")
    Person.objects.create(key="saule", full_name="Saule Trainerova", gender="woman", organization=swrc,
                          country_id="KZ")
    bob = get_user_model().objects.create_user("bob", "bob@example.org", PASSWORD)
    Role.objects.create(user=bob, kind=Role.Kind.PARTNER_STAFF, organization=swrc, can_manage_users=True)
    return swrc


def test_partner_staff_in_russian_invite_a_trainer_who_accepts_and_signs_in(chromium, site, partner):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    page.goto(f"{site.url}/help/")
    with page.expect_navigation():
        page.select_option("#language-select", "ru")
    sign_in(page, site.url, "bob")
    link = invite_saule(page, site.url)
    context.close()
    accept_and_sign_in(chromium, site.url, link)


def invite_saule(page, url):
    """From the side menu, in Russian: Saule Trainerova (SWRC) invited as a trainer. Returns the e-mailed link."""
    page.click("nav.side a[href='/accounts/users/']")
    page.wait_for_url(f"{url}/accounts/users/")
    page.click("a[href='/accounts/users/invite/']")
    page.fill("#id_email", "saule@example.net")
    page.select_option("#id_language", "ru")
    page.select_option("#id_kind", "trainer")
    page.fill("#id_find", "Saule")
    page.click("button[name=look]")
    page.wait_for_selector("#id_person option:has-text('Saule Trainerova')", state="attached")
    assert page.input_value("#id_email") == "saule@example.net"  # kept while she looked for the person
    page.select_option("#id_person", label="Saule Trainerova (SWRC)")
    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/invitations/\d+/$"))
    assert "saule@example.net" in page.text_content("main")
    to_saule = [m for m in mail.outbox if m.to == ["saule@example.net"]]
    assert len(to_saule) == 1
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", to_saule[0].body).group(0)
    assert link.startswith(url)
    return link


def accept_and_sign_in(chromium, url, link):
    """The trainer, on her phone: the link, her username and password, then her home; the link works once."""
    context = chromium.new_context(viewport=PHONE)
    phone = context.new_page()
    phone.goto(link)
    assert phone.evaluate("document.documentElement.lang") == "ru"  # the language chosen for her
    phone.fill("#id_username", "saule")
    phone.fill("#id_password1", TRAINER_PASSWORD)
    phone.fill("#id_password2", TRAINER_PASSWORD)
    phone.click("button.primary[type=submit]")
    phone.wait_for_url(f"{url}/")
    assert phone.locator("a.report").count() == 1  # a trainer reports her step-downs
    # The link works once.
    phone.goto(link)
    assert "уже" in phone.text_content("main") or "used already" in phone.text_content("main")
    with phone.expect_navigation():
        phone.click("form.signout button")
    sign_in(phone, url, "saule", TRAINER_PASSWORD)
    assert phone.url == f"{url}/"
    context.close()

    from cascade.accounts.models import Invitation

    assert Invitation.objects.get().state == "accepted"
