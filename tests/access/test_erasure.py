import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from cascade.access import operator
from cascade.access.services import erase_person
from cascade.audit.models import AuditEntry
from cascade.network.models import Membership, Person
from cascade.photos.models import Photo
from cascade.photos.services import upload_photo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def aigul(create_person, create_training, create_organization):
    person = create_person(key="aigul-karimova", full_name="Aigul Karimova", email="aigul@example.org",
                           phone="+7 701 555", city="Shymkent", photo_consent=True)
    training = create_training(participants=[person], women_count=10)
    Membership.objects.create(person=person, organization=create_organization(), title={"en": "Member"})
    picture = io.BytesIO()
    Image.new("RGB", (8, 8)).save(picture, "JPEG")
    upload_photo(training=training, upload=SimpleUploadedFile("a.jpg", picture.getvalue()), people=[person], actor=operator())
    person.full_name = "Aigul K. Karimova"
    person.save()  # leaves a change-history entry holding both names
    return person


def everything_in_the_database():
    text = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            text.extend(str(row) for row in cursor.fetchall())
    return "\n".join(text)


def test_erasure_leaves_no_trace_of_her_name_contacts_or_photos(aigul):
    photo_path = Photo.objects.get().image.path
    erase_person(aigul, operator())
    dump = everything_in_the_database()
    for trace in ("Aigul", "Karimova", "aigul", "Shymkent", "701 555"):
        assert trace not in dump
    assert not Photo.objects.exists() and not Membership.objects.exists()
    import os

    assert not os.path.exists(photo_path)


def test_erasure_keeps_the_trainings_counts(aigul):
    training = aigul.participations.get().training
    erase_person(aigul, operator())
    assert training.participations.count() == 1
    training.refresh_from_db()
    assert training.women_count == 10
    assert Person.objects.get(pk=aigul.pk).gender == aigul.gender


def test_erasure_leaves_an_audit_entry(aigul, django_user_model):
    alice = django_user_model.objects.create_user("alice", is_superuser=True)  # a network admin
    erase_person(aigul, alice, reason="her request")
    entry = AuditEntry.objects.get(action="cascade.person.erased")
    assert entry.username == "alice" and entry.details["reason"] == "her request"
    assert not LogEntry.objects.filter(object_repr__contains="Aigul").exists()


def test_the_erase_command_erases_by_key(aigul):
    out = io.StringIO()
    call_command("erase", "aigul-karimova", "--yes", stdout=out)
    assert "Erased" in out.getvalue()
    assert Person.objects.get(pk=aigul.pk).erased_at is not None


def test_the_erase_command_names_an_unknown_key(db):
    with pytest.raises(CommandError, match="nobody-here"):
        call_command("erase", "nobody-here", "--yes")


def test_the_erase_command_asks_for_yes_when_no_one_is_at_the_keyboard(create_person, monkeypatch):
    import io
    import sys

    from django.core.management import CommandError, call_command

    person = create_person(key="p-nino", full_name="Nino Example")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="confirm with --yes"):
        call_command("erase", "p-nino")
    person.refresh_from_db()
    assert person.full_name == "Nino Example" and person.erased_at is None
