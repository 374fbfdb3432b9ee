"""Erasure: a person's name, contacts and photos go; the trainings' counts stay.

Her participations are kept, attached to the anonymised record, so head-counts,
generations and reach do not change (deleting them would shrink the cascade
after the fact). Every place her name can live is cleared or rewritten
(``cascade.access.erasure`` lists them): her change history, captions, story
drafts, audit details, her accounts. The erasure is written to a register outside
the database so that restoring an older backup erases her again.
"""

import secrets

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from cascade.access import erasure
from cascade.audit import services as audit
from cascade.audit.models import AuditEntry


@transaction.atomic
def erase_person(person, actor, reason: str = "") -> dict:
    from cascade.access import require
    from cascade.network.models import Person

    require("people.erase", actor, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    from cascade.selection.services import erase_person_applications

    accounts = {role.user: f"erased-{secrets.token_hex(6)}" for role in person.user_roles.select_related("user")}
    found = erasure.traces(person, accounts)  # before anything goes: her history names her
    _forget_invitations(person, [person.email, *(account.email for account in accounts)])
    former_key = person.key
    erase_person_applications(person, actor)  # her applications to calls, before her e-mail goes
    photos = list(person.photos.all())
    photo_pks = [photo.pk for photo in photos]  # delete() forgets them
    participations = list(person.participations.values_list("pk", flat=True))
    trainings = list(person.participations.values_list("training_id", flat=True))
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
        person.place = None  # where she lives, as her city
        person.organization = None
        person.languages = []
        person.data_consent = person.photo_consent = False
        person.data_consent_date = person.photo_consent_date = None
        person.data_consent_how = person.photo_consent_how = ""
        person.erased_at = timezone.now()
        person.save()
    found = found.resolved(person.key)
    _forget_history(person, participations, memberships, photo_pks)
    _forget_accounts(accounts)
    erasure.forget(found, local=_about_her_trainings(trainings))
    from cascade.jobs.services import remove_result_files

    remove_result_files()  # reports and exports made before may name her; they can be made again
    erasure.record(former_key, person.key)
    summary = {"photos_removed": len(photos), "participations_kept": len(participations), "key": person.key}
    audit.log("cascade.person.erased", actor, person, reason=erasure.Rewriter(found).text(reason), **summary)
    return summary


def _forget_history(person, participations, memberships, photos) -> None:
    """Old audit labels carry her former key; her own objects' change history goes whole."""
    AuditEntry.objects.filter(object_type="network.person", object_id=str(person.pk)).update(
        object_label=f"person:{person.key}")
    for model, pks in ((person, [person.pk]), ("trainings.participation", participations),
                       ("network.membership", memberships), ("photos.photo", photos)):
        content_type = (ContentType.objects.get_for_model(model) if not isinstance(model, str)
                        else ContentType.objects.get_by_natural_key(*model.split(".")))
        LogEntry.objects.filter(content_type=content_type, object_pk__in=[str(pk) for pk in pks]).delete()
    from django.contrib.admin.models import LogEntry as AdminEntry

    AdminEntry.objects.filter(content_type=ContentType.objects.get_for_model(person),
                              object_id=str(person.pk)).delete()


def _forget_invitations(person, emails) -> None:
    """Invitations to her e-mail (or her accounts'), or to a trainer's account on her record, go."""
    from django.db.models import Q

    from cascade.accounts.models import Invitation

    emails = {email.strip().lower() for email in emails if email and email.strip()}
    mine = Q(person=person)
    for email in emails:
        mine |= Q(email__iexact=email)
    Invitation.objects.filter(mine).delete()


def _forget_accounts(accounts: dict) -> None:
    """Her sign-in accounts lose her name and e-mail and can no longer sign in."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for account, new_username in accounts.items():
        former, email = account.get_username(), account.email
        account.username = new_username
        account.first_name = account.last_name = account.email = ""
        account.is_active = False
        account.set_unusable_password()
        account.save()
        AuditEntry.objects.filter(username=former).update(username=account.username)
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=former).update(username=account.username)
        if email:
            LogEntry.objects.filter(actor_email__iexact=email).update(actor_email="")
        TOTPDevice.objects.filter(user=account).delete()
        StaticDevice.objects.filter(user=account).delete()
        for session in Session.objects.all().iterator():
            if session.get_decoded().get("_auth_user_id") == str(account.pk):
                session.delete()


def _about_her_trainings(trainings) -> list:
    """Texts about her trainings lose each word of her names too ('Aigul led the session')."""
    from cascade.photos.models import Photo
    from cascade.stories.models import StoryDraft
    from cascade.trainings.models import Training

    photos = Photo.objects.filter(training_id__in=trainings)
    photo_history = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Photo),
        object_pk__in=[str(pk) for pk in photos.values_list("pk", flat=True)])
    return [(Photo, photos), (StoryDraft, StoryDraft.objects.filter(training_id__in=trainings)),
            (Training, Training.objects.filter(pk__in=trainings)), (LogEntry, photo_history)]
