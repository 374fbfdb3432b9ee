"""/healthz: 200 when the database, the cache and a worker answer; 503 naming what is down."""

import datetime
import json

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from cascade.jobs.heartbeat import STALE_AFTER, beat
from cascade.jobs.models import WorkerHeartbeat
from cascade.ops import health
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def started() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=5)


@pytest.fixture
def worker():
    beat("worker-1", started())


def read(response) -> dict:
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def test_it_answers_200_when_the_database_the_cache_and_a_worker_answer(client, worker):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = read(response)
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True} and body["cache"] == {"ok": True}
    assert body["worker"]["ok"] is True and body["worker"]["workers"] == 1
    assert datetime.datetime.fromisoformat(body["worker"]["last_seen"]) <= timezone.now()


def test_it_answers_503_when_no_worker_ever_sent_a_heartbeat(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = read(response)
    assert body["status"] == "degraded"
    assert body["worker"] == {"ok": False, "workers": 0, "last_seen": None}
    assert body["database"]["ok"] and body["cache"]["ok"]


def test_it_answers_503_when_the_last_heartbeat_is_stale(client, worker):
    then = timezone.now() - datetime.timedelta(seconds=STALE_AFTER + 5)
    WorkerHeartbeat.objects.update(seen_at=then)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = read(response)
    assert body["worker"]["ok"] is False and body["worker"]["workers"] == 0
    assert datetime.datetime.fromisoformat(body["worker"]["last_seen"]) == then


def test_it_answers_503_when_the_shared_cache_does_not_answer(client, worker):
    nothing_listens = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    with override_settings(CACHES=nothing_listens):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = read(response)
    assert body["cache"] == {"ok": False}
    assert body["database"]["ok"] and body["worker"]["ok"]


def test_it_answers_503_when_the_database_does_not_answer(client, worker, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert read(response)["database"] == {"ok": False}


def test_a_user_between_password_and_second_factor_gets_it(client, worker, alice):
    response = client.post("/accounts/login/", {"username": alice.username, "password": PASSWORD})
    assert response.status_code == 302 and client.get("/").status_code == 302  # the rest waits for her code
    assert client.get("/healthz").status_code == 200


def test_a_user_without_a_role_gets_it(client, worker, nora):
    client.force_login(nora)
    assert client.get("/").status_code == 403
    assert client.get("/healthz").status_code == 200


def test_it_shows_no_personal_data_only_its_checks(client, worker, alice):
    body = read(client.get("/healthz"))
    assert set(body) == {"status", "database", "cache", "worker"}
    assert set(body["worker"]) == {"ok", "workers", "last_seen"}
    text = json.dumps(body)
    assert alice.username not in text and "host" not in text and "pid" not in text


def test_it_answers_only_reads(client, worker):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_load_balancer_may_ask_over_plain_http_on_an_https_site(client, worker):
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
