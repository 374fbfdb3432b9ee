"""Private files, capped request bodies, clear backup paths and the deployment check on mail."""

import io
import stat

import pytest
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from cascade.ops import files, services


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def deploy_warnings() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_check_deploy_warns_when_mail_would_be_printed_into_the_log(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert "cascade.W001" in deploy_warnings()


def test_check_deploy_is_quiet_about_mail_sent_through_smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "cascade.W001" not in deploy_warnings()


def test_a_body_larger_than_the_site_accepts_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY = 1024 * 1024
    # The body announces 300 MB but holds a few bytes: reading it would wait for the rest.
    response = client.generic("POST", "/accounts/login/", b"username=a", CONTENT_LENGTH=str(300 * 1024 * 1024),
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413 and "at most 1.0" in response.content.decode()


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_page(client, settings):
    settings.MAX_REQUEST_BODY = 1024 * 1024
    assert client.post("/accounts/login/", {"username": "a", "password": "b"}).status_code == 200


@pytest.mark.django_db
def test_uploaded_photos_and_their_folders_are_for_this_user_only(create_training, django_user_model, settings):
    from cascade.photos.services import upload_photo

    user = django_user_model.objects.create_user("alice", is_superuser=True)
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(picture, "PNG")
    photo = upload_photo(training=create_training(), upload=SimpleUploadedFile("p.png", picture.getvalue()),
                         actor=user)
    path = settings.MEDIA_ROOT / photo.image.name
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


@pytest.mark.django_db
def test_a_backup_file_is_for_this_user_only(tmp_path):
    target = tmp_path / "cascade.backup"
    target.write_bytes(b"an older file, readable by all")
    target.chmod(0o644)
    services.backup(target)
    assert mode(target) == 0o600


def test_an_old_world_readable_database_is_made_private(tmp_path, settings):
    database = tmp_path / "cascade.sqlite3"
    for path in (database, tmp_path / "cascade.sqlite3-wal"):
        path.write_bytes(b"")
        path.chmod(0o644)
    settings.SQLITE_FILE = database
    files.tighten_database_files()
    assert mode(database) == 0o600 and mode(tmp_path / "cascade.sqlite3-wal") == 0o600


@pytest.mark.django_db
def test_restore_from_a_folder_names_the_folder(tmp_path):
    with pytest.raises(CommandError, match=f"{tmp_path} is a folder; restore reads one backup file"):
        call_command("restore", str(tmp_path))


@pytest.mark.django_db
def test_restore_from_a_missing_file_says_there_is_none(tmp_path):
    with pytest.raises(CommandError, match="There is no backup file at .*nowhere.backup"):
        call_command("restore", str(tmp_path / "nowhere.backup"))


@pytest.mark.django_db
def test_a_backup_into_a_folder_or_a_missing_folder_is_refused_with_the_reason(tmp_path):
    with pytest.raises(CommandError, match="is a folder: give the name of the backup file"):
        call_command("backup", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not exist: create it first"):
        call_command("backup", str(tmp_path / "missing" / "cascade.backup"), stdout=io.StringIO())
