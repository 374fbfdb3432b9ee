"""Every redirect target a browser sends goes through ``access.safe_next``: never to another site."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cascade.access import safe_next
from tests.selection.conftest import create_call, people, submitted  # noqa: F401  (fixtures)

ELSEWHERE = ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example", "javascript:alert(1)",
             "http://testserver.evil.example/"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_safe_next_refuses_a_target_on_another_site(target):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next(request, "/home/") == "/home/"


def test_safe_next_keeps_a_path_on_this_site_from_the_form_or_the_query():
    factory = RequestFactory()
    assert safe_next(factory.post("/", {"next": "/trainings/?year=2019"}), "/") == "/trainings/?year=2019"
    assert safe_next(factory.get("/", {"next": "/people/"}), "/") == "/people/"
    assert safe_next(factory.get("/"), "/fallback/") == "/fallback/"


def test_an_http_target_is_refused_on_a_secure_request():
    request = RequestFactory().post("/", {"next": "http://testserver/people/"}, secure=True)
    assert safe_next(request, "/") == "/"



@pytest.mark.parametrize("page", ["selection:application-decide", "selection:application-override"])
def test_a_decision_or_override_form_does_not_send_staff_to_another_site(client, submitted, people, page):  # noqa: F811
    call, application = submitted
    client.force_login(people["bob"])
    response = client.post(reverse(page, args=[call.pk, application.pk]), {
        "decision": "waitlist", "override": "", "override_reason": "", "next": "https://evil.example/phish"})
    assert response.status_code == 302
    assert response["Location"] == reverse("selection:ranking", args=[call.pk])


def test_a_decision_form_returns_to_the_page_it_came_from(client, submitted, people):  # noqa: F811
    call, application = submitted
    client.force_login(people["bob"])
    back = reverse("selection:application-detail", args=[call.pk, application.pk])
    response = client.post(reverse("selection:application-decide", args=[call.pk, application.pk]),
                           {"decision": "waitlist", "next": back})
    assert response["Location"] == back


def test_the_language_switcher_does_not_send_anyone_to_another_site(client, db):
    response = client.post(reverse("web:set_language"), {"language": "ru", "next": "//evil.example/"})
    assert response["Location"] == "/"
