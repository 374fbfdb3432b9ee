import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cascade.accounts.models import Role
from cascade.audit.models import AuditEntry

PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture
def bob(django_user_model, create_organization):
    user = django_user_model.objects.create_user("bob", password=PASSWORD)
    Role.objects.create(user=user, kind=Role.Kind.PARTNER_STAFF, organization=create_organization())
    return user


@pytest.fixture
def erin(django_user_model):
    user = django_user_model.objects.create_user("erin", password=PASSWORD)
    Role.objects.create(user=user, kind=Role.Kind.DONOR)
    return user


def sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_passwords_are_hashed_with_argon2(bob):
    assert identify_hasher(bob.password).algorithm == "argon2"


def test_partner_staff_are_sent_to_enrol_a_second_factor_before_any_page(bob):
    client = Client()
    sign_in(client, "bob")
    response = client.get("/trainings/")
    assert response.status_code == 302 and "/accounts/two-factor/setup/" in response["Location"]


def test_enrolment_shows_a_qr_code_and_a_code_turns_it_on(bob):
    client = Client()
    sign_in(client, "bob")
    page = client.get("/accounts/two-factor/setup/").content.decode()
    assert "<svg" in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    device = TOTPDevice.objects.get(user=bob)
    response = client.post("/accounts/two-factor/setup/", {"token": current_code(device), "next": "/"})
    assert response.status_code == 200 and "Backup codes" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/trainings/").status_code == 200
    assert AuditEntry.objects.filter(action="cascade.user.two_factor_enrolled", username="bob").exists()


def test_a_wrong_code_is_refused_with_a_message(bob):
    client = Client()
    sign_in(client, "bob")
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"token": "000000"})
    assert "not right" in response.content.decode()
    assert client.get("/trainings/").status_code == 302


def test_an_enrolled_user_is_asked_for_her_code_at_each_sign_in(bob):
    device = TOTPDevice.objects.create(user=bob, name="phone", confirmed=True)
    client = Client()
    sign_in(client, "bob")
    assert "/accounts/two-factor/?" in client.get("/people/")["Location"]
    client.post("/accounts/two-factor/", {"token": current_code(device), "next": "/people/"})
    assert client.get("/people/").status_code == 200


def test_donors_sign_in_without_a_second_factor(erin):
    client = Client()
    sign_in(client, "erin")
    assert client.get("/trainings/").status_code == 200


def test_demo_mode_offers_the_second_factor_without_requiring_it(bob, settings):
    settings.DEMO_MODE = True
    client = Client()
    assert "Demo mode" in client.get("/accounts/login/").content.decode()
    sign_in(client, "bob")
    assert client.get("/trainings/").status_code == 200


def test_the_deploy_check_refuses_demo_mode(settings):
    from cascade.accounts.checks import demo_mode_is_off

    settings.DEMO_MODE = True
    assert [e.id for e in demo_mode_is_off(None)] == ["cascade.E001"]


def test_sign_in_pauses_after_five_wrong_passwords(bob):
    client = Client()
    for _ in range(5):
        sign_in(client, "bob", "wrong")
    response = sign_in(client, "bob")  # the right password, too late
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_the_admin_sends_to_the_one_sign_in_page():
    response = Client().get("/admin/")
    assert response.status_code == 302
    follow = Client().get(response["Location"])
    assert "/accounts/login/" in follow["Location"]


def test_pages_carry_a_content_security_policy_without_inline_scripts(db):
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.content.decode())


def test_sessions_end_with_the_browser_and_after_a_working_day(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_sign_out_ends_the_session(erin):
    client = Client()
    sign_in(client, "erin")
    client.post("/accounts/logout/")
    assert client.get("/trainings/").status_code == 302


def test_the_deploy_check_passes_with_production_settings(monkeypatch):
    import subprocess
    import sys

    env = {"CASCADE_HTTPS": "1", "DEBUG": "0", "ALLOWED_HOSTS": "cascade.example.org", "EMAIL_HOST": "smtp.example.org",
           "SECRET_KEY": "k" * 20 + "-production-secret-key-with-enough-variety-0123456789"}
    import os

    result = subprocess.run([sys.executable, "-m", "cascade", "check", "--deploy"], capture_output=True,
                            text=True, env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env})
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "no issues" in result.stdout


