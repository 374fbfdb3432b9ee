"""Story drafts: generated text that staff edit before publishing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoryDraft(models.Model):
    """One draft per training and language, with the facts and figures it was written from."""

    training = models.ForeignKey(
        "trainings.Training", verbose_name=_("training"), on_delete=models.CASCADE, related_name="story_drafts"
    )
    language = models.CharField(_("language"), max_length=15)
    text = models.TextField(_("text"), help_text=_("Title on the first line, then paragraphs separated by blank lines."))
    facts = models.JSONField(_("facts and figures"), default=dict, blank=True,
                             help_text=_("What the generated text was made from, kept for checking."))
    generated_at = models.DateTimeField(_("generated"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last edited by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["training", "language"]
        verbose_name = _("story draft")
        verbose_name_plural = _("story drafts")
        constraints = [
            models.UniqueConstraint(fields=["training", "language"], name="story_draft_per_language"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.text.strip().split("\n", 1)[0] if self.text.strip() else ""
