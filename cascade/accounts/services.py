"""Inviting colleagues and changing users' roles: each change checked against its actor
(``cascade.access``: the network admin, or a partner admin within her partner) and written
to the audit log, which names invitations and accounts by id, never by name or e-mail.

The invitee herself acts through her link (``accept_invitation``): the token is her right.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cascade import access
from cascade.audit import services as audit
from cascade.lib import mail

from .models import Invitation, Role


def _spec(kind, organization, person, manages_users) -> dict:
    """The role's fields as stored: partner staff keep an organisation, trainers a person (and her
    organisation, which decides which partner admin looks after her)."""
    kind = Role.Kind(kind)
    if kind == Role.Kind.PARTNER_STAFF:
        if organization is None:
            raise ValidationError({"organization": _("Choose the organisation of this partner's staff.")})
        return {"kind": kind, "organization": organization, "person": None, "can_manage_users": bool(manages_users)}
    if kind == Role.Kind.TRAINER:
        if person is None:
            raise ValidationError({"person": _("Choose the trainer's record among the people.")})
        return {"kind": kind, "organization": person.organization, "person": person, "can_manage_users": False}
    return {"kind": kind, "organization": None, "person": None, "can_manage_users": False}


def _details(spec: dict) -> dict:
    """What the audit log keeps of a role: its kind and the keys of what it points at."""
    return {"kind": str(spec["kind"]), "organization": spec["organization"].key if spec["organization"] else None,
            "person": spec["person"].pk if spec["person"] else None, "manages_users": spec["can_manage_users"]}


def invite(actor, *, email: str, kind: str, organization=None, person=None, manages_users: bool = False,
           language: str = "en", site: str = "") -> tuple[Invitation, str]:
    """Invite a colleague by e-mail to take a role; returns the invitation and its link's token.

    ``site``: the address the link starts with (``https://cascade.example.org``)."""
    access.require("accounts.users", actor)
    spec = _spec(kind, organization, person, manages_users)
    invitation = Invitation(email=email.strip(), language=language, invited_by=actor if actor.pk else None, **spec)
    access.require("accounts.grant", actor, invitation)
    if get_user_model().objects.filter(email__iexact=invitation.email, is_active=True).exists():
        raise ValidationError({"email": _("Someone with this e-mail has an account already: change her role "
                                          "in the list of users instead.")})
    if Invitation.objects.filter(email__iexact=invitation.email, state=Invitation.State.PENDING,
                                 expires_at__gt=timezone.now()).exists():
        raise ValidationError({"email": _("This e-mail has an invitation waiting already: send its link again "
                                          "instead.")})
    token = invitation.new_token()
    invitation.save()
    audit.log("cascade.accounts.invitation.created", actor, invitation, **_details(spec),
              language=invitation.language)
    _send(invitation, token, site)
    return invitation, token


def resend_invitation(actor, invitation: Invitation, *, site: str = "") -> str:
    """A new link for 14 more days; the earlier link stops working at once."""
    access.require("accounts.invitation", actor, invitation)
    _still_waiting(invitation)
    token = invitation.new_token()
    invitation.save(update_fields=["token_digest", "sent_at", "expires_at"])
    audit.log("cascade.accounts.invitation.resent", actor, invitation)
    _send(invitation, token, site)
    return token


def change_invitation(actor, invitation: Invitation, *, kind: str, organization=None, person=None,
                      manages_users: bool = False) -> Invitation:
    """Another role for an invitation not yet accepted (the link stays the same)."""
    access.require("accounts.invitation", actor, invitation)
    _still_waiting(invitation)
    spec = _spec(kind, organization, person, manages_users)
    for name, value in spec.items():
        setattr(invitation, name, value)
    access.require("accounts.grant", actor, invitation)
    invitation.save(update_fields=list(spec))
    audit.log("cascade.accounts.invitation.changed", actor, invitation, **_details(spec))
    return invitation


def revoke_invitation(actor, invitation: Invitation) -> None:
    """The link stops working; the invitation stays in the list as revoked."""
    access.require("accounts.invitation", actor, invitation)
    _still_waiting(invitation)
    invitation.state = Invitation.State.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["state", "revoked_at"])
    audit.log("cascade.accounts.invitation.revoked", actor, invitation)


