"""Backup and restore round-trip: every table, on whichever database the suite runs on."""

import io
import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from cascade.access import operator
from cascade.accounts.models import Role
from cascade.audit import services as audit
from cascade.network.models import Person
from cascade.ops import services
from cascade.photos.models import Photo
from cascade.photos.services import upload_photo



@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def every_table():
    """Each backed-up model's rows as Django serialises them, plus the raw rows' count per table."""
    state = {}
    for model in services.backed_up_models():
        rows = json.loads(serializers.serialize("json", model._base_manager.order_by("pk"),
                                                use_natural_foreign_keys=True))
        state[model._meta.db_table] = rows
    return state


def raw_counts():
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in ("django_session", "django_migrations", "django_content_type", "auth_permission"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def empty_the_database():
    """As after `cascade migrate` on a new database: only the regions and countries it loads."""
    from auditlog.context import disable_auditlog

    with disable_auditlog():
        for model in reversed(services.backed_up_models()):
            if model._meta.label_lower not in ("network.region", "network.country"):
                model._base_manager.all().delete()


@pytest.fixture
def network(create_training, create_person, create_organization, django_user_model):
    swrc = create_organization(key="swrc")
    aigul = create_person(key="aigul", email="aigul@example.org", phone="+7 701 555 48 21")
    institute = create_training(key="inst", host=swrc, participants=[aigul])
    create_training(key="sd", kind="step-down", source_training=institute, facilitators=[aigul])
    user = django_user_model.objects.create_user("bob", password="x" * 12)
    Role.objects.create(user=user, kind="partner-staff", organization=swrc)
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(picture, "PNG")
    upload_photo(training=institute, upload=SimpleUploadedFile("p.png", picture.getvalue()), actor=user)
    audit.log("cascade.person.viewed", user, aigul)
    return aigul


def test_a_restored_backup_holds_every_table_as_it_was(network, tmp_path):
    before, counts = every_table(), raw_counts()
    photo_bytes = Photo.objects.get().image.read()
    call_command("backup", str(tmp_path / "cascade.backup"), stdout=io.StringIO())
    empty_the_database()
    assert not Person.objects.exists()
    import shutil
    from django.conf import settings

    shutil.rmtree(settings.MEDIA_ROOT)
    call_command("restore", str(tmp_path / "cascade.backup"), stdout=io.StringIO())
    after = every_table()
    audit_rows = lambda state: [r for r in state["audit_auditentry"] if not r["fields"]["action"].startswith("cascade.backup")]  # noqa: E731
    assert audit_rows(after) == audit_rows(before)
    for table in before:
        if table != "audit_auditentry":
            assert after[table] == before[table], table
    assert {t: n for t, n in raw_counts().items() if t != "audit_auditentry"} == {
        t: n for t, n in counts.items() if t != "audit_auditentry"}
    assert Person.objects.get(key="aigul").email == "aigul@example.org"
    assert Photo.objects.get().image.read() == photo_bytes


def test_times_come_back_to_the_microsecond(network, tmp_path):
    from cascade.audit.models import AuditEntry

    stamps = sorted(AuditEntry.objects.values_list("pk", "at"))
    assert any(at.microsecond % 1000 for _pk, at in stamps), "the test needs sub-millisecond times"
    services.backup(tmp_path / "b")
    empty_the_database()
    services.restore(tmp_path / "b")
    assert sorted(AuditEntry.objects.filter(pk__in=[pk for pk, _at in stamps]).values_list("pk", "at")) == stamps


def test_restore_asks_for_migrate_on_a_database_that_is_not_ready(db, tmp_path, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)])
    (tmp_path / "b").write_bytes(b"anything")
    with pytest.raises(CommandError, match="run `cascade migrate` first"):
        call_command("restore", str(tmp_path / "b"))


def test_the_backup_file_holds_no_readable_name_or_contact(network, tmp_path):
    services.backup(tmp_path / "b")
    content = (tmp_path / "b").read_bytes()
    # The file is one encrypted token (base64), where a short string such as "701" turns up by chance in a
    # big enough file: look for the whole phone number, in any of its spellings, and the name.
    assert content.startswith(b"gAAAAA")
    for readable in (b"aigul", b"+7 701 555 48 21", b"7015554821", b"555 48 21"):
        assert readable not in content


def test_restore_refuses_a_database_that_is_not_empty(network, tmp_path):
    services.backup(tmp_path / "b")
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(tmp_path / "b"))


def test_restore_refuses_a_file_it_cannot_decrypt(db, tmp_path):
    (tmp_path / "b").write_bytes(b"not a backup")
    with pytest.raises(CommandError, match="CASCADE_FERNET_KEYS"):
        call_command("restore", str(tmp_path / "b"))


def test_every_model_is_backed_up_except_what_migrate_recreates():
    labels = {m._meta.label_lower for m in services.backed_up_models()}
    for model in apps.get_models():
        assert model._meta.label_lower in labels | services.SKIPPED


def test_a_restore_erases_again_whoever_was_erased_after_the_backup(network, tmp_path):
    from cascade.access.services import erase_person

    training = network.participations.get(role="participant").training
    upload_photo(training=training, upload=SimpleUploadedFile("a.png", _png()), people=[network], actor=operator())
    her_photo = Photo.objects.get(people=network).image.name
    call_command("backup", str(tmp_path / "b"), stdout=io.StringIO())
    erase_person(network, operator(), reason="her request")
    empty_the_database()
    import shutil

    from django.conf import settings

    shutil.rmtree(settings.MEDIA_ROOT)
    out = io.StringIO()
    call_command("restore", str(tmp_path / "b"), stdout=out)
    assert "Re-applied 1 erasure made after this backup." in out.getvalue()
    person = Person.objects.get(pk=network.pk)
    assert person.erased_at is not None and person.full_name == "" and person.email == ""
    assert not Person.objects.filter(key="aigul").exists()
    assert person.participations.count() == 2  # her trainings keep their counts
    from django.core.files.storage import default_storage

    assert not default_storage.exists(her_photo) and Photo.objects.count() == 1


def test_a_restore_without_the_register_of_erasures_says_who_may_be_back(network, tmp_path, settings):
    settings.ERASURES_FILE = tmp_path / "nowhere" / "erasures.jsonl"
    services.backup(tmp_path / "b")
    empty_the_database()
    out = io.StringIO()
    call_command("restore", str(tmp_path / "b"), stdout=out)
    assert "No register of erasures was found" in out.getvalue()
    assert Person.objects.get(key="aigul").erased_at is None


def test_a_restore_of_a_backup_made_after_the_erasure_re_applies_none(network, tmp_path):
    from cascade.access.services import erase_person

    erase_person(network, operator())
    services.backup(tmp_path / "b")
    empty_the_database()
    out = io.StringIO()
    call_command("restore", str(tmp_path / "b"), stdout=out)
    assert "Re-applied 0 erasures made after this backup." in out.getvalue()


def _png():
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(picture, "PNG")
    return picture.getvalue()
