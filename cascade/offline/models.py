"""Which offline submission became which step-down.

ODK Collect and KoboCollect give every filled-in form an ``instanceID``; an edit on
the server gets a new one and keeps the first as ``rootUuid``. Cascade keys a
submission on its root, so importing an export twice changes nothing, and an edited
submission updates the step-down it made instead of adding a second one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    root_uuid = models.CharField(_("first instance ID"), max_length=100, unique=True)
    instance_id = models.CharField(_("instance ID"), max_length=100)
    training = models.OneToOneField("trainings.Training", verbose_name=_("training"),
                                    on_delete=models.CASCADE, related_name="offline_submission")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)
    #: People and photos this submission created, taken off again when an edit replaces them.
    people = models.JSONField(default=list, blank=True)
    #: Instance IDs of the versions this one replaced: an older export pulled again changes nothing.
    earlier = models.JSONField(default=list, blank=True)
    photos = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("offline submission")
        verbose_name_plural = _("offline submissions")

    def __str__(self) -> str:
        return self.root_uuid
