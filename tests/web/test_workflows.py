"""Recording trainings, reporting a step-down, adding photos and choosing a language."""

import datetime
import io

import pytest
from django.urls import reverse

from cascade.network.models import Person
from cascade.trainings.models import Training

pytestmark = pytest.mark.django_db


def _training_post(**overrides):
    data = {
        "kind": "institute", "title_text": "Almaty institute 2024", "start_date": "2024-05-10",
        "end_date": "2024-05-12", "country": "KZ", "city": "Almaty", "host": "", "language": "ru",
        "source_training": "", "women": "", "men": "", "other": "",
        "people-TOTAL_FORMS": "3", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "500",
    }
    for i in range(3):
        data.update({f"people-{i}-person": "", f"people-{i}-new_name": "", f"people-{i}-gender": "woman",
                     f"people-{i}-role": "participant", f"people-{i}-completed": "on"})
    data.update(overrides)
    return data


def test_an_institute_is_created_with_known_and_new_participants(admin_client, network):
    response = admin_client.post(reverse("web:training_new"), _training_post(**{
        "host": network["swrc"].pk, "manuals": [network["manual"].pk],
        "people-0-person": network["dana"].pk,
        "people-1-new_name": "Zarina Abdieva",
        "people-2-new_name": "Nino Beridze", "people-2-role": "facilitator",
    }))
    training = Training.objects.get(city="Almaty")
    assert response.status_code == 302 and response["Location"] == reverse("web:training", args=[training.pk])
    assert training.title == {"en": "Almaty institute 2024"}
    names = sorted(training.participations.values_list("person__full_name", "role"))
    assert names == [("Dana Seitova", "participant"), ("Nino Beridze", "facilitator"),
                     ("Zarina Abdieva", "participant")]
    assert list(training.manuals.all()) == [network["manual"]]


def test_editing_a_training_removes_a_participant_taken_off_the_table(admin_client, network):
    institute = network["institute"]
    data = _training_post(**{
        "title_text": "Shymkent institute 2019", "start_date": "2019-01-10", "end_date": "2019-01-12",
        "city": "Shymkent", "people-0-person": network["aigul"].pk,
    })
    admin_client.post(reverse("web:training_edit", args=[institute.pk]), data)
    assert list(institute.participations.values_list("person__full_name", flat=True)) == ["Aigul Nurova"]


def test_a_training_form_names_the_field_that_is_wrong(admin_client, network):
    response = admin_client.post(reverse("web:training_new"), _training_post(
        start_date="2024-05-10", end_date="2024-05-01",
        **{"people-0-person": network["dana"].pk, "people-0-new_name": "Someone Else"}))
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["The last day is before the first day."]
    assert response.context["formset"].forms[0].errors["new_name"]


def _report(client, network, names="", final=None, people=None):
    client.get(reverse("web:report"))
    steps = [
        ("when", {"when-trainer": network["aigul"].pk, "when-source_training": network["institute"].pk,
                  "when-start_date": "2019-04-20", "when-country": "KZ", "when-city": "Lenger"}),
        ("manual", {"manual-manual": network["manual"].pk, "manual-language": "kk"}),
        ("sessions", {"sessions-sessions": [s.pk for s in network["manual"].sessions.all()[:2]]}),
        ("people", people or {"people-women": "14", "people-men": "2", "people-other": "0",
                              "people-women_names": names}),
    ]
    for step, data in steps:
        response = client.post(reverse("web:report_step", args=[step]), data)
        assert response.status_code == 302, response.context["form"].errors
    return client.post(reverse("web:report_review"), final or {})


def test_a_trainer_reports_a_step_down_in_five_screens_and_sees_what_was_saved(admin_client, network):
    response = _report(admin_client, network, names="Gulmira Sadykova\n\nAsel Tokhtarova\n")
    training = Training.objects.get(city="Lenger")
    assert response["Location"] == reverse("web:report_saved", args=[training.pk])
    assert (training.kind, training.women_count, training.men_count) == ("step-down", 12, 2)
    assert training.source_training == network["institute"]
    assert [s.manual_session.number for s in training.sessions.all()] == [1, 2]
    assert training.participations.get(role="facilitator").person == network["aigul"]
    assert training.participations.filter(role="participant").count() == 2
    page = admin_client.get(response["Location"]).content.decode()
    assert "Saved. Thank you!" in page and 'data-saved="women">14<' in page
    assert 'data-saved="named">2<' in page and 'data-saved="unnamed">14<' in page


def test_the_step_down_raises_the_dashboard_figures(admin_client, network):
    before = admin_client.get(reverse("web:dashboard")).context["figures"].headline["step_downs"].value
    _report(admin_client, network)
    after = admin_client.get(reverse("web:dashboard")).context["figures"].headline["step_downs"].value
    assert after == before + 1


def test_the_report_skips_sessions_when_no_manual_was_used(admin_client, network):
    admin_client.get(reverse("web:report"))
    admin_client.post(reverse("web:report_step", args=["when"]), {
        "when-trainer": network["aigul"].pk, "when-start_date": "2019-04-20", "when-country": "KZ",
        "when-city": "Lenger"})
    response = admin_client.post(reverse("web:report_step", args=["manual"]), {"manual-manual": ""})
    assert response["Location"] == reverse("web:report_step", args=["people"])


def test_a_report_without_anyone_who_came_is_refused(admin_client, network):
    admin_client.get(reverse("web:report"))
    response = admin_client.post(reverse("web:report_step", args=["people"]), {
        "people-women": "0", "people-men": "0"})
    assert "Say how many people took part" in response.content.decode()