# Two-step sign-in cannot be skipped with a password alone.

@pytest.fixture
def ada(django_user_model):
    """A network admin who has enrolled her phone and keeps backup codes."""
    user = django_user_model.objects.create_user("ada", password=PASSWORD)
    Role.objects.create(user=user, kind=Role.Kind.NETWORK_ADMIN)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    from cascade.accounts.two_factor import new_backup_codes

    user.backup_codes = new_backup_codes(user)
    return user


def test_a_password_alone_does_not_show_a_new_secret_to_an_enrolled_user(ada):
    client = Client()
    sign_in(client, "ada")
    response = client.get("/accounts/two-factor/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/?")
    assert not TOTPDevice.objects.filter(user=ada, confirmed=False).exists()


def test_a_code_from_a_device_made_with_the_password_alone_does_not_verify(ada):
    """The bypass as it was: with only the password, make a device, then post its code."""
    client = Client()
    sign_in(client, "ada")
    rogue = TOTPDevice.objects.create(user=ada, name="rogue", confirmed=False)
    response = client.post("/accounts/two-factor/setup/", {"token": current_code(rogue), "next": "/people/"})
    assert response.status_code == 302 and "/accounts/two-factor/?" in response["Location"]
    rogue.refresh_from_db()
    assert not rogue.confirmed
    assert client.get("/people/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_backup_codes_survive_a_sign_in_with_the_password_alone(ada):
    client = Client()
    sign_in(client, "ada")
    client.get("/accounts/two-factor/setup/")
    client.post("/accounts/two-factor/setup/", {"token": "123456"})
    client.post("/accounts/two-factor/manage/", {"check-password": PASSWORD})
    fresh = Client()
    sign_in(fresh, "ada")
    fresh.post("/accounts/two-factor/", {"token": ada.backup_codes[0], "next": "/people/"})
    assert fresh.get("/people/").status_code == 200


@pytest.mark.parametrize("path", ["/accounts/two-factor/manage/", "/people/", "/admin/", "/report/",
                                  "/admin/import/", "/calls/"])
def test_every_page_but_sign_in_itself_waits_for_the_second_factor(ada, path):
    client = Client()
    sign_in(client, "ada")
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/?")


def test_new_backup_codes_need_a_verified_session_and_the_password(ada):
    client = Client()
    client.force_login(ada)
    page = client.post("/accounts/two-factor/manage/", {"check-password": "wrong"}).content.decode()
    assert "This is not your password" in page
    old = ada.backup_codes
    page = client.post("/accounts/two-factor/manage/", {"check-password": PASSWORD}).content.decode()
    assert "Backup codes" in page and not any(code in page for code in old)
    assert AuditEntry.objects.filter(action="cascade.user.backup_codes_renewed", username="ada").exists()
    fresh = Client()
    sign_in(fresh, "ada")
    fresh.post("/accounts/two-factor/", {"token": old[0]})
    assert fresh.get("/people/").status_code == 302  # the old code no longer works


def test_a_verified_user_replaces_her_phone_with_her_password_and_a_code(ada):
    client = Client()
    client.force_login(ada)
    old_devices = set(TOTPDevice.objects.filter(user=ada, confirmed=True).values_list("pk", flat=True))
    page = client.get("/accounts/two-factor/setup/").content.decode()
    assert "Replace your authenticator" in page and "<svg" in page
    new = TOTPDevice.objects.get(user=ada, confirmed=False)
    refused = client.post("/accounts/two-factor/setup/", {"token": current_code(new), "check-password": "wrong"})
    assert "This is not your password" in refused.content.decode()
    new.refresh_from_db()
    assert not new.confirmed
    response = client.post("/accounts/two-factor/setup/",
                           {"token": current_code(new), "check-password": PASSWORD})
    assert "Backup codes" in response.content.decode()
    assert set(TOTPDevice.objects.filter(user=ada).values_list("pk", flat=True)) == {new.pk}
    assert not old_devices & {new.pk}
    assert AuditEntry.objects.filter(action="cascade.user.two_factor_replaced", username="ada").exists()


def test_the_second_factor_page_is_linked_for_staff_who_use_it(ada):
    client = Client()
    client.force_login(ada)
    assert 'href="/accounts/two-factor/manage/"' in client.get("/").content.decode()
