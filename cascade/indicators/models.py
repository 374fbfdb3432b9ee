"""Context indicators, such as the share of parliament seats held by women."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cascade.network.models import Country

WOMEN_IN_PARLIAMENT = "women-in-parliament"


class IndicatorObservation(models.Model):
    class Chamber(models.TextChoices):
        LOWER = "lower", _("lower or single chamber")
        UPPER = "upper", _("upper chamber (senate)")
        BOTH = "both", _("both chambers")

    indicator = models.CharField(
        _("indicator"), max_length=50, default=WOMEN_IN_PARLIAMENT,
        help_text=_("Such as women-in-parliament, or a source's code like SG.GEN.PARL.ZS."),
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="observations"
    )
    chamber = models.CharField(_("chamber"), max_length=10, choices=Chamber.choices, blank=True)
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=20, default="%")
    source_name = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("source link"), blank=True)
    licence = models.CharField(_("licence"), max_length=50, blank=True)
    note = models.CharField(_("publisher's note"), max_length=500, blank=True)
    source_file = models.CharField(
        _("source file"), max_length=255, blank=True,
        help_text=_("The name of the file the value was imported from."),
    )
    released = models.DateField(
        _("release date"), null=True, blank=True,
        help_text=_("When the publisher released that file (the World Bank's “Last Updated Date”); "
                    "an older file does not overwrite this value."),
    )

    class Meta:
        ordering = ["indicator", "country", "chamber", "-date"]
        verbose_name = _("indicator observation")
        verbose_name_plural = _("indicator observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "country", "chamber", "date", "unit", "source_name"],
                name="observation_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.chamber} {self.date}: {self.value}{self.unit}"
