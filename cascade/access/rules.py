"""``require(rule, actor, obj=None)``: the one check every service makes before it writes.

A service function takes its actor explicitly (the signed-in user of a page or the
admin, or ``operator()`` for a command) and calls ``require`` first, so that a new
page, command or admin action cannot change data its actor may not change: the
service refuses, whoever calls it. The rules themselves are the ones of
``cascade.access.policy`` and ``cascade.selection.rules``; this module only names them.

``operator()`` is whoever runs the ``cascade`` command on the server: she holds the
database and the keys already, so every rule lets her act, and the audit log names
her operating-system account (``cascade.audit.actor``). A web request never gets one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from . import policy


class Operator:
    """The account that runs a ``cascade`` command (not a user: it is never signed in)."""

    is_authenticated = False
    is_anonymous = False
    is_active = True
    is_superuser = False
    pk = None

    def get_username(self) -> str:
        from cascade.audit import actor

        return actor.current() or "command line"

    def __repr__(self) -> str:
        return f"<Operator {self.get_username()}>"


def operator() -> Operator:
    """The actor of a command-line run; pass it to services from management commands."""
    return Operator()


def is_operator(actor) -> bool:
    return isinstance(actor, Operator)


def has_role(user) -> bool:
    """A signed-in user without a role sees nothing but a page saying so (see ``NoRoleMiddleware``)."""
    return policy.role(user) is not None


def _training_of(obj):
    return getattr(obj, "training", obj)


def _call_of(obj):
    return getattr(obj, "call", obj)


def _edit_training(user, obj) -> bool:
    return obj is not None and policy.can_edit_training(user, _training_of(obj))


def _read_story(user, draft) -> bool:
    """Without a draft: whether she reads drafts at all (to start an export); with one, that draft."""
    if draft is None:
        return policy.can_see_people(user)
    return policy.visible_stories(user).filter(pk=draft.pk).exists()


def _report_step_down(user, trainer) -> bool:
    """A step-down is reported by its trainer, or by staff who see her."""
    return (trainer is not None and policy.can_see_people(user)
            and policy.visible_people(user).filter(pk=trainer.pk).exists())


def _admin(user, action: str, obj) -> bool:
    from .admin import _admin_allows

    return _admin_allows(user, type(obj), action, obj)


#: rule -> (test(user, obj), what the actor was refused, for the message)
RULES = {
    "trainings.create": (lambda user, obj: policy.can_see_people(user), _("record a training")),
    "trainings.change": (_edit_training, _("change this training")),
    "trainings.delete": (lambda user, obj: policy.is_network_admin(user), _("delete a training")),
    "trainings.report": (_report_step_down, _("report a step-down for this trainer")),
    "photos.upload": (_edit_training, _("add photos to this training")),
    "photos.delete": (_edit_training, _("delete this photo")),
    "stories.write": (_edit_training, _("write this training's story")),
    "stories.read": (_read_story, _("read this story draft")),
    # A place (a city and its names) is no personal data: whoever records trainings or people adds one.
    "places.add": (lambda user, obj: policy.role(user) in (policy.NETWORK_ADMIN, policy.PARTNER_STAFF, policy.TRAINER),
                   _("add a place")),
    "people.erase": (lambda user, obj: policy.is_network_admin(user), _("erase a person's data")),
    "spreadsheets.import": (lambda user, obj: policy.can_import(user), _("import a spreadsheet")),
    "spreadsheets.export": (lambda user, obj: policy.can_export_people(user), _("export the network")),
    # ``obj``: (list name, the object the list belongs to or None), see policy.LIST_DOWNLOADS
    "lists.download": (lambda user, obj: obj is not None and policy.can_download_list(user, *obj),
                       _("download this list")),
    "indicators.import": (lambda user, obj: policy.is_network_admin(user), _("import context indicators")),
    "figures.read": (lambda user, obj: has_role(user), _("read the network's figures")),
    # The whole database, names and contacts decrypted: the network admin, or the operator.
    # API tokens: her own (a user with a role); every user's for the network admin (docs/api.md).
    "api.tokens": (lambda user, obj: policy.is_network_admin(user) or (
        obj is not None and has_role(user) and user.pk == obj.pk), _("make or revoke API tokens for this user")),
    "ops.backup": (lambda user, obj: policy.is_network_admin(user), _("back up the database")),
    "selection.create": (lambda user, obj: policy.can_create_call(user), _("open a call for applications")),
    "selection.manage": (lambda user, obj: obj is not None and policy.can_manage_call(user, _call_of(obj)),
                         _("run this call")),
    "selection.review": (lambda user, obj: obj is not None and policy.can_review_call(user, _call_of(obj)),
                         _("review this call")),
    # Users and invitations: the network admin, and a partner admin within her partner (policy.py).
    "accounts.users": (lambda user, obj: policy.can_manage_users(user), _("manage users")),
    "accounts.grant": (lambda user, obj: obj is not None and policy.can_give_role(
        user, obj.kind, obj.organization, obj.person, obj.can_manage_users), _("give this role")),
    "accounts.invitation": (lambda user, obj: obj is not None and obj.pk is not None
                            and policy.visible_invitations(user).filter(pk=obj.pk).exists(),
                            _("change this invitation")),
    "accounts.user": (lambda user, obj: obj is not None and getattr(user, "pk", None) != obj.pk
                      and policy.visible_users(user).filter(pk=obj.pk).exists(), _("change this user's account")),
    "admin.add": (lambda user, obj: _admin(user, "add", obj), _("add this record in the admin")),
    "admin.change": (lambda user, obj: _admin(user, "change", obj), _("change this record in the admin")),
    "admin.delete": (lambda user, obj: _admin(user, "delete", obj), _("delete this record in the admin")),
}


def allows(rule: str, actor, obj=None) -> bool:
    if rule not in RULES:
        raise KeyError(f"No access rule is called {rule!r}; the rules are in cascade.access.rules.RULES.")
    if is_operator(actor):
        return True
    test, _what = RULES[rule]
    return bool(test(actor, obj))


def require(rule: str, actor, obj=None) -> None:
    """Raise PermissionDenied unless ``actor`` may do ``rule`` (to ``obj``). Fail closed: no actor, no act."""
    if not allows(rule, actor, obj):
        raise PermissionDenied(_("Your role does not allow you to %(action)s.") % {"action": RULES[rule][1]})
