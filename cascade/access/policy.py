"""Access rules: what each role may see and change.

Roles (``cascade.accounts.models.Role``): the network admin sees everything;
partner staff see their organisation's trainings (hosted or co-organised) and
the people in them, and the records (not the people) of the step-downs grown
from them, its cascade; a trainer sees the trainings she facilitates and her own
record; a donor viewer sees trainings and figures but never a person; the
anonymous public sees published figures only. Unknown models are closed to
everyone but the network admin (fail closed).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from cascade.accounts.models import Role
from cascade.network.models import Organization, Person
from cascade.trainings.models import Participation, Training

# The role kinds, named once (cascade.accounts.models.Role.Kind); these names are shorthands.
NETWORK_ADMIN = Role.Kind.NETWORK_ADMIN
PARTNER_STAFF = Role.Kind.PARTNER_STAFF
TRAINER = Role.Kind.TRAINER
DONOR = Role.Kind.DONOR


def _role(user):
    if not (user and user.is_authenticated and user.is_active):
        return None
    try:
        return user.cascade_role
    except Exception:  # RelatedObjectDoesNotExist: a user without a role
        return None


def role(user) -> str | None:
    """The user's role kind, or None for the public and for users without a role."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    found = _role(user)
    if found is not None:
        return found.kind
    return NETWORK_ADMIN if user.is_superuser else None


def is_network_admin(user) -> bool:
    return role(user) == NETWORK_ADMIN


def needs_two_factor(user) -> bool:
    """Roles that see names of people sign in with a second factor."""
    return role(user) in (NETWORK_ADMIN, PARTNER_STAFF)


def _organization_id(user):
    found = _role(user)
    return found.organization_id if found and found.kind == PARTNER_STAFF else None


def _person_id(user):
    found = _role(user)
    return found.person_id if found and found.kind == TRAINER else None


def _organization_trainings(organization_id):
    return Q(host_id=organization_id) | Q(co_organisers__id=organization_id)


def _own_trainings(user):
    """Partner staff: the trainings their organisation hosted or co-organised (names, edits)."""
    ids = Training.objects.filter(_organization_trainings(_organization_id(user))).values("pk")
    return Training.objects.filter(pk__in=ids)


def visible_trainings(user):
    """Trainings whose record (title, dates, place) the user may open.

    Partner staff open their own trainings and the records of their organisation's
    cascade (docs/metrics.md), so the list behind their figures is not empty; donors
    already read every record. Who took part stays with ``people_trainings``."""
    kind = role(user)
    if kind in (NETWORK_ADMIN, DONOR):
        return Training.objects.all()
    if kind == PARTNER_STAFF:
        from cascade.metrics import engine

        cascade = engine.cascade_of(_organization_id(user)).values("pk")
        return Training.objects.filter(Q(pk__in=_own_trainings(user).values("pk")) | Q(pk__in=cascade))
    if kind == TRAINER and _person_id(user):
        ids = Participation.objects.filter(
            person_id=_person_id(user), role__in=["facilitator", "organiser"]
        ).values("training_id")
        return Training.objects.filter(pk__in=ids)
    return Training.objects.none()


def people_trainings(user):
    """Trainings whose people (participants, facilitators) the user may see by name."""
    if not can_see_people(user):
        return Training.objects.none()
    if role(user) == PARTNER_STAFF:
        return _own_trainings(user)
    return visible_trainings(user)


def visible_people(user):
    """People the user may see by name (never erased people, never for donors or the public)."""
    kind = role(user)
    if kind == NETWORK_ADMIN:
        return Person.objects.all()
    if kind == PARTNER_STAFF:
        organization_id = _organization_id(user)
        in_trainings = Participation.objects.filter(
            training__in=people_trainings(user)).values("person_id")
        return Person.objects.filter(
            Q(pk__in=in_trainings) | Q(organization_id=organization_id), erased_at__isnull=True
        )
    if kind == TRAINER and _person_id(user):
        in_trainings = Participation.objects.filter(
            training__in=people_trainings(user)).values("person_id")
        return Person.objects.filter(
            Q(pk__in=in_trainings) | Q(pk=_person_id(user)), erased_at__isnull=True
        )
    return Person.objects.none()


