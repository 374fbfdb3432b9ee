"""Inviting colleagues and changing roles: who may give which role (never more than hers), the
link (hashed, single use, 14 days, a new one kills the old), the invitee's account, the audit log."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cascade import access
from cascade.accounts import services
from cascade.accounts.models import Invitation, Role
from cascade.audit.models import AuditEntry

NEW_PASSWORD = "a long and unusual passphrase 7"


def link_of(message) -> str:
    return re.search(r"https?://\S+/accounts/invitation/(\S+)/", message.body).group(1)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Invite, and run the e-mail that waits for the commit."""
    def invite(actor, **kwargs):
        kwargs.setdefault("email", "newcomer@example.net")
        kwargs.setdefault("site", "https://cascade.example.org")
        with django_capture_on_commit_callbacks(execute=True):
            return services.invite(actor, **kwargs)
    return invite


# --- Who may give which role -----------------------------------------------------------------


def test_the_network_admin_invites_to_any_role(personas, partners, trainer_person, sent):
    alice = personas["alice"]
    for number, (kind, extra) in enumerate([
            ("network-admin", {}), ("donor", {}), ("partner-staff", {"organization": partners["birduino"]}),
            ("trainer", {"person": trainer_person})]):
        invitation, _token = sent(alice, email=f"n{number}@example.net", kind=kind, **extra)
        assert invitation.kind == kind and invitation.invited_by == alice
    assert Invitation.objects.filter(kind="trainer").get().organization == partners["swrc"]  # the person's


@pytest.mark.parametrize("kind, extra", [
    ("network-admin", {}), ("donor", {}),
    ("partner-staff", {"organization": "birduino"}),  # another partner's staff
])
def test_a_partner_admin_cannot_give_more_than_her_partners_roles(personas, partners, kind, extra, sent):
    extra = {name: partners[value] for name, value in extra.items()}
    with pytest.raises(PermissionDenied):
        sent(personas["bob"], kind=kind, **extra)
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_partner_admin_invites_her_partners_staff_and_trainers_only(personas, partners, trainer_person,
                                                                       create_person, sent):
    bob = personas["bob"]
    staff, _token = sent(bob, kind="partner-staff", organization=partners["swrc"], manages_users=True)
    trainer, _token = sent(bob, email="trainer@example.net", kind="trainer", person=trainer_person)
    assert staff.organization == partners["swrc"] and staff.can_manage_users
    assert trainer.organization == partners["swrc"]
    elsewhere = create_person(key="far-away", full_name="Far Away", organization=partners["birduino"])
    with pytest.raises(PermissionDenied):
        sent(bob, email="far@example.net", kind="trainer", person=elsewhere)
    assert set(access.visible_invitations(bob)) == {staff, trainer}
    assert not access.visible_invitations(personas["carol"]).exists()


@pytest.mark.parametrize("name", ["carol", "dave", "erin", "nora"])
def test_staff_who_are_not_partner_admins_and_other_roles_invite_nobody(personas, partners, name, sent):
    with pytest.raises(PermissionDenied):
        sent(personas[name], kind="partner-staff", organization=partners["birduino"])
    assert not access.can_manage_users(personas[name])


def test_only_partner_staff_manage_users_as_partner_admins(personas, trainer_person, sent):
    invitation, _token = sent(personas["bob"], kind="trainer", person=trainer_person, manages_users=True)
    assert not invitation.can_manage_users
    assert not access.can_give_role(personas["bob"], "trainer", None, trainer_person, manages_users=True)


# --- The link -----------------------------------------------------------------------------------


def test_the_email_carries_the_link_in_her_language_and_only_a_hash_is_stored(personas, partners, sent):
    invitation, token = sent(personas["bob"], kind="partner-staff", organization=partners["swrc"], language="ru")
    message = mail.outbox[-1]
    assert message.to == ["newcomer@example.net"]
    assert link_of(message) == token and token not in str(Invitation.objects.values().get())
    assert "Cascade" in message.subject
    assert re.search("[а-яА-Я]", message.body) or re.search("[а-яА-Я]", message.subject) or \
        "invited" in message.body  # Russian once the lead translates; the link either way
    assert invitation.expires_at - timezone.now() > datetime.timedelta(days=13)