def _still_waiting(invitation: Invitation) -> None:
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("This invitation was accepted or revoked already."))


def find_invitation(token: str) -> Invitation | None:
    """The invitation of a link, whatever its state (the page says why a link no longer works)."""
    return Invitation.objects.filter(token_digest=Invitation.digest(token or "")).select_related(
        "organization").first()


@transaction.atomic
def accept_invitation(token: str, *, username: str, password: str):
    """The invitee's account, made from her link once: her username and password, the invited role."""
    invitation = Invitation.objects.select_for_update().filter(token_digest=Invitation.digest(token or "")).first()
    if invitation is None or not invitation.open:
        raise ValidationError(_("This invitation link no longer works."))
    users = get_user_model()
    username = users.normalize_username(username.strip())
    if users.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken: choose another.")})
    user = users(username=username, email=invitation.email)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    Role.objects.create(user=user, kind=invitation.kind, organization=invitation.organization,
                        person=invitation.person, can_manage_users=invitation.can_manage_users)
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["state", "accepted_at", "user"])
    audit.log("cascade.accounts.invitation.accepted", user, invitation, user_id=user.pk)
    return user


def change_role(actor, user, *, kind: str, organization=None, person=None, manages_users: bool = False) -> Role:
    """Another role for an existing account (never one's own; never the network's last admin's)."""
    access.require("accounts.user", actor, user)
    spec = _spec(kind, organization, person, manages_users)
    access.require("accounts.grant", actor, Invitation(**spec))
    if spec["kind"] != Role.Kind.NETWORK_ADMIN:
        _keep_an_admin(user)
    role = Role.objects.filter(user=user).first() or Role(user=user)
    for name, value in spec.items():
        setattr(role, name, value)
    role.save()
    user.cascade_role = role  # whoever holds this account object reads the new role
    audit.log("cascade.accounts.user.role_changed", actor, user, **_details(spec))
    return role


def set_active(actor, user, active: bool) -> None:
    """Deactivate an account (she can no longer sign in, her sessions end) or let it sign in again."""
    access.require("accounts.user", actor, user)
    if not active:
        _keep_an_admin(user)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.log("cascade.accounts.user.activated" if active else "cascade.accounts.user.deactivated",
                  actor, user)


def _keep_an_admin(user) -> None:
    """Refuse a change that would leave the network without an active network admin."""
    if access.role(user) != access.NETWORK_ADMIN:
        return
    admins = get_user_model().objects.filter(is_active=True).filter(
        Q(cascade_role__kind=Role.Kind.NETWORK_ADMIN) | Q(is_superuser=True, cascade_role__isnull=True))
    if not admins.exclude(pk=user.pk).exists():
        raise ValidationError(_("This is the network's last admin: make someone else a network admin first."))


def _send(invitation: Invitation, token: str, site: str) -> None:
    """The link, in the language chosen for her, once the invitation is saved."""
    link = site.rstrip("/") + reverse("accounts:accept", args=[token])
    with translation.override(invitation.language):
        where = invitation.organization.name_in() if invitation.organization else ""
        values = {"role": invitation.get_kind_display(), "link": link, "days": Invitation.DAYS,
                  "until": formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT"),
                  "where": where}
        subject = _("Your invitation to Cascade")
        body = "\n\n".join(part for part in [
            _("You are invited to Cascade, the platform of the leadership-training network, as %(role)s.") % values,
            (_("Organisation: %(where)s") % values) if where else "",
            _("Open this link to choose your username and password:") + f"\n{link}",
            _("The link works once, until %(until)s. If you did not expect this e-mail, ignore it.") % values,
        ] if part)
    mail.send_after_commit(subject, body, [invitation.email])