def visible_organizations(user):
    """Organisations are public bodies; the public sees the network's partners only."""
    if role(user) is None:
        return Organization.objects.filter(kind=Organization.Kind.PARTNER)
    return Organization.objects.all()


def visible_participations(user):
    return Participation.objects.filter(
        training__in=people_trainings(user), person__in=visible_people(user)
    )


def visible_photos(user):
    """Staff see the photos of their trainings; donors and the public only photos of no one.

    A consented photo of people may go into a story that staff publish, but a donor's
    login never shows a person's picture (nor her name): consent to publication is
    not consent to every reader of the platform.
    """
    from cascade.photos.models import Photo

    if can_see_people(user):
        return Photo.objects.filter(training__in=people_trainings(user))
    return Photo.objects.filter(shows_people=False, training__in=visible_trainings(user))


def photos_not_shown(user, training) -> int:
    """How many photos of ``training`` exist that ``user`` may not see (pages say they are not
    public rather than that there are none); how many, never which."""
    from cascade.photos.models import Photo

    return Photo.objects.filter(training=training).exclude(pk__in=visible_photos(user).values("pk")).count()


def publishable_photos():
    """Photos showing nobody, or whose every recognisable person consented."""
    from cascade.photos.models import Photo

    return Photo.objects.filter(
        Q(shows_people=False) | Q(consent_recorded=True)
    ).exclude(shows_people=True, people__photo_consent=False)


def visible_stories(user):
    """Story drafts the user may open (and export): staff of the training, never donors.

    A draft is not published: it names facilitators and participants before anyone
    checked who agreed to be named, so only those who may see the training's people
    read it. Donors read the donor report instead."""
    from cascade.stories.models import StoryDraft

    return StoryDraft.objects.filter(training__in=people_trainings(user))


def can_see_people(user) -> bool:
    """Names, contacts and photos of people at all (never donors or the public)."""
    return role(user) in (NETWORK_ADMIN, PARTNER_STAFF, TRAINER)


def can_see_person(user, person) -> bool:
    return visible_people(user).filter(pk=person.pk).exists()


def report_sources(user, trainer, before=None):
    """Where ``trainer`` trained (the trainings she completed, newest first), for whoever may
    report a step-down for her; nothing for anyone else. A trainer cannot otherwise open the
    institutes she attended (she sees the trainings she leads), yet her report names one."""
    from cascade.trainings.sources import completed_by

    from .rules import allows

    if trainer is None or not allows("trainings.report", user, trainer):
        return Training.objects.none()
    return completed_by(trainer, before)


def can_edit_training(user, training) -> bool:
    kind = role(user)
    if kind == NETWORK_ADMIN:
        return True
    if kind == PARTNER_STAFF:
        return _own_trainings(user).filter(pk=training.pk).exists()
    if kind == TRAINER:
        return visible_trainings(user).filter(pk=training.pk).exists()
    return False


def can_export_people(user) -> bool:
    """Named exports: admins and partner staff (within their scope); trainers report, not export."""
    return role(user) in (NETWORK_ADMIN, PARTNER_STAFF)


#: Who may download which list (``cascade.web.lists``): the readers of its page, with two narrowings.
#: A list of people names them, so it goes to those who export people (trainers see it, not take it
#: away); a call's applications go to those who run the call (checked on the call itself).
LIST_DOWNLOADS = {
    "trainings": lambda user, obj: role(user) is not None,
    "partners": lambda user, obj: role(user) is not None,
    "people": lambda user, obj: can_export_people(user),
    "calls": lambda user, obj: role(user) is not None,
    "applications": lambda user, obj: obj is not None and can_manage_call(user, obj),
}


def can_download_list(user, name: str, obj=None) -> bool:
    """Whether ``user`` may download the list ``name`` (of ``obj``, for a call's applications).
    A list not named in LIST_DOWNLOADS is closed to everyone."""
    test = LIST_DOWNLOADS.get(name)
    return bool(test and test(user, obj))


def can_read_audit(user) -> bool:
    return is_network_admin(user)


