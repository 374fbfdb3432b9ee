"""The REST API with tokens: figures equal to ``cascade stats --json``, donors suppressed, idempotent reports."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openapi_spec_validator import validate

from cascade.api.models import ApiToken
from cascade.audit.models import AuditEntry
from cascade.demo.network import build_demo_network
from cascade.network.models import Person
from cascade.trainings.models import Training

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    build_demo_network()


def make_token(username, *args) -> str:
    out = io.StringIO()
    call_command("api-token", "create", username, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def api(token, path, method="get", **kwargs):
    client = Client()
    return getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs)


def stats_json(*args) -> dict:
    out = io.StringIO()
    call_command("stats", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_token_made_on_the_command_line_reads_the_figures_of_cascade_stats(network, alice):
    token = make_token("alice", "--read-only")
    assert token.startswith("cas_")
    stored = ApiToken.objects.get()
    assert token not in (stored.digest, stored.prefix) and token.startswith(stored.prefix)
    answer = api(token, "/api/v1/figures")
    assert answer.status_code == 200
    assert answer.json() == stats_json()
    assert api(token, "/api/v1/figures?country=KG").json() == stats_json("--country", "KG")
    assert api(token, "/api/v1/figures/breakdown?by=year&country=KZ").json() == json.loads(
        json.dumps(__import__("cascade.metrics.engine", fromlist=["x"]).breakdown(
            __import__("cascade.metrics.filters", fromlist=["x"]).Filters.parse(country="KZ"), "year")))
    assert ApiToken.objects.get().last_used_at is not None


def test_a_filter_that_names_nothing_is_refused_naming_the_filter(network, alice):
    answer = api(make_token("alice"), "/api/v1/figures?country=XX")
    assert answer.status_code == 400
    assert list(answer.json()) == ["country"]


def test_a_donors_token_sees_no_person_and_only_suppressed_counts(network, erin):
    token = make_token("erin", "--read-only")
    figures = api(token, "/api/v1/figures").json()
    assert figures["suppressed"] is True
    counts = [row[k] for row in figures["generations"] for k in ("people", "headcount", "reach")]
    counts += [row[k] for row in figures["gender"] for k in ("named", "headcount", "total")]
    assert not [c for c in counts if isinstance(c, int) and 0 < c < 5]
    assert api(token, "/api/v1/people").status_code == 403
    assert api(token, "/api/v1/trainings/shymkent-2019/tree").status_code == 403
    breakdown = api(token, "/api/v1/figures/breakdown?by=year").json()
    assert breakdown["suppressed"] is True
    cells = [row[k] for row in breakdown["rows"] for k in ("women", "men", "other", "reach")]
    assert not [c for c in cells if isinstance(c, int) and 0 < c < 5]
    assert api(token, "/api/v1/figures/breakdown?by=gender").status_code == 400
    rows = api(make_token("erin"), "/api/v1/trainings?page_size=1000").json()["results"]
    assert rows and not any("women_count" in row for row in rows)
    assert not [row["reach"] for row in rows if isinstance(row["reach"], int) and 0 < row["reach"] < 5]
    assert any(row["reach"] == "<5" or "–" in str(row["reach"]) for row in rows)
    trainings = api(make_token("erin"), "/api/v1/trainings").content.decode()
    for name in Person.objects.values_list("full_name", flat=True)[:50]:
        assert name not in trainings


def test_people_show_contacts_only_to_roles_that_export_people_and_are_audited(network, alice, dave):
    answer = api(make_token("alice"), "/api/v1/people?page_size=5").json()
    assert len(answer["results"]) == 5 and "email" in answer["results"][0]
    assert AuditEntry.objects.filter(action="cascade.people.listed", username="alice").exists()
    dave_people = api(make_token("dave"), "/api/v1/people").json()["results"]
    assert dave_people and "email" not in dave_people[0]


def step_down(trainer_key, **extra):
    return {"trainer": trainer_key, "start_date": "2024-03-01", "country": "KZ", "city": "Turkestan",
            "women": 5, "men": 3, "women_names": ["Aigul Testova"], **extra}


def test_the_same_post_twice_with_one_key_makes_one_step_down(network, dave, trainer_person):
    token = make_token("dave")
    before = Training.objects.count()
    headers = {"HTTP_IDEMPOTENCY_KEY": "report-42"}
    first = api(token, "/api/v1/step-downs", "post", data=step_down(trainer_person.key),
                content_type="application/json", **headers)
    assert first.status_code == 201, first.content
    again = api(token, "/api/v1/step-downs", "post", data=step_down(trainer_person.key),
                content_type="application/json", **headers)
    assert again.status_code == 201 and again.json() == first.json()
    assert Training.objects.count() == before + 1
    training = Training.objects.get(key=first.json()["key"])
    assert (training.women_count, training.men_count) == (4, 3)  # one woman is named
    assert AuditEntry.objects.filter(action="cascade.training.reported_via_api", username="dave").count() == 1
    changed = api(token, "/api/v1/step-downs", "post", data=step_down(trainer_person.key, city="Arys"),
                  content_type="application/json", **headers)
    assert changed.status_code == 422 and list(changed.json()) == ["idempotency_key"]
    assert Training.objects.count() == before + 1
    other = api(token, "/api/v1/step-downs", "post", data=step_down(trainer_person.key),
                content_type="application/json", HTTP_IDEMPOTENCY_KEY="report-43")
    assert other.status_code == 201 and Training.objects.count() == before + 2


def test_a_bad_report_names_the_field_and_writes_nothing(network, dave, trainer_person):
    token = make_token("dave")
    before = Training.objects.count()
    answer = api(token, "/api/v1/step-downs", "post", content_type="application/json",
                 data=step_down(trainer_person.key, end_date="2024-02-01", women=0, men=0, women_names=[]))
    assert answer.status_code == 400
    assert "end_date" in answer.json()
    answer = api(token, "/api/v1/step-downs", "post", content_type="application/json",
                 data=step_down("no-such-person"))
    assert answer.status_code == 400 and list(answer.json()) == ["trainer"]
    assert Training.objects.count() == before


def test_a_read_only_token_cannot_post(network, dave, trainer_person):
    token = make_token("dave", "--read-only")
    answer = api(token, "/api/v1/step-downs", "post", data=step_down(trainer_person.key),
                 content_type="application/json")
    assert answer.status_code == 403


def test_expired_revoked_and_unknown_tokens_are_401(network, alice):
    token = make_token("alice", "--days", "1")
    assert api(token, "/api/v1/manuals").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert api(token, "/api/v1/manuals").status_code == 401
    other = make_token("alice")
    call_command("api-token", "revoke", str(ApiToken.objects.get(prefix=other[:12]).pk), stdout=io.StringIO())
    assert api(other, "/api/v1/manuals").status_code == 401
    assert api(other[:-2] + "xx", "/api/v1/manuals").status_code == 401
    assert Client().get("/api/v1/manuals").status_code in (401, 403)


def test_a_token_of_a_user_who_lost_her_role_gets_403(network, dave):
    token = make_token("dave")
    dave.cascade_role.delete()
    assert api(token, "/api/v1/trainings").status_code == 403


def test_the_command_lists_tokens_without_their_secret(alice):
    token = make_token("alice", "--read-only", "--days", "7")
    out = io.StringIO()
    call_command("api-token", "list", stdout=out)
    assert "alice" in out.getvalue() and "read" in out.getvalue() and token not in out.getvalue()


def test_trainings_are_paged_100_a_page_at_most_1000(network, alice):
    token = make_token("alice")
    total = Training.objects.count()
    first = api(token, "/api/v1/trainings").json()
    assert first["count"] == total and len(first["results"]) == min(100, total)
    assert "women_count" in first["results"][0] and isinstance(first["results"][0]["reach"], int)
    small = api(token, "/api/v1/trainings?page_size=7&page=2").json()
    assert len(small["results"]) == 7 and small["previous"]
    big = api(token, "/api/v1/trainings?page_size=5000").json()
    assert len(big["results"]) == min(1000, total)
    assert api(token, "/api/v1/trainings?page=9999").status_code == 404


def test_trainings_filter_as_the_dashboard_and_by_modified_since(network, alice, bob):
    token = make_token("alice")
    kg = api(token, "/api/v1/trainings?country=KG&page_size=1000").json()["results"]
    assert kg and all(row["country"] == "KG" for row in kg)
    future = api(token, "/api/v1/trainings?modified_since=2999-01-01").json()
    assert future["count"] == 0
    assert list(api(token, "/api/v1/trainings?modified_since=yesterday").json()) == ["modified_since"]
    bobs = api(make_token("bob"), "/api/v1/trainings?page_size=1000").json()["count"]
    from cascade import access
    assert bobs == access.visible_trainings(bob).count()


def test_the_rate_limit_is_per_token(network, alice, settings):
    settings.CASCADE_API_RATE = "3/minute"
    from django.core.cache import cache
    cache.clear()
    token, other = make_token("alice"), make_token("alice")
    assert [api(token, "/api/v1/manuals").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api(other, "/api/v1/manuals").status_code == 200


def test_the_schema_validates_as_openapi_3(alice):
    client = Client()
    client.force_login(alice)
    answer = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert answer.status_code == 200
    schema = json.loads(answer.content)
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "/api/v1/step-downs" in schema["paths"]


def test_the_docs_are_served_without_a_cdn(alice):
    client = Client()
    client.force_login(alice)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert b"cdn" not in page.content.lower() and b"/static/drf_spectacular_sidecar/" in page.content


def test_an_import_is_checked_as_a_job_whose_state_the_token_reads(network, alice, bob):
    from tests.access.test_personas import workbook_upload

    token = make_token("alice")
    answer = api(token, "/api/v1/imports", "post", data={"file": workbook_upload(), "dry_run": "true"})
    assert answer.status_code == 202, answer.content
    job = answer.json()
    assert job["kind"] == "spreadsheet-check" and job["state"] in ("done", "failed")
    read = api(token, f"/api/v1/jobs/{job['id']}")
    assert read.status_code == 200 and read.json()["id"] == job["id"]
    assert api(make_token("bob"), f"/api/v1/jobs/{job['id']}").status_code == 404
    assert api(make_token("alice", "--read-only"), "/api/v1/imports", "post",
               data={"file": workbook_upload()}).status_code == 403
    assert list(api(token, "/api/v1/imports", "post", data={}).json()) == ["file"]


def test_the_schema_generates_without_a_warning():
    """drf-spectacular's own check: every view described, the token's scheme too."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_the_staff_page_makes_a_token_shown_once_and_revokes_it(alice, bob):
    client = Client()
    client.force_login(bob)
    page = client.post("/tokens/", {"days": "30", "name": "M&E dashboard", "scope": "read"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=bob)
    secret = page.context["secret"]
    assert secret.startswith(token.prefix) and token.scope == "read" and token.name == "M&E dashboard"
    assert api(secret, "/api/v1/manuals").status_code == 200
    assert secret not in client.get("/tokens/").content.decode()
    other = Client()
    other.force_login(alice)
    assert token.prefix in other.get("/tokens/").content.decode()  # the network admin lists every token
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 302
    assert api(secret, "/api/v1/manuals").status_code == 401
    assert AuditEntry.objects.filter(action="cascade.api_token.revoked", username="bob").exists()


def test_a_figures_only_token_reads_suppressed_figures_even_for_the_network_admin(network, alice):
    token = make_token("alice", "--figures-only")
    figures = api(token, "/api/v1/figures").json()
    assert figures["suppressed"] is True and figures != stats_json()
    assert api(token, "/api/v1/figures/breakdown?by=country").json()["suppressed"] is True
    for path in ("/api/v1/trainings", "/api/v1/people", "/api/v1/manuals", "/api/v1/schema/"):
        assert api(token, path).status_code == 403, path
    assert api(token, "/api/v1/step-downs", "post", data={}, content_type="application/json").status_code == 403
