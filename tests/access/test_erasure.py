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


def every_text_value():
    """Every text, JSON and file field of every row, read through the models (JSON unescaped)."""
    import json

    from django.apps import apps

    from cascade.access.erasure import text_fields

    values = []
    for label in text_fields():
        app_model, name = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        values.extend(json.dumps(value, ensure_ascii=False, default=str)
                      for value in model._base_manager.values_list(name, flat=True))
    return "\n".join(values)


def a_picture():
    picture = io.BytesIO()
    Image.new("RGB", (8, 8)).save(picture, "JPEG")
    return SimpleUploadedFile("a.jpg", picture.getvalue())


def test_her_roles_change_history_no_longer_names_her(aigul, django_user_model):
    from cascade.accounts.models import Role

    role = Role.objects.create(user=django_user_model.objects.create_user("dana"), kind="trainer", person=aigul)
    assert LogEntry.objects.get_for_object(role).filter(object_repr__contains="Karimova").exists()
    erase_person(aigul, operator())
    history = " ".join(f"{entry.object_repr} {entry.changes}" for entry in LogEntry.objects.get_for_object(role))
    assert history and "Aigul" not in history and "Karimova" not in history


def test_the_history_of_her_deleted_photo_keeps_no_caption(aigul):
    photo = Photo.objects.get()
    photo.caption = {"en": "Aigul Karimova at the roleplay", "ru": "Айгуль Каримова на ролевой игре"}
    photo.save()
    erase_person(aigul, operator())
    everything = every_text_value()
    assert "roleplay" not in everything and "ролевой" not in everything


def test_a_photo_of_her_training_that_does_not_tag_her_loses_her_name_in_every_language(aigul):
    training = aigul.participations.get().training
    photo = upload_photo(training=training, upload=a_picture(), shows_people=False, actor=operator(), caption={
        "en": "Aigul leads the roleplay", "ru": "Ролевую игру ведёт Айгуль", "kk": "Каримовой сөзі"})
    erase_person(aigul, operator())
    photo.refresh_from_db()
    assert photo.caption == {"en": "[…] leads the roleplay", "ru": "Ролевую игру ведёт […]", "kk": "[…] сөзі"}
    history = " ".join(str(entry.changes) for entry in LogEntry.objects.get_for_object(photo))
    assert "roleplay" in history and "Aigul" not in history


def test_a_story_draft_and_its_exports_lose_her_name(aigul):
    from cascade.stories import services as stories
    from cascade.stories.models import StoryDraft

    training = aigul.participations.get().training
    draft = StoryDraft.objects.create(training=training, language="en", text=(
        "Shymkent institute\n\nAigul K. Karimova facilitated the session on coalitions; "
        "Karimova's group wrote a plan."), facts={"facilitators": ["Aigul K. Karimova"]})
    erase_person(aigul, operator())
    draft.refresh_from_db()
    assert "Karimova" not in draft.text and "Aigul" not in str(draft.facts)
    assert "facilitated the session on coalitions" in draft.text
    for fmt in ("text", "html"):
        assert b"Karimova" not in stories.export(training, draft.text, "en", fmt)


def test_audit_details_lose_her_name_and_the_erasure_entry_names_her_by_key(aigul, django_user_model):
    from cascade.audit import services as audit

    alice = django_user_model.objects.create_user("alice", is_superuser=True)  # a network admin
    audit.log("cascade.export.named", alice, None, file="aigul-karimova.xlsx", search="Aigul Karimova")
    summary = erase_person(aigul, alice, reason="Aigul Karimova asked on 3 May")
    export = AuditEntry.objects.get(action="cascade.export.named")
    assert export.details == {"file": f"{summary['key']}.xlsx", "search": "[…]"}
    erased = AuditEntry.objects.get(action="cascade.person.erased")
    assert erased.object_label == f"person:{summary['key']}"
    assert erased.details["reason"] == "[…] asked on 3 May"


def test_the_admins_history_of_her_record_goes(aigul, django_user_model):
    from django.contrib.admin.models import CHANGE
    from django.contrib.admin.models import LogEntry as AdminEntry

    alice = django_user_model.objects.create_user("alice")
    AdminEntry.objects.log_actions(alice.pk, [aigul], CHANGE, change_message="Changed city.")
    erase_person(aigul, operator())
    assert not AdminEntry.objects.filter(object_repr__icontains="karimova").exists()


def test_her_sign_in_account_forgets_her_and_signs_in_no_more(aigul, django_user_model, client):
    from cascade.accounts.models import Role

    account = django_user_model.objects.create_user(
        "aigul.k", email="aigul.k@example.org", password="a long password", first_name="Aigul", last_name="Karimova")
    Role.objects.create(user=account, kind="trainer", person=aigul)
    client.force_login(account)
    erase_person(aigul, operator())
    account.refresh_from_db()
    assert account.username.startswith("erased-") and not account.is_active
    assert (account.first_name, account.last_name, account.email) == ("", "", "")
    assert not account.has_usable_password()
    from django.contrib.sessions.models import Session

    assert not Session.objects.exists()
    assert "aigul" not in everything_in_the_database()


def test_other_peoples_names_and_texts_stay(aigul, create_person, create_training):
    other = create_person(key="p-0007", full_name="Aigul Nurlanova")
    training = create_training(participants=[other], title={"en": "Arys step-down by Aigul Nurlanova"})
    photo = upload_photo(training=training, upload=a_picture(), caption={"en": "Aigul Nurlanova and Gulnara Karimova"}, actor=operator())
    erase_person(aigul, operator())
    training.refresh_from_db()
    photo.refresh_from_db()
    assert training.title == {"en": "Arys step-down by Aigul Nurlanova"}
    assert photo.caption == {"en": "Aigul Nurlanova and Gulnara Karimova"}
    other.refresh_from_db()
    assert other.full_name == "Aigul Nurlanova"


def test_the_register_of_erasures_holds_no_name_nor_key_and_only_its_owner_reads_it(aigul, settings):
    import stat

    summary = erase_person(aigul, operator())
    register = settings.ERASURES_FILE
    content = register.read_text()
    assert "aigul" not in content.lower() and summary["key"] in content
    assert stat.S_IMODE(register.stat().st_mode) == 0o600
    from cascade.access.erasure import was_erased

    assert was_erased("aigul-karimova") and not was_erased("p-0001")


def test_an_erasure_that_cannot_be_registered_erases_nothing(aigul, settings, tmp_path):
    (tmp_path / "not-a-folder").write_text("")
    settings.ERASURES_FILE = tmp_path / "not-a-folder" / "erasures.jsonl"
    with pytest.raises(OSError):
        erase_person(aigul, operator())
    aigul.refresh_from_db()
    assert aigul.full_name == "Aigul K. Karimova" and aigul.erased_at is None
    assert Photo.objects.exists()