def visible_jobs(user):
    """Background jobs: each user sees her own; the network admin sees every job, the engine's too.

    A job's page shows its progress and its result file (a report, an export, an import's
    problems), which are made with its owner's rights: nobody else but the admin may read them.
    """
    from cascade.jobs.models import Job

    if is_network_admin(user):
        return Job.objects.all()
    if role(user) is None:
        return Job.objects.none()
    return Job.objects.filter(owner_id=user.pk)


def visible_api_tokens(user):
    """API tokens a user may list and revoke: her own; every token for the network admin (never a secret)."""
    from cascade.api.models import ApiToken

    if is_network_admin(user):
        return ApiToken.objects.select_related("user")
    if role(user) is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).select_related("user")


# --- Users and invitations (docs: README "Roles") -----------------------------------------------
#
# The network admin invites anyone to any role and changes every user's role. A partner admin
# (partner staff whose role ``can_manage_users``) invites partner staff of her own organisation
# and trainers among the people of her organisation, and changes those users' roles within the
# same bounds: nobody gives a role she could not give, so no one climbs above her own rights.


def partner_admin_of(user):
    """The organisation id whose users ``user`` manages as a partner admin, or None."""
    found = _role(user)
    if found is not None and found.kind == PARTNER_STAFF and found.can_manage_users:
        return found.organization_id
    return None


def can_manage_users(user) -> bool:
    """The users' page: network admins, and partner admins for their own partner."""
    return is_network_admin(user) or partner_admin_of(user) is not None


def _partner_users(organization_id) -> Q:
    return (Q(cascade_role__kind=PARTNER_STAFF, cascade_role__organization_id=organization_id)
            | Q(cascade_role__kind=TRAINER, cascade_role__person__organization_id=organization_id))


