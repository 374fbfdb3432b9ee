"""Erasure: a person's name, contacts and photos go; the trainings' counts stay.

Her participations are kept, attached to the anonymised record, so head-counts,
generations and reach do not change (deleting them would shrink the cascade
after the fact). Her change history is removed too: it holds her name.
"""

import secrets

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from cascade.audit import services as audit
from cascade.audit.models import AuditEntry


@transaction.atomic
def erase_person(person, user=None, reason: str = "") -> dict:
    from cascade.access import require
    from cascade.network.models import Person

    require("people.erase", user, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    from cascade.selection.services import erase_person_applications

    erase_person_applications(person, user)  # her applications to calls, before her e-mail goes
    photos = list(person.photos.all())
    participations = list(person.participations.values_list("pk", flat=True))
    memberships = list(person.memberships.values_list("pk", flat=True))
    with disable_auditlog():
        for photo in photos:
            photo.delete_files()
            photo.delete()
        person.memberships.all().delete()
        person.user_roles.update(person=None)
        person.key = f"erased-{secrets.token_hex(6)}"
        person.full_name = ""
        person.email = person.phone = person.city = ""
        person.organization = None
        person.languages = []
        person.data_consent = person.photo_consent = False
        person.data_consent_date = person.photo_consent_date = None
        person.data_consent_how = person.photo_consent_how = ""
        person.erased_at = timezone.now()
        person.save()
    _forget_history(person, participations, memberships)
    summary = {"photos_removed": len(photos), "participations_kept": len(participations), "key": person.key}
    audit.log("cascade.person.erased", user, person, reason=reason, **summary)
    return summary


def _forget_history(person, participations, memberships) -> None:
    """Old audit labels carry her former key; change-history rows carry her name."""
    AuditEntry.objects.filter(object_type="network.person", object_id=str(person.pk)).update(
        object_label=f"person:{person.key}")
    for model, pks in ((person, [person.pk]), ("trainings.participation", participations),
                       ("network.membership", memberships)):
        content_type = (ContentType.objects.get_for_model(model) if not isinstance(model, str)
                        else ContentType.objects.get_by_natural_key(*model.split(".")))
        LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in pks]).delete()