def test_a_link_works_once(personas, partners, sent):
    invitation, token = sent(personas["bob"], kind="partner-staff", organization=partners["swrc"])
    user = services.accept_invitation(token, username="newcomer", password=NEW_PASSWORD)
    assert user.check_password(NEW_PASSWORD) and user.email == "newcomer@example.net"
    assert access.role(user) == "partner-staff" and user.cascade_role.organization == partners["swrc"]
    assert user.is_staff
    with pytest.raises(ValidationError):
        services.accept_invitation(token, username="again", password=NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.user == user
    assert get_user_model().objects.filter(username="again").count() == 0


def test_an_expired_link_opens_nothing(personas, partners, sent):
    invitation, token = sent(personas["bob"], kind="partner-staff", organization=partners["swrc"])
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.accept_invitation(token, username="late", password=NEW_PASSWORD)
    assert not get_user_model().objects.filter(username="late").exists()


def test_a_new_link_kills_the_old_one(personas, partners, sent, django_capture_on_commit_callbacks):
    invitation, old = sent(personas["bob"], kind="partner-staff", organization=partners["swrc"])
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    invitation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        new = services.resend_invitation(personas["bob"], invitation, site="https://cascade.example.org")
    assert new != old and link_of(mail.outbox[-1]) == new
    with pytest.raises(ValidationError):
        services.accept_invitation(old, username="old", password=NEW_PASSWORD)
    assert services.accept_invitation(new, username="fresh", password=NEW_PASSWORD).username == "fresh"


def test_a_revoked_link_opens_nothing_and_another_partner_cannot_revoke(personas, partners, sent):
    invitation, token = sent(personas["bob"], kind="partner-staff", organization=partners["swrc"])
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(personas["carol"], invitation)
    services.revoke_invitation(personas["bob"], invitation)
    with pytest.raises(ValidationError):
        services.accept_invitation(token, username="late", password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        services.resend_invitation(personas["bob"], invitation)


def test_the_role_of_an_invitation_changes_before_acceptance_within_her_rights(personas, partners,
                                                                               trainer_person, sent):
    invitation, token = sent(personas["bob"], kind="partner-staff", organization=partners["swrc"])
    services.change_invitation(personas["bob"], invitation, kind="trainer", person=trainer_person)
    with pytest.raises(PermissionDenied):
        services.change_invitation(personas["bob"], invitation, kind="network-admin")
    invitation.refresh_from_db()
    assert invitation.kind == "trainer"
    user = services.accept_invitation(token, username="dana2", password=NEW_PASSWORD)
    assert user.cascade_role.person == trainer_person and not user.is_staff


def test_weak_passwords_and_taken_usernames_are_refused(personas, partners, sent):
    _invitation, token = sent(personas["bob"], kind="partner-staff", organization=partners["swrc"])
    with pytest.raises(ValidationError):
        services.accept_invitation(token, username="newcomer", password="12345678")
    with pytest.raises(ValidationError):
        services.accept_invitation(token, username="alice", password=NEW_PASSWORD)
    assert services.accept_invitation(token, username="newcomer", password=NEW_PASSWORD)


def test_no_second_invitation_or_account_for_the_same_email(personas, partners, sent):
    sent(personas["bob"], kind="partner-staff", organization=partners["swrc"])
    with pytest.raises(ValidationError):
        sent(personas["bob"], kind="partner-staff", organization=partners["swrc"], email="NEWCOMER@example.net")
    with pytest.raises(ValidationError):
        sent(personas["alice"], kind="donor", email="carol@example.org")


def test_the_audit_log_names_ids_and_keys_never_the_email(personas, partners, trainer_person, sent):
    invitation, token = sent(personas["bob"], kind="trainer", person=trainer_person)
    services.revoke_invitation(personas["bob"], invitation)
    entries = AuditEntry.objects.filter(action__startswith="cascade.accounts.invitation.")
    assert set(entries.values_list("action", flat=True)) == {"cascade.accounts.invitation.created",
                                                             "cascade.accounts.invitation.revoked"}
    for entry in entries:
        text = f"{entry.object_label} {entry.details}"
        assert "newcomer" not in text and trainer_person.full_name not in text
        assert entry.object_label == f"invitation:{invitation.pk}"


# --- Existing accounts ------------------------------------------------------------------------------


def test_a_partner_admin_changes_her_partners_users_only(personas, partners, trainer_person):
    bob, carol, dave = personas["bob"], personas["carol"], personas["dave"]
    assert set(access.visible_users(bob)) == {bob, dave}  # dave trains as a person of partner A
    services.change_role(bob, dave, kind="partner-staff", organization=partners["swrc"])
    assert access.role(dave) == "partner-staff"
    for victim in (carol, personas["alice"]):
        with pytest.raises(PermissionDenied):
            services.change_role(bob, victim, kind="partner-staff", organization=partners["swrc"])
    with pytest.raises(PermissionDenied):
        services.change_role(bob, dave, kind="network-admin")
    assert AuditEntry.objects.filter(action="cascade.accounts.user.role_changed", object_id=str(dave.pk)).exists()


def test_nobody_changes_her_own_role_or_deactivates_herself(personas):
    for name in ("alice", "bob"):
        with pytest.raises(PermissionDenied):
            services.set_active(personas[name], personas[name], False)
    with pytest.raises(PermissionDenied):
        services.change_role(personas["bob"], personas["bob"], kind="trainer")


def test_the_network_keeps_an_admin(personas, create_user):
    alice = personas["alice"]
    other = create_user("olga", Role.Kind.NETWORK_ADMIN)
    services.set_active(alice, other, False)  # alice stays
    services.set_active(alice, other, True)
    services.change_role(other, alice, kind="donor")  # olga stays
    alice.refresh_from_db()
    with pytest.raises(ValidationError, match="last admin"):
        services.set_active(access.operator(), other, False)
    with pytest.raises(ValidationError, match="last admin"):
        services.change_role(access.operator(), other, kind="donor")


def test_a_deactivated_account_cannot_sign_in(personas, client):
    services.set_active(personas["alice"], personas["carol"], False)
    personas["carol"].refresh_from_db()
    assert not personas["carol"].is_active and access.role(personas["carol"]) is None
    assert AuditEntry.objects.filter(action="cascade.accounts.user.deactivated").exists()


def test_the_erasure_forgets_invitations_to_her(personas, partners, trainer_person, sent, settings):
    from cascade.access.services import erase_person

    trainer_person.email = "dana@example.net"
    trainer_person.save()
    sent(personas["alice"], kind="trainer", person=trainer_person, email="other@example.net")
    sent(personas["alice"], kind="donor", email="dana@example.net")
    erase_person(trainer_person, personas["alice"])
    assert not Invitation.objects.exists()
