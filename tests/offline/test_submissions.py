"""Offline reports in: a KoboToolbox export, and pulls from KoboToolbox and ODK Central."""

import io
import json
import shutil

import pytest
from django.core.management import call_command
from PIL import Image

from cascade.access import operator
from cascade.audit.models import AuditEntry
from cascade.offline import servers, services
from cascade.offline.models import Submission
from cascade.photos.models import Photo
from cascade.trainings.models import Training

from .conftest import DATA, load


def _photo_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), "orange")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (42.0, 30.0, 0.0)}  # GPS: where the photo was taken
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _export(tmp_path):
    target = tmp_path / "kobo-export.json"
    shutil.copy(DATA / "kobo-export.json", target)
    (tmp_path / "photo1-13_10_22.jpg").write_bytes(_photo_with_location())
    return target


def _step_downs():
    return Training.objects.filter(kind=Training.Kind.STEP_DOWN)


def test_a_kobo_export_of_ten_entries_imports_as_seven_step_downs_with_one_refusal(network, tmp_path):
    path = _export(tmp_path)
    outcome = services.import_records(operator(), servers.read_export(path), servers.photos_beside(path))
    assert len(servers.read_export(path)) == 10
    assert _step_downs().count() == 7
    assert len(outcome.created) == 7 and outcome.updated == []
    assert sorted(_step_downs().values_list("city", flat=True)) == [
        "Batken", "Jalal-Abad", "Karakol", "Naryn city", "Osh", "Talas", "Tokmok"]
    edited = _step_downs().get(city="Naryn city")
    assert edited.women_count == 12 and edited.men_count == 5
    assert Submission.objects.get(training=edited).instance_id.endswith("0011-5c3a-4d2e-9f10-a1b2c3d4e511")
    [(root, reason)] = outcome.refused
    assert root.startswith("uuid:0b1e0008") and reason.startswith("end_date:")
    assert not _step_downs().filter(city="Kochkor").exists()


def test_the_report_is_the_phone_reports_step_down(network):
    record = load("kobo-export.json")["results"][1]  # Osh: two people named
    services.import_records(operator(), [record])
    training = _step_downs().get(city="Osh")
    assert training.source_training == network["institute"]
    assert list(training.manuals.values_list("key", flat=True)) == ["ltc"]
    assert [s.manual_session.number for s in training.sessions.order_by("order")] == [1, 2]
    assert training.women_count == 7 and training.men_count == 4  # everyone who attended, less those named
    assert sorted(training.participations.values_list("person__full_name", "role")) == [
        ("Aigul Bekova", "facilitator"), ("Asel Toktogulova", "participant"), ("Bakyt Osmonov", "participant")]


def test_a_second_import_changes_nothing(network, tmp_path):
    path = _export(tmp_path)
    services.import_records(operator(), servers.read_export(path), servers.photos_beside(path))
    before = (list(_step_downs().order_by("pk").values_list("pk", "key", "city", "women_count")),
              AuditEntry.objects.count(), Photo.objects.count())
    again = services.import_records(operator(), servers.read_export(path), servers.photos_beside(path))
    assert len(again.unchanged) == 7 and again.created == again.updated == []
    assert (list(_step_downs().order_by("pk").values_list("pk", "key", "city", "women_count")),
            AuditEntry.objects.count(), Photo.objects.count()) == before


def test_an_edit_imported_later_updates_its_step_down_and_keeps_its_key(network, tmp_path):
    path = _export(tmp_path)
    records = servers.read_export(path)
    first, edit = records[0], records[7]
    services.import_records(operator(), [first], servers.photos_beside(path))
    key = _step_downs().get().key
    outcome = services.import_records(operator(), [edit], servers.photos_beside(path))
    assert outcome.updated == [key]
    training = _step_downs().get()
    assert (training.key, training.city, training.women_count) == (key, "Naryn city", 12)
    assert Photo.objects.filter(training=training).count() == 1
    assert AuditEntry.objects.filter(action="cascade.submission.updated", object_id=str(training.pk)).exists()
    again = services.import_records(operator(), [first], servers.photos_beside(path))  # an older export, pulled again
    assert again.unchanged == [key] and _step_downs().get().city == "Naryn city"


def test_photos_lose_their_location_as_uploaded_ones_do(network, tmp_path):
    path = _export(tmp_path)
    services.import_records(operator(), servers.read_export(path)[:1], servers.photos_beside(path))
    photo = Photo.objects.get()
    assert photo.consent_recorded
    with Image.open(photo.image.open("rb")) as stored:
        assert not stored.getexif()


def test_a_missing_photo_refuses_the_submission_naming_the_question(network):
    record = load("kobo-export.json")["results"][0]
    outcome = services.import_records(operator(), [record], lambda record, name: None)
    [(_root, reason)] = outcome.refused
    assert reason.startswith("photo1:") and "photo1-13_10_22.jpg" in reason
    assert not _step_downs().exists() and not Submission.objects.exists()


