"""Who may run, review and read a call. Called only through cascade.access.

Running a call follows the institute it fills: network admins, and the staff of
a partner that may edit that training (its host or co-organiser), run its call.
Reviewers named on a call may read and score its submitted applications,
nothing more. Donors and the public see no applicant.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from cascade.accounts.models import Role
from cascade.selection.models import Call

_RUNNERS = (Role.Kind.NETWORK_ADMIN, Role.Kind.PARTNER_STAFF)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def visible_calls(user):
    """Calls a user runs or reviews."""
    from cascade.access import people_trainings, role

    if not _active(user):
        return Call.objects.none()
    condition = Q(reviewers=user)
    if role(user) in _RUNNERS:  # applicants are named: the trainings whose people the runner sees
        condition |= Q(training__in=people_trainings(user))
    return Call.objects.filter(pk__in=Call.objects.filter(condition).values("pk"))


def can_create_call(user) -> bool:
    from cascade.access import role

    return _active(user) and role(user) in _RUNNERS


def can_manage_call(user, call) -> bool:
    from cascade.access import can_edit_training, role

    return _active(user) and role(user) in _RUNNERS and can_edit_training(user, call.training)


def can_review_call(user, call) -> bool:
    return _active(user) and call.reviewers.filter(pk=user.pk).exists()


def can_see_applicant_identity(user, call) -> bool:
    """Whether this user sees who applied: names, contacts, identifying answers, file names.

    Those who run the call do. A reviewer of a blind call does not: she knows an applicant
    by her code ("A-0007") and reads only the answers not marked as identifying.
    """
    if can_manage_call(user, call):
        return True
    return can_review_call(user, call) and not call.blind_review


def hidden_questions(user, call) -> set:
    """The questions whose answers (and files) this user may not read for ``call``."""
    if can_see_applicant_identity(user, call):
        return set()
    return {q.pk for q in call.questions.all() if q.identifying}


def possible_reviewers(call, user=None):
    """Users a call may name as reviewers: network admins, the host's staff, and trainers.

    Reviewers read applicants' personal data, so a partner's staff choose among their
    own: trainers who belong to the host or have led its trainings. Only a network
    admin may bring in a trainer from elsewhere in the network.
    """
    from cascade.access import is_network_admin

    host = call.training.host_id
    trainers = Q(cascade_role__kind=Role.Kind.TRAINER)
    if not (user is not None and is_network_admin(user)):
        trainers &= (Q(cascade_role__person__organization=host)
                     | Q(cascade_role__person__participations__role="facilitator",
                         cascade_role__person__participations__training__host=host))
    return get_user_model().objects.filter(is_active=True).filter(
        Q(cascade_role__kind=Role.Kind.NETWORK_ADMIN) | trainers
        | Q(cascade_role__kind=Role.Kind.PARTNER_STAFF, cascade_role__organization=host)
        | Q(is_superuser=True)
    ).distinct().order_by("username")
