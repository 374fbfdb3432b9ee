"""Running a call with confidence: edits until people apply, confirmations, drafts of decisions sent
once, a way back (reopen, undo), blind review without names, the next application, the page's language."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from cascade.audit.models import AuditEntry
from cascade.selection import services
from cascade.selection.models import Application, ApplicationFile, Call, Question, Quota
from tests.selection.test_workflow import score, submit  # noqa: F401  (fixture)


def ranked(call, people, submit):  # noqa: F811
    """Three applicants scored by Rita: Ainur best, then Bota, then Cholpon."""
    applications = [submit(call, "Ainur A"), submit(call, "Bota B", language="en"), submit(call, "Cholpon C")]
    for application, value in zip(applications, (5, 4, 3)):
        score(application, people["rita"], value, value)
    return applications


# --- Decisions are drafts until sent -----------------------------------------------------------


def test_decisions_are_drafts_sent_once_each_with_an_audit_entry(create_call, submit, people,  # noqa: F811
                                                                 django_capture_on_commit_callbacks):
    call = create_call(places=1, waitlist_places=1)
    ainur, bota, cholpon = ranked(call, people, submit)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.apply_proposal(call, people["bob"]) == 3
    assert mail.outbox == []
    assert list(services.decisions_to_send(call).order_by("pk")) == [ainur, bota, cholpon]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_decisions(call, people["bob"]) == 3
        assert services.send_decisions(call, people["bob"]) == 0, "a second press sends nothing"
    assert len(mail.outbox) == 3
    assert AuditEntry.objects.filter(action="cascade.selection.application.decision-sent").count() == 3
    assert not services.decisions_to_send(call).exists()


def test_a_draft_decision_can_be_changed_or_undone_and_a_sent_one_only_changed(create_call, submit, people,  # noqa: F811
                                                                              django_capture_on_commit_callbacks):
    call = create_call()
    application = submit(call, "Aigerim N")
    services.decide(application, "decline", people["bob"])
    services.decide(application, "reset", people["bob"])
    application.refresh_from_db()
    assert (application.status, application.decided_at) == ("submitted", None)

    services.decide(application, "waitlist", people["bob"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_decisions(call, people["bob"])
    application.refresh_from_db()
    assert application.decision_sent_at and not application.decision_draft
    with pytest.raises(ValidationError, match="has been sent"):
        services.decide(application, "reset", people["bob"])
    services.decide(application, "accept", people["bob"])  # a place opened: a new decision to send
    application.refresh_from_db()
    assert application.decision_draft
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_decisions(call, people["bob"]) == 1
    assert [m.subject.startswith("Вы") or "selected" in m.subject for m in mail.outbox] and len(mail.outbox) == 2


@pytest.mark.parametrize("service", ["send_decisions", "reopen_call", "update_call"])
def test_another_partners_staff_may_not_send_reopen_or_edit(create_call, people, service):
    call = create_call()
    with pytest.raises(PermissionDenied):
        getattr(services, service)(call, people["carol"])


# --- Closing, reopening, editing ---------------------------------------------------------------


def test_a_closed_call_reopens_with_a_later_deadline_when_its_own_has_passed(create_call, people):
    call = create_call()
    with pytest.raises(ValidationError, match="Only a closed call"):
        services.reopen_call(call, people["bob"])
    services.close_call(call, people["bob"])
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - datetime.timedelta(days=1))
    call.refresh_from_db()
    with pytest.raises(ValidationError):
        services.reopen_call(call, people["bob"])
    later = timezone.now() + datetime.timedelta(days=5)
    services.reopen_call(call, people["bob"], deadline=later)
    call.refresh_from_db()
    assert call.is_open and call.deadline == later
    assert AuditEntry.objects.filter(action="cascade.selection.call.reopen").exists()


def test_a_call_is_edited_freely_until_someone_applies_then_only_its_texts(create_call, submit, people):  # noqa: F811
    call = create_call(places=2)
    services.update_call(call, people["bob"], places=3, title={"en": "Institute 2027"},
                         emails={"accepted": ({"en": "Welcome to {call}"}, {"en": "Dear {name}"})})
    call.refresh_from_db()
    assert call.places == 3 and call.email_templates.get(kind="accepted").subject == {"en": "Welcome to {call}"}
    submit(call, "Aigerim N")
    with pytest.raises(ValidationError, match="only its title"):
        services.update_call(call, people["bob"], places=4)
    services.update_call(call, people["bob"], places=3, title={"en": "Institute 2027, Shymkent"},
                         emails={"accepted": ({}, {})})
    call.refresh_from_db()
    assert call.title == {"en": "Institute 2027, Shymkent"} and not call.email_templates.exists()


def test_the_edit_page_locks_the_rules_once_someone_applied(client, create_call, submit, people):  # noqa: F811
    call = create_call(places=2)
    client.force_login(people["bob"])
    url = reverse("selection:call-edit", args=[call.pk])
    page = client.get(url).content.decode()
    assert 'id="locked"' not in page
    form = {"title_0": "Institute", "deadline": timezone.localtime(call.deadline).strftime("%Y-%m-%dT%H:%M"),
            "places": "5", "waitlist_places": "1", "languages": ["ru", "en"], "blind_review": "on"}
    assert client.post(url, form).status_code == 302
    call.refresh_from_db()
    assert (call.places, call.waitlist_places, call.languages) == (5, 1, ["ru", "en"])

    submit(call, "Aigerim N")
    page = client.get(url).content.decode()
    assert 'id="locked"' in page and "<fieldset id=\"rules\" disabled>" in page
    assert client.post(url, {**form, "title_0": "Institute, Shymkent", "places": "9"}).status_code == 302
    call.refresh_from_db()
    assert call.places == 5 and call.title["en"] == "Institute, Shymkent"


@pytest.mark.parametrize("action", ["publish", "close"])
def test_publish_and_close_ask_first_and_act_only_on_confirm(client, create_call, people, action):
    call = create_call(status="draft" if action == "publish" else "open")
    before = call.status
    client.force_login(people["bob"])
    url = reverse(f"selection:call-{action}", args=[call.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="confirm"' in page.content.decode()
    assert client.post(url).status_code == 200  # no confirm: asked again
    call.refresh_from_db()
    assert call.status == before
    assert client.post(url, {"confirm": "1"}).status_code == 302
    call.refresh_from_db()
    assert call.status == ("open" if action == "publish" else "closed")


def test_reopening_on_the_page(client, create_call, people):
    call = create_call(status="closed")
    client.force_login(people["bob"])
    url = reverse("selection:call-reopen", args=[call.pk])
    assert 'name="deadline"' in client.get(url).content.decode()
    deadline = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"confirm": "1", "deadline": deadline})
    call.refresh_from_db()
    assert call.status == "open"


def test_the_proposal_and_the_sending_are_confirmed_with_what_will_happen(client, create_call, submit, people,  # noqa: F811
                                                                        django_capture_on_commit_callbacks):
    call = create_call(places=1, waitlist_places=1)
    ranked(call, people, submit)
    client.force_login(people["bob"])
    ranking = reverse("selection:ranking", args=[call.pk])
    page = client.post(ranking, {"apply_proposal": "1"}).content.decode()
    assert "3 applications not yet decided" in page
    assert not services.decisions_to_send(call).exists()
    client.post(ranking, {"apply_proposal": "1", "confirm": "1"})
    assert services.decisions_to_send(call).count() == 3
    assert 'id="send-decisions"' in client.get(ranking).content.decode()

    send = reverse("selection:decisions-send", args=[call.pk])
    mail.outbox.clear()
    page = client.get(send).content.decode()
    assert "3 applicants will be e-mailed" in page and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send)  # no confirm: nothing sent
        assert mail.outbox == []
        assert client.post(send, {"confirm": "1"}).status_code == 302
    assert len(mail.outbox) == 3
    accepted = Application.objects.get(full_name="Ainur A")
    to_ainur = next(m for m in mail.outbox if m.to == ["ainur@example.org"])
    assert reverse("selection:confirm", args=[accepted.token]) in to_ainur.body


def test_a_decision_on_the_ranking_is_saved_as_a_draft(client, submitted, people):
    call, application = submitted
    client.force_login(people["bob"])
    mail.outbox.clear()
    client.post(reverse("selection:application-decide", args=[call.pk, application.pk]), {"decision": "accept"})
    application.refresh_from_db()
    assert application.status == "accepted" and application.decision_draft and mail.outbox == []
    assert "not sent" in client.get(reverse("selection:ranking", args=[call.pk])).content.decode()


# --- Review ---------------------------------------------------------------------------------------


@pytest.fixture
def blind(create_call, people):
    """A blind call with an identifying question and a file; Aigerim of "Crisis Centre Aigerim" applied."""
    call = create_call()
    organisation = Question.objects.create(call=call, order=5, kind="text", label={"en": "Your organisation"},
                                           identifying=True, required=False)
    application = services.save_application(call, {
        "full_name": "Aigerim Nurlanova", "email": "aigerim@example.org", "phone": "+7 701 555 1234",
        "country": call.training.country, "gender": "woman", "consent_data": True,
        organisation.field_name: "Crisis Centre Nurlanova",
        call.questions.get(kind="long text").field_name: "Ten years of shelters.",
    }, language="ru", submit=True)
    letter = call.questions.get(kind="file")
    ApplicationFile.objects.create(application=application, question=letter, name="Aigerim_Nurlanova_CV.pdf",
                                   size=4, file=SimpleUploadedFile("x.pdf", b"%PDF"))
    return call, application


def test_a_blind_reviewer_sees_a_code_and_nothing_that_names_the_applicant(client, blind, people):
    call, application = blind
    client.force_login(people["rita"])
    pages = [client.get(reverse("selection:review-list", args=[call.pk])),
             client.get(reverse("selection:review", args=[call.pk, application.pk]))]
    upload = application.files.get()
    download = client.get(reverse("selection:application-file", args=[call.pk, application.pk, upload.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{application.code}-{upload.question_id}.pdf"'
    texts = [page.content.decode() for page in pages] + [download["Content-Disposition"]]
    for text in texts:
        for secret in ("Aigerim", "Nurlanova", "aigerim@example.org", "555 1234", "Crisis Centre"):
            assert secret not in text
    assert application.code in texts[0] and application.code in texts[1]
    assert "Ten years of shelters." in texts[1]


def test_a_blind_reviewer_cannot_download_the_file_of_an_identifying_question(client, blind, people):
    call, application = blind
    call.questions.filter(kind="file").update(identifying=True)
    client.force_login(people["rita"])
    upload = application.files.get()
    assert client.get(reverse("selection:application-file", args=[call.pk, application.pk, upload.pk])).status_code == 404
    client.force_login(people["bob"])  # who runs the call sees it all
    assert client.get(reverse("selection:application-file", args=[call.pk, application.pk, upload.pk])).status_code == 200


def test_an_open_review_shows_the_name(client, blind, people):
    call, application = blind
    Call.objects.filter(pk=call.pk).update(blind_review=False)
    client.force_login(people["rita"])
    page = client.get(reverse("selection:review", args=[call.pk, application.pk])).content.decode()
    assert "Aigerim Nurlanova" in page and "Crisis Centre Nurlanova" in page


def test_the_next_application_is_the_next_she_has_not_reviewed(client, create_call, submit, people):  # noqa: F811
    call = create_call()
    first, second, third = submit(call, "Ainur A"), submit(call, "Bota B"), submit(call, "Cholpon C")
    score(second, people["rita"], 3, 3)
    assert services.next_to_review(call, people["rita"]) == first
    assert services.next_to_review(call, people["rita"], after=first) == third
    assert services.next_to_review(call, people["rita"], after=third) == first

    client.force_login(people["rita"])
    criteria = list(call.criteria.all())
    url = reverse("selection:review", args=[call.pk, first.pk])
    response = client.post(url, {f"c{c.pk}": "4" for c in criteria}, follow=True)
    page = response.content.decode()
    assert 'id="next-after-review"' in page
    assert reverse("selection:review", args=[call.pk, third.pk]) in page
    score(third, people["rita"], 3, 3)
    page = client.get(url).content.decode()
    assert "You have reviewed every application." in page


def test_the_review_page_speaks_the_pages_language(client, blind, people):
    call, application = blind
    client.force_login(people["rita"])
    with translation.override("ru"):
        page = client.get(reverse("selection:review", args=[call.pk, application.pk]),
                          HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "русский" in page and "<dd>ru</dd>" not in page
    assert "Казахстан" in page


def test_quotas_read_as_translated_labels_and_country_names(create_call, people):
    call = create_call()
    quota = Quota.objects.create(call=call, attribute="country", value="KZ", minimum=1)
    with translation.override("ru"):
        assert quota.label() == "Страна: Казахстан"
    with translation.override("en"):
        assert quota.label() == "Country: Kazakhstan"
    sector = call.questions.get(kind="choice")
    with translation.override("en"):
        assert Quota(call=call, attribute=sector.field_name, value="ngo").label() == "Sector: NGO"