@pytest.mark.parametrize("change, field", [
    ({"report/trainer": "nobody"}, "trainer:"),
    ({"report/country": "XX"}, "country:"),
    ({"report/manual": "unknown-manual"}, "manual:"),
    ({"report/sessions": "ltc-9"}, "sessions:"),
    ({"report/women": -1}, "women:"),
    ({"report/women": 0, "report/men": 0}, "participants:"),
    ({"report/start_date": "2027-05-01"}, "start_date:"),
])
def test_a_bad_submission_is_refused_naming_its_field_and_nothing_is_written(network, change, field):
    record = {**load("kobo-export.json")["results"][2], **change}
    people = network["aigul"].__class__.objects.count()
    outcome = services.import_records(operator(), [record])
    [(_root, reason)] = outcome.refused
    assert reason.startswith(field), reason
    assert not _step_downs().exists() and not Submission.objects.exists()
    assert network["aigul"].__class__.objects.count() == people


def test_the_import_command_lists_what_it_refused(network, tmp_path, capsys):
    path = _export(tmp_path)
    with pytest.raises(SystemExit):
        call_command("submissions", "import", str(path))
    out = capsys.readouterr().out
    assert "7" in out and "Refused uuid:0b1e0008" in out and "end_date" in out
    assert AuditEntry.objects.filter(action="cascade.submission.created").count() == 7


def test_pull_reads_every_page_of_kobo_with_the_token(network, server, monkeypatch, capsys):
    monkeypatch.setenv("KOBO_TOKEN", "kobo-secret")
    asset = "/api/v2/assets/aKq7tY3pW9mNbXcZ2sD4fG/data/"
    server("GET", f"{asset}?format=json", "kobo-data-page1.json", auth="Token kobo-secret")
    server("GET", f"{asset}?format=json&limit=2&start=2", "kobo-data-page2.json", auth="Token kobo-secret")
    server("GET", f"{asset}201/attachments/901/", _photo_with_location(), auth="Token kobo-secret",
           kind="image/jpeg")
    call_command("submissions", "pull", "--kobo", server.base, "--asset", "aKq7tY3pW9mNbXcZ2sD4fG")
    assert sorted(_step_downs().values_list("city", flat=True)) == ["Naryn", "Osh", "Talas"]
    assert Photo.objects.count() == 1
    assert all(auth == "Token kobo-secret" for _method, _path, auth in server.seen)


def test_pull_without_a_token_says_which_to_set(network, server, monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.delenv("KOBO_TOKEN", raising=False)
    with pytest.raises(CommandError, match="KOBO_TOKEN"):
        call_command("submissions", "pull", "--kobo", server.base, "--asset", "a")


def test_pull_from_odk_central_signs_in_and_reads_the_odata_pages(network, server, monkeypatch, capsys):
    monkeypatch.setenv("ODK_CENTRAL_EMAIL", "me@example.org")
    monkeypatch.setenv("ODK_CENTRAL_PASSWORD", "a password")
    monkeypatch.delenv("ODK_CENTRAL_TOKEN", raising=False)
    token = json.loads((DATA / "odk-session.json").read_text())["token"]
    bearer = f"Bearer {token}"
    form = "/v1/projects/3/forms/cascade_step_down"
    server("POST", "/v1/sessions", "odk-session.json")
    server("GET", f"{form}.svc/Submissions?%24expand=*", "odk-submissions-page1.json", auth=bearer)
    server("GET", f"{form}.svc/Submissions?%24expand=*&%24skiptoken=eyJyZXBlYXRJZCI6IjIifQ%3D%3D",
           "odk-submissions-page2.json", auth=bearer)
    server("GET", f"{form}/submissions/uuid%3A0b1e0021-5c3a-4d2e-9f10-a1b2c3d4e521/attachments/1764561234567.jpg",
           _photo_with_location(), auth=bearer, kind="image/jpeg")
    with pytest.raises(SystemExit):  # one of them names nobody who attended
        call_command("submissions", "pull", "--odk", server.base, "--project", "3", "--form", "cascade_step_down")
    out = capsys.readouterr().out
    assert sorted(_step_downs().values_list("city", flat=True)) == ["At-Bashy", "Kara-Suu"]  # the rejected one left out
    assert "participants:" in out
    at_bashy = _step_downs().get(city="At-Bashy")
    submission = Submission.objects.get(training=at_bashy)
    assert (submission.root_uuid, submission.instance_id) == (
        "uuid:0b1e0021-5c3a-4d2e-9f10-a1b2c3d4e521", "uuid:0b1e0022-5c3a-4d2e-9f10-a1b2c3d4e522")
    assert at_bashy.photos.count() == 1
    assert at_bashy.participations.filter(person__full_name="Nurlan Abdyldaev").exists()
