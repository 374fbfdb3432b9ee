"""Applicants hear of a decision only once staff send it and it is saved; a failing mail server is
retried, then reported."""

import logging

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.db import transaction
from django.urls import reverse

from cascade.audit.models import AuditEntry
from cascade.selection import services
from cascade.selection.models import Application
from tests.selection.test_workflow import score, submit  # noqa: F401  (fixture)


class FlakyBackend(MemoryBackend):
    """A mail server that refuses some recipients, or everyone a number of times first."""

    refuse: set[str] = set()
    failures_left = 0
    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            raise ConnectionRefusedError("the mail server is down")
        if any(address in FlakyBackend.refuse for message in messages for address in message.to):
            raise ConnectionRefusedError("the mail server refused the message")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.selection.test_emails.FlakyBackend"
    settings.CASCADE_MAIL_RETRY_DELAYS = (0, 0)
    FlakyBackend.refuse, FlakyBackend.failures_left, FlakyBackend.attempts = set(), 0, 0
    yield FlakyBackend


def test_no_applicant_hears_of_a_decision_that_rolled_back(create_call, submit, people,  # noqa: F811
                                                           django_capture_on_commit_callbacks):
    call = create_call()
    application = submit(call, "Aigerim N")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.decide(application, "accept", people["bob"])
            services.send_decisions(call, people["bob"])
            raise RuntimeError("something later in the same change failed")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert mail.outbox == []


def test_the_decision_mail_leaves_only_after_the_decision_is_saved(create_call, submit, people,  # noqa: F811
                                                                   django_capture_on_commit_callbacks):
    call = create_call()
    application = submit(call, "Aigerim N")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        services.decide(application, "accept", people["bob"])
        assert waiting == [], "a decision is a draft: nothing is sent"
        services.send_decisions(call, people["bob"])
        assert mail.outbox == [], "nothing is sent inside the transaction"
    assert len(waiting) == 1
    waiting[0]()
    assert [m.to for m in mail.outbox] == [["aigerim@example.org"]]


def test_a_mail_server_that_fails_twice_is_tried_again_and_the_mail_goes(create_call, submit, people, flaky,  # noqa: F811
                                                                         django_capture_on_commit_callbacks):
    call = create_call()
    application = submit(call, "Aigerim N")
    flaky.failures_left, flaky.attempts = 2, 0
    services.decide(application, "accept", people["bob"])
    with django_capture_on_commit_callbacks(execute=True):
        services.send_decisions(call, people["bob"])
    assert flaky.attempts == 3
    assert [m.to for m in mail.outbox if m.to == ["aigerim@example.org"]] == [["aigerim@example.org"]]
    assert not AuditEntry.objects.filter(action="cascade.selection.email.failed").exists()


def test_a_mail_that_cannot_be_sent_leaves_the_decisions_and_tells_staff(
        client, create_call, submit, people, flaky, caplog, django_capture_on_commit_callbacks):  # noqa: F811
    call = create_call(places=1, waitlist_places=0)
    first, second = submit(call, "Ainur A"), submit(call, "Bota B")
    for application, value in [(first, 5), (second, 3)]:
        score(application, people["rita"], value, value)
    mail.outbox.clear()
    flaky.refuse = {"ainur@example.org"}
    with caplog.at_level(logging.WARNING, logger="cascade.mail"), django_capture_on_commit_callbacks(execute=True):
        assert services.apply_proposal(call, people["bob"]) == 2
        assert mail.outbox == []
        assert services.send_decisions(call, people["bob"]) == 2

    statuses = dict(Application.objects.values_list("full_name", "status"))
    assert statuses == {"Ainur A": "accepted", "Bota B": "declined"}
    assert [m.to for m in mail.outbox] == [["bota@example.org"]]
    failure = AuditEntry.objects.get(action="cascade.selection.email.failed")
    assert (failure.object_id, failure.details["kind"], failure.details["attempts"]) == (str(first.pk), "accepted", 3)
    assert "ainur@example.org" not in caplog.text and "not sent after 3 attempts" in caplog.text

    client.force_login(people["bob"])
    page = client.get(reverse("selection:application-detail", args=[call.pk, first.pk])).content.decode()
    assert "could not be sent" in page
    other = client.get(reverse("selection:application-detail", args=[call.pk, second.pk])).content.decode()
    assert "could not be sent" not in other


@pytest.mark.parametrize("gender, opening", [
    ("man", "Уважаемый Бахыт Нурланов,\n\n"),
    ("woman", "Уважаемая Бахыт Нурланов,\n\n"),
    ("not stated", "Здравствуйте, Бахыт Нурланов!\n\n"),
    ("other", "Здравствуйте, Бахыт Нурланов!\n\n"),
    ("", "Здравствуйте, Бахыт Нурланов!\n\n"),
])
def test_the_decision_letter_greets_the_applicant_by_gender(create_call, submit, gender, opening):  # noqa: F811
    # Needs the greetings' and the letters' translations in the catalogue.
    application = submit(create_call(), "Бахыт Нурланов", language="ru")
    Application.objects.filter(pk=application.pk).update(gender=gender)
    application.refresh_from_db()
    for kind in ("received", "accepted", "waitlisted", "declined"):
        _subject, body = services.render_email(application, kind, link="https://example.org/c")
        assert body.startswith(opening), (kind, body)
        assert "Уважаем" not in body[len(opening):]


def test_the_default_letters_open_with_the_greeting(create_call, submit):  # noqa: F811
    application = submit(create_call(), "Bakhyt Nurlanov", language="en")
    for kind in ("received", "accepted", "waitlisted", "declined"):
        _subject, body = services.render_email(application, kind, link="https://example.org/c")
        assert body.startswith("Dear Bakhyt Nurlanov,\n\n"), body
        assert body.count("Dear") == 1
