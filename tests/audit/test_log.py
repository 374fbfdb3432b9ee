import pytest
from auditlog.models import LogEntry
from django.test import Client

from cascade.accounts.models import Role
from cascade.audit import services as audit
from cascade.audit.models import AuditEntry


def test_actions_must_be_namespaced(db):
    with pytest.raises(ValueError, match="cascade"):
        audit.log("viewed")


def test_an_entry_names_the_object_by_key_not_by_the_persons_name(create_person, django_user_model):
    person = create_person(key="p-17", full_name="Aigul Karimova")
    entry = audit.log("cascade.person.viewed", django_user_model.objects.create_user("alice"), person)
    assert entry.object_label == "person:p-17" and "Aigul" not in str(entry.__dict__)


def test_the_change_history_of_a_person_keeps_no_contacts(create_person):
    person = create_person(email="aigul@example.org")
    person.phone = "+7 701 555"
    person.save()
    history = " ".join(str(e.changes) for e in LogEntry.objects.get_for_object(person))
    assert "aigul@example.org" not in history and "555" not in history


def test_only_network_admins_read_the_audit_log(django_user_model, create_organization):
    audit.log("cascade.export.pseudonymised")
    alice = django_user_model.objects.create_user("alice", is_superuser=True, is_staff=True)
    bob = django_user_model.objects.create_user("bob")
    Role.objects.create(user=bob, kind=Role.Kind.PARTNER_STAFF, organization=create_organization())
    pages = {}
    for user in (alice, bob):
        client = Client()
        client.force_login(user)
        session = client.session
        from django_otp.plugins.otp_totp.models import TOTPDevice

        session["otp_device_id"] = TOTPDevice.objects.create(user=user, name="p").persistent_id
        session.save()
        pages[user.username] = client.get("/admin/audit/auditentry/")
    assert pages["alice"].status_code == 200 and "cascade.export.pseudonymised" in pages["alice"].content.decode()
    assert pages["bob"].status_code == 403


def test_viewing_a_person_in_the_admin_is_logged(create_person, admin_client, settings):
    settings.DEMO_MODE = True
    person = create_person()
    admin_client.get(f"/admin/network/person/{person.pk}/change/")
    assert AuditEntry.objects.filter(action="cascade.person.viewed", object_id=str(person.pk)).exists()


def test_opening_a_person_in_the_staff_app_or_her_cascade_is_logged(client, create_person, django_user_model):
    from django.urls import reverse

    from cascade.audit.models import AuditEntry

    admin = django_user_model.objects.create_superuser("alice", "alice@example.org", "a-long-pass-phrase")
    person = create_person(full_name="Aigul Nurova")
    client.force_login(admin)
    client.get(reverse("web:person", args=[person.pk]))
    client.get(reverse("metrics:person-tree", args=[person.key]))
    entries = AuditEntry.objects.filter(action="cascade.person.viewed", object_id=str(person.pk))
    assert sorted(e.details["via"] for e in entries) == ["cascade tree", "staff app"]
    assert {e.username for e in entries} == {"alice"}


def test_a_command_names_the_account_that_ran_it(tmp_path, transactional_db, monkeypatch):
    # transactional: a command run from the entry point closes the connection when it ends
    import getpass

    from cascade.audit.models import AuditEntry
    from cascade.cli import main

    monkeypatch.setattr(getpass, "getuser", lambda: "officer")
    main(["export", str(tmp_path / "network.xlsx")])
    assert AuditEntry.objects.get(action="cascade.export.written").username == "officer (command line)"
