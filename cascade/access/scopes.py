"""``scope(user, queryset)``: any queryset cut down to what the user may see.

The admin, search and exports call this instead of knowing each model's rule.
A model nobody registered is visible to the network admin only (fail closed):
an app that adds personal data must register a scope here or in its ``ready()``.
"""

from collections.abc import Callable

from django.db.models import QuerySet

from . import policy

# "app_label.ModelName" -> function(user) returning the visible rows of that model
_SCOPES: dict[str, Callable] = {}
_DEFAULTS_LOADED = False
# Reference data that holds nobody's personal data: any signed-in role may read it.
REFERENCE = {
    "network.region", "network.country", "curriculum.manual", "curriculum.manualsession",
    "curriculum.edition", "indicators.indicatorobservation", "network.place",
}


def register_scope(label: str, visible: Callable) -> None:
    _SCOPES[label.lower()] = visible


def _defaults():
    """The core apps' scopes, loaded once on first use (models are ready by then).

    Loaded by a flag, not by an empty registry, so an app that registers its own
    scope in ``ready()`` does not keep the core scopes out (fail closed would then
    hide everything from partner staff)."""
    global _DEFAULTS_LOADED
    if _DEFAULTS_LOADED:
        return
    _DEFAULTS_LOADED = True
    from cascade.network.models import Membership
    from cascade.trainings.models import TrainingSession

    # The admin edits: the trainings whose people the user sees (a partner's own), not every
    # record she may open (a partner's staff open their cascade's step-downs in the staff app).
    register_scope("trainings.training", policy.people_trainings)
    register_scope("network.person", policy.visible_people)
    register_scope("network.organization", policy.visible_organizations)
    register_scope("trainings.participation", policy.visible_participations)
    register_scope("photos.photo", policy.visible_photos)
    register_scope("stories.storydraft", policy.visible_stories)
    register_scope("trainings.trainingsession",
                   lambda user: TrainingSession.objects.filter(training__in=policy.people_trainings(user)))
    register_scope("network.membership",
                   lambda user: Membership.objects.filter(person__in=policy.visible_people(user)))


def is_scoped(model) -> bool:
    _defaults()
    return model._meta.label_lower in _SCOPES or model._meta.label_lower in REFERENCE


def scope(user, queryset: QuerySet) -> QuerySet:
    _defaults()
    label = queryset.model._meta.label_lower
    if policy.is_network_admin(user):
        return queryset
    if label in _SCOPES:
        return queryset.filter(pk__in=_SCOPES[label](user).values("pk"))
    if label in REFERENCE and policy.role(user) is not None:
        return queryset
    return queryset.none()
