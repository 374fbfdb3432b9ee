"""Behind the reverse proxy, sign-in lockout counts per client, not per proxy."""

import pytest
from django.test import Client

from cascade.accounts.models import Role

PASSWORD = "a long and unusual passphrase 7"
PROXY = "10.0.0.1"


@pytest.fixture
def erin(django_user_model, settings):
    settings.BEHIND_PROXY = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user("erin", password=PASSWORD)
    Role.objects.create(user=user, kind=Role.Kind.DONOR)
    return user


def sign_in(client_address, password=PASSWORD, forged=""):
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return Client().post("/accounts/login/", {"username": "erin", "password": password},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_an_attacker_behind_the_proxy_cannot_lock_the_account_for_everyone(erin, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in("198.51.100.66", password="wrong").status_code != 302
    assert sign_in("203.0.113.7").status_code == 302, "Erin, from her own address, still gets in"


def test_the_attackers_own_address_is_locked_whatever_it_writes_in_the_header(erin, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in("198.51.100.66", password="wrong", forged=f"192.0.2.{number}")
    locked = sign_in("198.51.100.66", forged="192.0.2.200")
    assert locked.status_code != 302 and "_auth_user_id" not in locked.client.session


def test_without_a_proxy_the_header_is_ignored(erin, settings):
    settings.BEHIND_PROXY = False
    for number in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": "erin", "password": "wrong"},
                      REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert Client().post("/accounts/login/", {"username": "erin", "password": PASSWORD},
                         REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code != 302
