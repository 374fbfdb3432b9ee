"""The curriculum library: manuals, their sessions, and editions by language."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cascade.lib.translated import TranslatedField, pick


class Manual(models.Model):
    key = models.CharField(
        _("key"), max_length=100, unique=True,
        help_text=_("The identifier used in spreadsheets; it never changes."),
    )
    title = TranslatedField(_("title"), help_text=_("Texts by language, such as {\"en\": \"Leading to Choices\"}."))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    description = TranslatedField(_("description"))

    class Meta:
        ordering = ["key"]
        verbose_name = _("manual")
        verbose_name_plural = _("manuals")

    def __str__(self) -> str:
        return pick(self.title) or self.key

    @property
    def languages(self) -> list[str]:
        return sorted({edition.language for edition in self.editions.all()})


class ManualSession(models.Model):
    """One workshop session of a manual, in the manual's order."""

    class Kind(models.TextChoices):
        CASE_STUDY = "case study", _("case study")
        SCENARIO = "scenario", _("scenario")
        ROLEPLAY = "roleplay", _("roleplay")
        DISCUSSION = "discussion", _("discussion")
        EXERCISE = "exercise", _("exercise")
        OTHER = "other", _("other")

    manual = models.ForeignKey(
        Manual, verbose_name=_("manual"), on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    part = models.CharField(_("part"), max_length=20, blank=True)
    part_title = TranslatedField(_("part title"))
    title = TranslatedField(_("title"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["manual", "number"]
        verbose_name = _("manual session")
        verbose_name_plural = _("manual sessions")
        constraints = [
            models.UniqueConstraint(fields=["manual", "number"], name="manual_session_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.manual} · {self.number}. {pick(self.title)}"


class Edition(models.Model):
    """A manual in one language: really a different file, so one row per language."""

    manual = models.ForeignKey(
        Manual, verbose_name=_("manual"), on_delete=models.CASCADE, related_name="editions"
    )
    language = models.CharField(
        _("language"), max_length=15, help_text=_("A language code, such as ru or ky.")
    )
    variant = models.CharField(
        _("variant"), max_length=50, blank=True,
        help_text=_("For a language with several editions, such as Arabic (Maghrebi)."),
    )
    title = models.CharField(_("title in this language"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="editions/", blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["manual", "language", "variant"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(
                fields=["manual", "language", "variant"], name="edition_language_unique"
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.manual} ({self.language}"
        return label + (f", {self.variant})" if self.variant else ")")
