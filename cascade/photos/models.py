"""Photos of trainings: evidence for donors, and a risk for the people shown in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cascade.lib.translated import TranslatedField, pick


class Photo(models.Model):
    """A re-encoded image (no EXIF, no GPS) of a training; see ``cascade.photos.services``.

    Create photos through ``services.upload_photo``: it is what strips the metadata.
    """

    training = models.ForeignKey(
        "trainings.Training", verbose_name=_("training"), on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(_("image"), upload_to="photos/%Y/%m/")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="photos/thumbs/%Y/%m/", blank=True)
    caption = TranslatedField(_("caption"))
    shows_people = models.BooleanField(
        _("shows people"), default=True,
        help_text=_("Faces or people who could be recognised. Only staff see such photos; "
                    "with consent recorded, staff may publish them in a story."),
    )
    consent_recorded = models.BooleanField(
        _("consent recorded"), default=False,
        help_text=_("Everyone recognisable in the photo agreed to its publication."),
    )
    people = models.ManyToManyField(
        "network.Person", verbose_name=_("people shown"), blank=True, related_name="photos",
        help_text=_("Who is in the photo, so that erasing a person also removes her photos."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["training", "uploaded_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return pick(self.caption) or self.image.name

    @property
    def publishable(self) -> bool:
        """May appear outside staff pages: shows nobody, or everyone shown agreed."""
        if not self.shows_people:
            return True
        if not self.consent_recorded:
            return False
        return not self.people.filter(photo_consent=False).exists()

    def delete_files(self) -> None:
        for field in (self.image, self.thumbnail):
            if field:
                field.delete(save=False)
