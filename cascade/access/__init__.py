"""The one place that decides who may see what.

Every page, admin view, API handler, export, search and command asks this
module; nothing else filters by role. Roles: network admin, partner staff,
trainer, donor viewer, the anonymous public (see docs/security.md).

Interface (kept stable for every caller):

- ``visible_trainings(user) -> QuerySet[Training]``: records the user may open
- ``visible_people(user) -> QuerySet[Person]``: people the user may see by name
- ``visible_organizations(user) -> QuerySet[Organization]``
- ``visible_participations(user)``, ``visible_photos(user)``, ``publishable_photos()``
- ``photos_not_shown(user, training) -> int``: photos of it the user may not see (how many, never which)
- ``visible_stories(user)``: story drafts (unpublished: never for donors or the public)
- ``can_see_people(user) -> bool``: names, contacts, photos of people at all
- ``can_see_person(user, person)``, ``can_edit_training(user, training)``
- ``report_sources(user, trainer, before=None)``: where a trainer trained, for whoever
  may report a step-down for her
- ``can_export_people(user)``, ``can_read_audit(user)``, ``needs_two_factor(user)``
- ``can_download_list(user, name, obj=None)``: who downloads which list as CSV or XLSX
- ``exact_figures(user) -> bool``: staff see exact counts; donors and the public
  see small cells suppressed (``cascade.access.suppression``)
- ``visible_jobs(user)``: background jobs whose progress and result the user may read
- ``visible_api_tokens(user)``: API tokens the user may list and revoke
- ``can_import(user)``, ``import_scope(user)``: who imports spreadsheets, and the rows a
  partner's staff member may write (None: the whole network)
- ``can_manage_users(user)``, ``visible_users(user)``, ``visible_invitations(user)``: the users' page
  (network admins; partner admins for their partner); ``grantable_kinds/organizations/people(user)``
  and ``can_give_role(user, kind, organization, person, manages_users)``: the roles she may give
- ``role(user)``: "network-admin", "partner-staff", "trainer", "donor" or None
- ``require(rule, actor, obj=None)``: raises PermissionDenied unless the actor may;
  every service that writes calls it (rules in ``cascade.access.rules``);
  ``operator()`` is the actor of a command; ``has_role(user)``
- ``safe_next(request, default)``: the one check of every redirect target
"""

import importlib

# Imported on first use: this package is an installed app (its admin site), loaded before
# the models that the policy reads are ready. Encryption, its fields and pseudonyms live in
# cascade.lib, which the models import, so nothing here is imported by a model.
__all__ = [
    "DONOR", "NETWORK_ADMIN", "PARTNER_STAFF", "TRAINER", "can_edit_training", "can_export_people",
    "can_read_audit", "can_see_people", "can_see_person", "exact_figures", "is_network_admin",
    "needs_two_factor", "people_trainings", "publishable_photos", "report_sources", "role",
    "visible_organizations",
    "visible_participations", "visible_people", "visible_photos", "visible_stories", "visible_trainings",
    # Calls for applications (rules in cascade.selection.rules).
    "visible_calls", "can_create_call", "can_manage_call", "can_review_call",
    "can_see_applicant_identity", "hidden_questions",
    "visible_jobs", "visible_api_tokens",
    # Spreadsheet imports: who imports, and what a partner's staff may write.
    "can_import", "import_scope",
    # Photos that exist but are not for this reader: "not public", never "none".
    "photos_not_shown",
    # Downloads of lists: who may take which list away.
    "can_download_list",
    # Users and invitations: who manages whom, and which roles she may give.
    "can_manage_users", "partner_admin_of", "visible_users", "visible_invitations", "grantable_kinds",
    "grantable_organizations", "grantable_people", "can_give_role",
]
# Checks of an actor before a change (cascade.access.rules), and redirect targets.
_ELSEWHERE = {"require": "rules", "allows": "rules", "operator": "rules", "is_operator": "rules",
              "has_role": "rules", "safe_next": "redirects"}
__all__ += list(_ELSEWHERE)


def __getattr__(name):
    if name in _ELSEWHERE:
        return getattr(importlib.import_module(f"cascade.access.{_ELSEWHERE[name]}"), name)
    if name in __all__:
        return getattr(importlib.import_module("cascade.access.policy"), name)
    raise AttributeError(f"module 'cascade.access' has no attribute {name!r}")
