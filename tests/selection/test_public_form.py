"""The public application form: bad input, drafts, spam, duplicates, e-mails."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cascade.audit.models import AuditEntry
from cascade.selection.models import Application, ApplicationFile


def form_url(call, **params):
    url = reverse("selection:apply", args=[call.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_form_speaks_the_language_asked_for(client, create_call):
    call = create_call()
    page = client.get(form_url(call, lang="ru")).content.decode()
    assert "Институт лидерства, Шымкент 2027" in page and "Ваш опыт" in page and 'lang="ru"' in page


def test_a_complete_application_is_stored_and_confirmed_by_email(client, create_call, answers,
                                                                django_capture_on_commit_callbacks):
    call = create_call()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(call, lang="ru"), answers(call))
    assert response.status_code == 200
    application = Application.objects.get()
    assert application.status == "submitted" and application.language == "ru"
    assert application.email == "aigerim@example.org" and application.answers[f"q{call.questions.get(kind='number').pk}"] == 10
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["aigerim@example.org"]
    assert AuditEntry.objects.filter(action="cascade.selection.application.submit").exists()


def test_a_missing_answer_is_named_and_nothing_is_stored(client, create_call, answers):
    call = create_call()
    question = call.questions.get(kind="long text")
    response = client.post(form_url(call, lang="en"), answers(call, **{question.field_name: ""}))
    assert response.status_code == 400
    assert "Your experience" in response.content.decode() and "This field is required." in response.content.decode()
    assert not Application.objects.exists() and not mail.outbox


def test_a_number_out_of_range_or_of_the_wrong_type_is_refused(client, create_call, answers):
    call = create_call()
    field = call.questions.get(kind="number").field_name
    for bad in ["ten", "200"]:
        response = client.post(form_url(call, lang="en"), answers(call, **{field: bad}))
        assert response.status_code == 400
    assert not Application.objects.exists()


def test_an_unknown_choice_and_a_bad_email_are_refused(client, create_call, answers):
    call = create_call()
    field = call.questions.get(kind="choice").field_name
    response = client.post(form_url(call, lang="en"), answers(call, **{field: "army", "email": "not-an-address"}))
    page = response.content.decode()
    assert response.status_code == 400 and "Select a valid choice" in page and "E-mail" in page
    assert not Application.objects.exists()


def test_an_oversize_file_is_refused_with_its_size(client, create_call, answers, settings):
    call = create_call()
    field = call.questions.get(kind="file").field_name
    big = SimpleUploadedFile("letter.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024 + 1), content_type="application/pdf")
    response = client.post(form_url(call, lang="en"), {**answers(call), field: big})
    assert response.status_code == 400 and "at most 5.0" in response.content.decode()
    assert not Application.objects.exists() and not ApplicationFile.objects.exists()


def test_a_file_of_the_wrong_type_is_refused(client, create_call, answers):
    call = create_call()
    field = call.questions.get(kind="file").field_name
    script = SimpleUploadedFile("letter.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(form_url(call, lang="en"), {**answers(call), field: script})
    assert response.status_code == 400 and "“.exe” are not accepted" in response.content.decode()
    assert not Application.objects.exists()


def test_a_good_file_is_kept_with_the_application(client, create_call, answers, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = create_call()
    field = call.questions.get(kind="file").field_name
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 hello", content_type="application/pdf")
    client.post(form_url(call, lang="en"), {**answers(call), field: letter})
    upload = ApplicationFile.objects.get()
    assert upload.name == "letter.pdf" and upload.size == 14


def test_a_country_outside_the_call_is_refused(client, create_call, answers):
    call = create_call()
    response = client.post(form_url(call, lang="en"), answers(call, country="FR"))
    assert response.status_code == 400 and not Application.objects.exists()


def test_consent_to_data_use_is_required(client, create_call, answers):
    call = create_call()
    response = client.post(form_url(call, lang="en"), answers(call, consent_data=None))
    assert response.status_code == 400 and not Application.objects.exists()


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, create_call, answers):
    call = create_call()
    response = client.post(form_url(call, lang="en"), answers(call, website="http://spam.example"))
    assert response.status_code == 200 and b"Thank you" in response.content
    assert not Application.objects.exists() and not mail.outbox


def test_too_many_posts_from_one_address_are_slowed_down(client, create_call, answers, settings):
    call = create_call()
    from cascade.selection import services

    for _ in range(services.RATE_LIMIT):
        client.post(form_url(call, lang="en"), answers(call, full_name=""))
    response = client.post(form_url(call, lang="en"), answers(call))
    assert response.status_code == 429 and not Application.objects.exists()


def test_a_draft_can_be_saved_half_done_and_resumed_by_its_link(client, create_call, answers,
                                                                django_capture_on_commit_callbacks):
    call = create_call()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(call, lang="ru"), {"full_name": "Aigerim", "email": "aigerim@example.org",
                                                           "save_draft": "1"})
    draft = Application.objects.get()
    assert draft.status == "draft"
    link = reverse("selection:apply-draft", args=[call.slug, draft.token])
    assert link in response.content.decode() and link in mail.outbox[0].body
    page = client.get(link).content.decode()
    assert 'value="Aigerim"' in page
    client.post(link, answers(call))
    draft.refresh_from_db()
    assert draft.status == "submitted" and Application.objects.count() == 1


def test_a_closed_call_takes_no_application(client, create_call, answers):
    call = create_call(status="closed")
    assert client.post(form_url(call), answers(call)).status_code == 410
    assert not Application.objects.exists()


def test_a_call_past_its_deadline_takes_no_application(client, create_call, answers):
    call = create_call()
    call.deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    assert client.post(form_url(call), answers(call)).status_code == 410


def test_the_same_email_twice_is_flagged_as_a_duplicate(client, create_call, answers):
    call = create_call()
    client.post(form_url(call), answers(call))
    client.post(form_url(call), answers(call, email="AIGERIM@example.org", full_name="Aigerim N."))
    first, second = Application.objects.order_by("pk")
    assert second.duplicate_of == first and first.duplicate_of is None


def test_the_same_name_and_phone_is_flagged_even_with_another_email(client, create_call, answers):
    call = create_call()
    client.post(form_url(call), answers(call))
    client.post(form_url(call), answers(call, email="other@example.org", phone="8 (701) 555-12-34",
                                        full_name="aigerim  nurlanova"))
    first, second = Application.objects.order_by("pk")
    assert second.duplicate_of == first


def test_different_people_are_not_flagged(client, create_call, answers):
    call = create_call()
    client.post(form_url(call), answers(call))
    client.post(form_url(call), answers(call, email="dana@example.org", full_name="Dana K."))
    assert not Application.objects.filter(duplicate_of__isnull=False).exists()


@pytest.mark.django_db
def test_contacts_are_encrypted_in_the_database(client, create_call, answers):
    from django.db import connection

    call = create_call()
    client.post(form_url(call), answers(call))
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, phone FROM selection_application")
        email, phone = cursor.fetchone()
    assert "aigerim" not in email and "555" not in phone


def test_with_redis_every_worker_counts_the_same_posts(settings):
    """REDIS_URL gives all processes one count (CI and the production machine run Redis)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    from cascade.selection import services

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/15"}}
    assert isinstance(caches["default"], RedisCache)
    worker_a = RedisCache("redis://127.0.0.1:6379/15", {})  # another process's connection
    worker_a.clear()
    for _ in range(services.RATE_LIMIT):
        assert services.allow_post("198.51.100.4")
    key = next(iter(worker_a._cache.get_client().keys("*selection-rate*")))
    assert int(worker_a._cache.get_client().get(key)) == services.RATE_LIMIT
    assert not services.allow_post("198.51.100.4")
    worker_a.clear()


def test_a_body_larger_than_the_forms_files_allow_is_refused_unread(client, create_call, answers):
    from cascade.selection.forms import MAX_UPLOAD

    call = create_call()  # one file question: at most one file's limit and 1 MB of answers
    letter = SimpleUploadedFile("letter.pdf", b"%PDF" + b"0" * (MAX_UPLOAD + 1024 * 1024))
    data = answers(call, **{call.questions.get(kind="file").field_name: letter})
    response = client.post(form_url(call, lang="en"), data)
    assert response.status_code == 413 and "larger than this form accepts" in response.content.decode()
    assert not Application.objects.exists()


def test_the_rate_limit_comes_before_the_body_is_read(client, create_call, answers):
    from cascade.selection import services

    call = create_call()
    for _ in range(services.RATE_LIMIT):
        client.post(form_url(call, lang="en"), answers(call, full_name=""))
    response = client.generic("POST", form_url(call, lang="en"), b"full_name=A",
                              CONTENT_LENGTH=str(50 * 1024 * 1024), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 429