def test_the_report_checks_a_field_as_it_is_typed(admin_client, network):
    admin_client.get(reverse("web:report"))
    response = admin_client.post(
        reverse("web:report_check", args=["when"]),
        {"when-start_date": (datetime.date.today() + datetime.timedelta(days=30)).isoformat()},
        HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="when-start_date")
    assert "This date is in the future" in response.content.decode()
    response = admin_client.post(reverse("web:report_check", args=["when"]), {"when-city": "Lenger"},
                                 HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="when-city")
    assert response.content.decode().strip() == ""


def test_the_step_pages_carry_htmx_validation_and_fit_a_form_per_screen(admin_client, network):
    page = admin_client.get(reverse("web:report_step", args=["when"])).content.decode()
    assert 'hx-post="/report/when/check/"' in page
    assert 'aria-describedby="err-when-city"' in page


def test_a_photo_is_added_with_captions_in_two_languages(admin_client, network, settings, tmp_path):
    from PIL import Image

    from cascade.photos.models import Photo

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "purple").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "group.jpg"
    response = admin_client.post(reverse("web:photo_upload", args=[network["institute"].pk]), {
        "image": buffer, "caption": "Participants", "caption_other": "Участницы",
        "caption_other_language": "ru", "shows_people": "on", "consent_recorded": "on"})
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.caption == {"en": "Participants", "ru": "Участницы"}
    page = admin_client.get(reverse("web:training", args=[network["institute"].pk])).content.decode()
    assert reverse("web:photo_thumb", args=[photo.pk]) in page
    assert admin_client.get(reverse("web:photo_thumb", args=[photo.pk])).status_code == 200


def test_a_file_that_is_not_a_photo_is_refused_with_a_reason(admin_client, network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = io.BytesIO(b"not an image")
    upload.name = "notes.jpg"
    response = admin_client.post(reverse("web:photo_upload", args=[network["institute"].pk]),
                                 {"image": upload, "shows_people": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["image"]


def test_the_chosen_language_is_remembered_for_the_user(client, alice, network):
    from cascade.web.models import Preference

    client.force_login(alice)
    client.post(reverse("web:set_language"), {"language": "ky", "next": "/trainings/"})
    assert Preference.objects.get(user=alice).language == "ky"
    client.cookies.clear()
    client.force_login(alice)
    response = client.get(reverse("web:trainings"))
    assert response["Content-Language"] == "ky"
    assert '<html lang="ky"' in response.content.decode()


def test_an_unknown_language_is_refused(admin_client):
    assert admin_client.post(reverse("web:set_language"), {"language": "xx"}).status_code == 400


def test_arabic_pages_are_written_right_to_left(client, alice, network):
    client.force_login(alice)
    client.post(reverse("web:set_language"), {"language": "ar"})
    assert 'dir="rtl"' in client.get(reverse("web:dashboard")).content.decode()


def test_kazakh_dates_and_numbers_use_the_kazakh_formats(client, alice, network):
    from django.utils import formats, translation

    with translation.override("kk"):
        assert formats.date_format(datetime.date(2019, 1, 10), "SHORT_DATE_FORMAT") == "10.01.2019"
        assert formats.number_format(1234567, force_grouping=True) == "1\xa0234\xa0567"


def test_no_person_is_created_when_the_report_is_refused(client, network, create_person):
    from django.contrib.auth import get_user_model

    from cascade.accounts.models import Role

    stranger = create_person(full_name="Not Mine")
    trainer = get_user_model().objects.create_user("tamara", password="a-long-pass-phrase")
    Role.objects.create(user=trainer, kind=Role.Kind.TRAINER, person=network["aigul"])
    client.force_login(trainer)
    client.get(reverse("web:report"))
    response = client.post(reverse("web:report_step", args=["when"]), {
        "when-trainer": stranger.pk, "when-start_date": "2019-04-20", "when-country": "KZ", "when-city": "X"})
    assert "when-trainer" in response.context["form"].add_prefix("trainer")
    assert response.context["form"].errors["trainer"]
    assert Person.objects.filter(full_name="Not Mine").count() == 1


def _jpeg():
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (16, 16), "purple").save(picture, "JPEG")
    return picture.getvalue()


def test_a_step_down_report_carries_its_photos(admin_client, network, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = _report(admin_client, network, final={
        "photos": [SimpleUploadedFile("a.jpg", _jpeg(), "image/jpeg"),
                   SimpleUploadedFile("b.jpg", _jpeg(), "image/jpeg")],
        "shows_people": "on", "consent_recorded": "on"})
    training = Training.objects.get(city="Lenger")
    assert response.status_code == 302
    assert [(p.shows_people, p.consent_recorded) for p in training.photos.all()] == [(True, True)] * 2
    assert 'data-saved="photos">2<' in admin_client.get(response["Location"]).content.decode()


def test_one_bad_photo_stops_the_report_and_says_which(admin_client, network, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = _report(admin_client, network, final={
        "photos": [SimpleUploadedFile("a.jpg", _jpeg(), "image/jpeg"),
                   SimpleUploadedFile("notes.jpg", b"not a picture", "image/jpeg")]})
    assert response.status_code == 400
    assert response.context["photo_errors"][0].startswith("Photo 2: ")
    assert not Training.objects.filter(city="Lenger").exists(), "nothing half-written"
    assert not any(tmp_path.rglob("*.jpg"))
