"""Writers keep working while a backup runs: step-down reports (with a photo each) and sign-ins, none fails.

Threads against a real file database (SQLite in WAL mode in a temporary folder, or the
PostgreSQL test database when the suite runs there), each thread on its own connection.
"""

import datetime
import io
import sqlite3
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image

from cascade.accounts.models import Role
from cascade.audit.models import AuditEntry
from cascade.network.models import Country
from cascade.ops import services
from cascade.photos.models import Photo
from cascade.photos.services import clean_image
from cascade.trainings.models import Training
from cascade.web.services import report_step_down

WORKERS = 20
PASSWORD = "a long and unusual passphrase 7"
BOUND = 60  # seconds: the whole scenario, so a writer that waits for the backup fails instead of hanging


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """Move the test database to a file, so that every thread's connection shares it.

    On SQLite the suite's database lives in memory; a copy in a file (made with the same
    online backup API as `cascade backup`) behaves as a server's database does, in WAL mode.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    memory = connection.connection  # keeps the in-memory database alive meanwhile
    path = tmp_path / "cascade.sqlite3"
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(path)
    connection.connection = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


@pytest.fixture
def busy_network(file_database, settings, django_user_model, create_person, create_organization,
                 create_training):
    """A trainer who reports step-downs, donors who sign in, and enough rows to make a backup take a while."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    swrc = create_organization(key="swrc")
    trainer = create_person(key="aigul", organization=swrc)
    institute = create_training(key="institute", host=swrc, participants=[trainer])
    user = django_user_model.objects.create_user("aigul", password=PASSWORD)
    Role.objects.create(user=user, kind=Role.Kind.TRAINER, person=trainer)
    for number in range(WORKERS):
        donor = django_user_model.objects.create_user(f"donor{number}", password=PASSWORD)
        Role.objects.create(user=donor, kind=Role.Kind.DONOR)
    AuditEntry.objects.bulk_create(
        AuditEntry(action="cascade.person.viewed", username="alice", object_type="network.person",
                   object_id=str(number), details={"n": number}) for number in range(4000))
    return user, trainer, institute


def run_in_thread(work, results, errors, finished_at):
    def target():
        try:
            results.append(work())
            finished_at.append(time.monotonic())
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(repr(error))
        finally:
            connection.close()

    return threading.Thread(target=target)


def test_during_a_backup_twenty_step_down_reports_and_twenty_sign_ins_all_succeed(busy_network, tmp_path,
                                                                                  monkeypatch):
    user, trainer, institute = busy_network
    country = Country.objects.get(pk="KZ")
    trainings_before = Training.objects.count()
    picture = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 80, 10)).save(picture, "PNG")
    photo = clean_image(SimpleUploadedFile("village.png", picture.getvalue()))
    # The backup stops half-way (its rows read, the photos not yet) until the writers are done.
    inside, release, outcome = threading.Event(), threading.Event(), {}
    read_media = services._media_files

    def media_files_after_the_writers(models, using, progress):
        inside.set()
        release.wait(BOUND)
        return read_media(models, using, progress)

    monkeypatch.setattr(services, "_media_files", media_files_after_the_writers)

    def back_up():
        try:
            outcome["rows"] = services.backup(tmp_path / "cascade.backup")
        except BaseException as error:  # noqa: BLE001 - reported by the test
            outcome["error"] = repr(error)
        finally:
            inside.set()
            connection.close()

    def report(number):
        def work():
            return report_step_down(user, trainer=trainer, start_date=datetime.date(2026, 3, 1 + number % 28),
                                    country=country, city=f"Village {number}", source_training=institute,
                                    women=6, men=2, photos=[photo], shows_people=False).pk
        return work

    def sign_in(number):
        def work():
            client = Client()
            response = client.post("/accounts/login/", {"username": f"donor{number}", "password": PASSWORD})
            assert response.status_code == 302, response.status_code
            assert client.get("/").wsgi_request.user.get_username() == f"donor{number}"
            return response.status_code
        return work

    results, errors, finished_at = [], [], []
    workers = [run_in_thread(report(n), results, errors, finished_at) for n in range(WORKERS)]
    workers += [run_in_thread(sign_in(n), results, errors, finished_at) for n in range(WORKERS)]
    backup = threading.Thread(target=back_up)
    deadline = time.monotonic() + BOUND / 2
    backup.start()
    try:
        assert inside.wait(BOUND / 2) and "error" not in outcome, outcome
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(max(deadline - time.monotonic(), 0))
        stuck = sum(worker.is_alive() for worker in workers)
        assert backup.is_alive(), "the backup was still running all along"
    finally:
        release.set()
        backup.join(BOUND / 2)
        for worker in workers:
            worker.join(BOUND / 2)

    assert stuck == 0, f"{stuck} of {2 * WORKERS} writers waited for the backup to end"
    assert errors == [] and "error" not in outcome, (errors, outcome)
    assert len(results) == 2 * WORKERS
    assert Training.objects.filter(kind="step-down", city__startswith="Village ").count() == WORKERS
    assert Photo.objects.filter(training__city__startswith="Village ").count() == WORKERS
    assert outcome["rows"]["trainings.training"] == trainings_before, "the backup is one moment: before the reports"
    assert outcome["rows"]["audit.auditentry"] >= 4000