def visible_users(user):
    """Accounts whose role ``user`` may see and change on the users' page (her own among them)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.select_related("cascade_role")
    if is_network_admin(user):
        return users.all()
    organization_id = partner_admin_of(user)
    if organization_id is None:
        return users.none()
    return users.filter(_partner_users(organization_id))


def visible_invitations(user):
    """Invitations ``user`` may read, resend, change and revoke."""
    from cascade.accounts.models import Invitation

    invitations = Invitation.objects.select_related("organization", "person", "invited_by")
    if is_network_admin(user):
        return invitations.all()
    organization_id = partner_admin_of(user)
    if organization_id is None:
        return invitations.none()
    return invitations.filter(organization_id=organization_id)


def grantable_kinds(user) -> list[str]:
    """The roles ``user`` may give: every role for the network admin; partner staff and trainers
    for a partner admin; none for anyone else."""
    if is_network_admin(user):
        return [NETWORK_ADMIN, PARTNER_STAFF, TRAINER, DONOR]
    return [PARTNER_STAFF, TRAINER] if partner_admin_of(user) is not None else []


def grantable_organizations(user):
    """Organisations whose partner staff ``user`` may appoint."""
    if is_network_admin(user):
        return Organization.objects.all()
    organization_id = partner_admin_of(user)
    return Organization.objects.filter(pk=organization_id) if organization_id else Organization.objects.none()


def grantable_people(user):
    """People ``user`` may give a trainer's account: whoever she sees by name (the network admin),
    the people of her own organisation that she sees (a partner admin)."""
    if is_network_admin(user):
        return visible_people(user)
    organization_id = partner_admin_of(user)
    if organization_id is None:
        return Person.objects.none()
    return visible_people(user).filter(organization_id=organization_id)


def can_give_role(user, kind, organization=None, person=None, manages_users=False) -> bool:
    """Whether ``user`` may give this role (to an invitation or an account): never more than hers."""
    if kind not in grantable_kinds(user):
        return False
    if manages_users and kind != PARTNER_STAFF:
        return False
    if kind == PARTNER_STAFF:
        return organization is not None and grantable_organizations(user).filter(pk=organization.pk).exists()
    if kind == TRAINER:
        return person is not None and grantable_people(user).filter(pk=person.pk).exists()
    return True


def exact_figures(user) -> bool:
    """Staff see exact counts; donors and the public see small cells suppressed."""
    return role(user) in (NETWORK_ADMIN, PARTNER_STAFF, TRAINER)


# Calls for applications (rules in cascade.selection.rules; asked only through here).
def visible_calls(user):
    from cascade.selection import rules

    return rules.visible_calls(user)


def can_create_call(user) -> bool:
    from cascade.selection import rules

    return rules.can_create_call(user)


def can_manage_call(user, call) -> bool:
    from cascade.selection import rules

    return rules.can_manage_call(user, call)


def can_review_call(user, call) -> bool:
    from cascade.selection import rules

    return rules.can_review_call(user, call)


def can_see_applicant_identity(user, call) -> bool:
    from cascade.selection import rules

    return rules.can_see_applicant_identity(user, call)


def hidden_questions(user, call) -> set:
    from cascade.selection import rules

    return rules.hidden_questions(user, call)


# Spreadsheet imports: a network admin imports for the whole network; partner staff, their partner's.
def can_import(user) -> bool:
    """Who imports workbooks: network admins, and partner staff for their own partner (``import_scope``)."""
    return role(user) in (NETWORK_ADMIN, PARTNER_STAFF)


class ImportScope:
    """What a partner's staff member may write with a spreadsheet import, row by row.

    The rule (docs/import-format.md, "Who may import what"): she imports her
    partner's trainings and the people in them, and nothing of another partner's.

    - a training she creates or changes is hosted or co-organised by her partner
      (before and after the change); the participants and agenda of a training are
      hers to import only if the training is;
    - a row about a person already in Cascade is refused unless she sees that person
      (``visible_people``), changed or not: an unchanged row would tell her what
      Cascade holds about someone she may not see; new people are hers to add;
    - she changes no other organisation (new ones she may add), and no manual,
      manual session or edition (the network's curriculum);
    - unchanged rows of trainings, organisations and manuals she can see are
      accepted, so that her own export imports back.

    Each method returns why a row is refused, or None. Ids are those in Cascade;
    None (or a negative stand-in) is a row the workbook itself adds.
    """

    def __init__(self, user):
        found = _role(user)
        self.organization_id = found.organization_id if found else None
        self.organization = found.organization.name_in() if found and found.organization_id else ""
        self.own_trainings = set(_own_trainings(user).values_list("pk", flat=True))
        self.visible_trainings = set(visible_trainings(user).values_list("pk", flat=True))
        self.people = set(visible_people(user).values_list("pk", flat=True))

    @staticmethod
    def _exists(pk) -> bool:
        return pk is not None and pk > 0

    def person(self, person_id) -> str | None:
        if self._exists(person_id) and person_id not in self.people:
            return _("This person is not among the people you see: only a network admin may import rows "
                     "about her.")
        return None

    def organization_row(self, organization_id, writes: bool) -> str | None:
        if writes and self._exists(organization_id) and organization_id != self.organization_id:
            return _("This organisation is not yours: only a network admin may change it.")
        return None

    def curriculum(self, writes: bool) -> str | None:
        if writes:
            return _("Manuals, their sessions and editions are the network's: only a network admin may add or "
                     "change them.")
        return None

    def training(self, training_id, organizations_after, writes: bool) -> str | None:
        """A row of the trainings sheet; ``organizations_after``: its host and co-organisers once written."""
        if self._exists(training_id) and training_id not in self.own_trainings and (
                writes or training_id not in self.visible_trainings):
            return _("This training is not one of %(partner)s's: only its host, its co-organisers or a network "
                     "admin may change it.") % {"partner": self.organization}
        if writes and self.organization_id not in organizations_after:
            return _("Host or co-organise this training as %(partner)s (your organisation): you may import "
                     "only your partner's trainings.") % {"partner": self.organization}
        return None

    def training_part(self, training_id, writes: bool = True) -> str | None:
        """A participant or agenda row of a training (new trainings were checked as trainings)."""
        if self._exists(training_id) and training_id not in self.own_trainings and (
                writes or training_id not in self.visible_trainings):
            return _("This training is not one of %(partner)s's: only its host, its co-organisers or a network "
                     "admin may import its participants and agenda.") % {"partner": self.organization}
        return None


def import_scope(user) -> ImportScope | None:
    """What an import by ``user`` may write: None for the whole network (the network admin, the operator)."""
    from .rules import is_operator

    if is_operator(user) or is_network_admin(user):
        return None
    if role(user) != PARTNER_STAFF:
        raise PermissionError("Only network admins and partner staff import spreadsheets.")
    return ImportScope(user)
