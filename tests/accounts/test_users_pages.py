"""The users' page, the invitation's page and the invitee's link, through the browser's eyes (test client)."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import totp

from cascade.accounts.models import Invitation

NEW_PASSWORD = "a long and unusual passphrase 7"


def link_of(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


@pytest.fixture
def as_(personas):
    def client(name):
        c = Client()
        c.force_login(personas[name])
        return c
    return client


def invite(client, capture, **data):
    data = {"email": "newcomer@example.net", "language": "en", **data}
    with capture(execute=True):
        return client.post("/accounts/users/invite/", data)


def test_the_users_page_is_for_network_and_partner_admins(as_, personas):
    assert as_("alice").get("/accounts/users/").status_code == 200
    page = as_("bob").get("/accounts/users/")
    assert page.status_code == 200 and "dave" in page.content.decode() and "carol" not in page.content.decode()
    for name in ("carol", "dave", "erin", "nora"):
        assert as_(name).get("/accounts/users/").status_code == 403
    assert Client().get("/accounts/users/").status_code == 302


def test_the_menu_links_to_users_for_those_allowed(as_, personas):
    assert 'href="/accounts/users/"' in as_("bob").get("/").content.decode()
    assert 'href="/accounts/users/"' not in as_("carol").get("/").content.decode()


def test_the_invite_form_offers_only_what_she_may_give_never_a_raw_id(as_, partners, trainer_person):
    form = as_("bob").get("/accounts/users/invite/").content.decode()
    assert 'value="network-admin"' not in form and 'value="donor"' not in form
    assert partners["birduino"].name not in form and "SWRC" in form
    admin = as_("alice").get("/accounts/users/invite/").content.decode()
    assert 'value="network-admin"' in admin and partners["birduino"].name in admin
    found = as_("bob").get("/accounts/users/invite/?find=Steptrainer").content.decode()
    assert f'value="{trainer_person.pk}"' in found and "Dana Steptrainer" in found


def test_a_forged_post_cannot_escalate(as_, partners, django_capture_on_commit_callbacks):
    response = invite(as_("bob"), django_capture_on_commit_callbacks, kind="network-admin")
    assert response.status_code == 400 and not Invitation.objects.exists()
    response = invite(as_("bob"), django_capture_on_commit_callbacks, kind="partner-staff",
                      organization=partners["birduino"].pk)
    assert response.status_code == 400 and not Invitation.objects.exists() and not mail.outbox


def test_invite_change_resend_revoke(as_, partners, trainer_person, django_capture_on_commit_callbacks):
    bob = as_("bob")
    response = invite(bob, django_capture_on_commit_callbacks, kind="partner-staff",
                      organization=partners["swrc"].pk, language="ru")
    invitation = Invitation.objects.get()
    assert response.headers["Location"] == f"/accounts/invitations/{invitation.pk}/"
    first = link_of(mail.outbox[-1])
    page = bob.get(f"/accounts/invitations/{invitation.pk}/").content.decode()
    assert "newcomer@example.net" in page
    assert as_("carol").get(f"/accounts/invitations/{invitation.pk}/").status_code == 403
    assert as_("alice").get(f"/accounts/invitations/{invitation.pk}/").status_code == 200
    response = bob.post(f"/accounts/invitations/{invitation.pk}/", {"kind": "trainer", "person": trainer_person.pk})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.kind == "trainer" and invitation.person == trainer_person
    with django_capture_on_commit_callbacks(execute=True):
        bob.post(f"/accounts/invitations/{invitation.pk}/resend/")
    second = link_of(mail.outbox[-1])
    assert second != first
    assert Client().get(first).status_code == 404  # the old link is dead
    assert Client().get(second).status_code == 200
    bob.post(f"/accounts/invitations/{invitation.pk}/revoke/")
    gone = Client().get(second)
    with translation.override("ru"):  # the page speaks the language the invitation was sent in
        withdrawn = gettext("This invitation was withdrawn. If you still need an account, ask whoever invited you.")
    assert gone.status_code == 410 and withdrawn in gone.content.decode()
    assert "withdrawn" not in withdrawn


def test_expired_and_used_links_say_so(as_, partners, django_capture_on_commit_callbacks):
    invite(as_("bob"), django_capture_on_commit_callbacks, kind="partner-staff", organization=partners["swrc"].pk)
    link = link_of(mail.outbox[-1])
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    expired = Client().get(link)
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    Invitation.objects.update(expires_at=timezone.now() + datetime.timedelta(days=1))
    Client().post(link, {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    used = Client().get(link)
    assert used.status_code == 410 and "used already" in used.content.decode()
    assert Client().get("/accounts/invitation/not-a-token/").status_code == 404


def test_partner_staff_accept_and_are_led_through_two_step_sign_in(as_, partners, settings,
                                                                 django_capture_on_commit_callbacks):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DEMO_MODE = False
    invite(as_("alice"), django_capture_on_commit_callbacks, kind="partner-staff",
           organization=partners["birduino"].pk, language="kk")
    link = link_of(mail.outbox[-1])
    browser = Client()
    page = browser.get(link)
    assert page.status_code == 200 and "newcomer@example.net" in page.content.decode()
    weak = browser.post(link, {"username": "newcomer", "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 400 and not Invitation.objects.filter(state="accepted").exists()
    done = browser.post(link, {"username": "newcomer", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/accounts/two-factor/setup/?next=%2F"
    assert browser.cookies["django_language"].value == "kk"
    assert browser.get("/").status_code == 302  # nothing before her second factor
    browser.get("/accounts/two-factor/setup/?next=/")
    device = TOTPDevice.objects.get(user__username="newcomer")
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    codes = browser.post("/accounts/two-factor/setup/?next=/", {"token": code, "next": "/"})
    assert codes.status_code == 200
    assert browser.get("/").status_code == 200


def test_a_trainer_lands_on_her_home(as_, trainer_person, django_capture_on_commit_callbacks):
    invite(as_("bob"), django_capture_on_commit_callbacks, kind="trainer", person=trainer_person.pk)
    link = link_of(mail.outbox[-1])
    browser = Client()
    done = browser.post(link, {"username": "dana", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.headers["Location"] == "/"
    assert browser.get("/").status_code == 200


def test_a_signed_in_user_is_asked_to_sign_out_first(as_, partners, django_capture_on_commit_callbacks):
    invite(as_("bob"), django_capture_on_commit_callbacks, kind="partner-staff", organization=partners["swrc"].pk)
    link = link_of(mail.outbox[-1])
    page = as_("carol").get(link)
    assert page.status_code == 200 and "Sign out first" in page.content.decode()
    assert as_("carol").post(link, {"username": "x", "password1": NEW_PASSWORD,
                                    "password2": NEW_PASSWORD}).status_code == 200
    assert not Invitation.objects.filter(state="accepted").exists()


def test_a_user_page_changes_role_and_deactivates_but_not_ones_own(as_, personas, partners):
    bob = as_("bob")
    dave = personas["dave"]
    assert bob.get(f"/accounts/users/{personas['carol'].pk}/").status_code == 404
    own = bob.get(f"/accounts/users/{personas['bob'].pk}/")
    assert own.status_code == 200 and "your own account" in own.content.decode()
    assert bob.post(f"/accounts/users/{personas['bob'].pk}/active/", {"active": "0"}).status_code == 403
    response = bob.post(f"/accounts/users/{dave.pk}/", {"kind": "partner-staff", "organization": partners["swrc"].pk})
    assert response.status_code == 302
    dave.refresh_from_db()
    assert dave.cascade_role.kind == "partner-staff"
    bob.post(f"/accounts/users/{dave.pk}/active/", {"active": "0"})
    dave.refresh_from_db()
    assert not dave.is_active


def test_the_chosen_trainer_stays_on_offer_when_the_role_is_changed(as_, trainer_person,
                                                                    django_capture_on_commit_callbacks):
    invite(as_("bob"), django_capture_on_commit_callbacks, kind="trainer", person=trainer_person.pk)
    page = as_("bob").get(f"/accounts/invitations/{Invitation.objects.get().pk}/").content.decode()
    assert re.search(rf'<option value="{trainer_person.pk}" selected>', page)
