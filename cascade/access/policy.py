"""Access rules. Until roles exist, signed-in staff see everything and others nothing."""

from cascade.network.models import Organization, Person
from cascade.trainings.models import Training


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def visible_trainings(user):
    return Training.objects.all() if _is_staff(user) else Training.objects.none()


def visible_people(user):
    return Person.objects.all() if _is_staff(user) else Person.objects.none()


def visible_organizations(user):
    return Organization.objects.all() if _is_staff(user) else Organization.objects.none()


def can_see_people(user) -> bool:
    return _is_staff(user)


def can_edit_training(user, training) -> bool:
    return _is_staff(user)


def exact_figures(user) -> bool:
    return _is_staff(user)
