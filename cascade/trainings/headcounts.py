"""One head-count rule: a training's head-counts are the attendees *not named*.

Every form that records who came (the phone report, the staff training form) asks
for everyone who attended, by gender, and then for names; what is stored on the
training (``women_count``, ``men_count``, ``other_count``) is the unnamed remainder
per gender, so that reach (named people + head-counts) counts nobody twice. Named
participants whose gender is other or not stated belong to "others or not stated".
Names beyond the totals are refused: the totals are what the reporter saw.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: The three head-counts, in the order forms show them, with the training's field for each.
GROUPS = ("women", "men", "other")
FIELDS = {"women": "women_count", "men": "men_count", "other": "other_count"}

_TOO_MANY = {
    "women": _("Women named: %(named)s; women who attended: %(attended)s. Raise the number of women "
               "or take a name off."),
    "men": _("Men named: %(named)s; men who attended: %(attended)s. Raise the number of men "
             "or take a name off."),
    "other": _("Others or not stated named: %(named)s; who attended: %(attended)s. Raise the number of "
               "others or take a name off."),
}


def group_of(gender: str) -> str:
    """The head-count a person of this gender belongs to (``Person.Gender`` values)."""
    return {"woman": "women", "man": "men"}.get(gender or "", "other")


def count_named(genders) -> dict[str, int]:
    """Named attendees per head-count group, from their genders."""
    named = dict.fromkeys(GROUPS, 0)
    for gender in genders:
        named[group_of(gender)] += 1
    return named


def unnamed(attended: dict[str, int], named: dict[str, int]) -> dict[str, int]:
    """The head-counts to store: attendees per group less those named.

    A group whose number is ``None`` (left empty on the staff form) is taken to be
    exactly those named: nobody unnamed. Raises ValidationError keyed by group
    (``women``, ``men``, ``other``) where more are named than attended, so a form can
    show the message at its field.
    """
    errors = {}
    counts = {}
    for group in GROUPS:
        number = named.get(group, 0) if attended.get(group) is None else attended[group]
        if named.get(group, 0) > number:
            errors[group] = _TOO_MANY[group] % {"named": named.get(group, 0), "attended": number}
        counts[group] = number - named.get(group, 0)
    if errors:
        raise ValidationError(errors)
    return counts


def attended(training) -> dict[str, int]:
    """Everyone who attended a training, per group: its named participants plus its head-counts."""
    from cascade.trainings.models import Participation

    genders = Participation.objects.filter(
        training=training, role=Participation.Role.PARTICIPANT).values_list("person__gender", flat=True)
    named = count_named(genders)
    return {group: named[group] + getattr(training, FIELDS[group]) for group in GROUPS}
