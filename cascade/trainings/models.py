"""Trainings (institutes and step-downs), their agenda and who took part."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from cascade.curriculum.models import Manual, ManualSession
from cascade.lib.translated import TranslatedField, pick, pick_first
from cascade.network.models import Country, Located, Organization, Person


def today() -> datetime.date:
    """The day that decides what is planned and what was held (the site's time zone)."""
    return timezone.localdate()


class TrainingQuerySet(models.QuerySet):
    """Trainings by status: only *held* ones count in any figure (docs/metrics.md)."""

    def held(self, on: datetime.date | None = None):
        """Not cancelled, and its first day has come."""
        return self.filter(cancelled=False, start_date__lte=on or today())

    def planned(self, on: datetime.date | None = None):
        """Not cancelled, and its first day is still ahead: "upcoming" on the pages."""
        return self.filter(cancelled=False, start_date__gt=on or today())


class Training(Located, models.Model):
    """An institute or a step-down. It is *planned* until its first day, then *held*;
    it can be *cancelled* instead. Figures, ordinals and stories count held ones only."""

    class Kind(models.TextChoices):
        INSTITUTE = "institute", _("institute")
        STEP_DOWN = "step-down", _("step-down")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    key = models.CharField(
        _("key"), max_length=100, unique=True,
        help_text=_("The identifier used in spreadsheets; it never changes."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = TranslatedField(_("title"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    cancelled = models.BooleanField(
        _("cancelled"), default=False,
        help_text=_("A cancelled training is never counted; it stays on record with its call."),
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="trainings"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    place = models.ForeignKey(
        "network.Place", verbose_name=pgettext_lazy("a city, town or village", "place"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="trainings",
    )
    host = models.ForeignKey(
        Organization, verbose_name=_("host"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="hosted_trainings",
    )
    co_organisers = models.ManyToManyField(
        Organization, verbose_name=_("co-organisers"), blank=True,
        related_name="co_organised_trainings",
    )
    language = models.CharField(_("working language"), max_length=15, blank=True)
    manuals = models.ManyToManyField(
        Manual, verbose_name=_("manuals used"), blank=True, related_name="trainings"
    )
    source_training = models.ForeignKey(
        "self", verbose_name=_("source training"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="grown_trainings",
        help_text=_("The training that prepared its facilitators, when known."),
    )
    women_count = models.PositiveIntegerField(_("women (unnamed)"), default=0)
    men_count = models.PositiveIntegerField(_("men (unnamed)"), default=0)
    other_count = models.PositiveIntegerField(_("others (unnamed)"), default=0)
    description = TranslatedField(_("description"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "key"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = [models.Index(fields=["kind", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="training_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(women_count__gte=0, men_count__gte=0, other_count__gte=0),
                name="training_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["institute", "step-down"]),
                name="training_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return pick(self.title) or self.key

    @property
    def headcount(self) -> int:
        return self.women_count + self.men_count + self.other_count

    @property
    def last_day(self):
        return self.end_date or self.start_date

    @property
    def days(self) -> int:
        return (self.last_day - self.start_date).days + 1

    @property
    def status(self) -> "Training.Status":
        if self.cancelled:
            return self.Status.CANCELLED
        return self.Status.HELD if self.start_date <= today() else self.Status.PLANNED

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def has_started(self) -> bool:
        """Attendance and completion can be recorded from the first day on."""
        return self.status == self.Status.HELD

    @property
    def has_ended(self) -> bool:
        """Certificates, and completion from a spreadsheet, from the last day on."""
        return self.has_started and self.last_day <= today()


class TrainingSession(models.Model):
    """An item of a training's agenda, and the manual session it follows, if any.

    The manual sessions a training delivered are those of its agenda items.
    """

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE, related_name="sessions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    date = models.DateField(_("date"), null=True, blank=True)
    title = TranslatedField(_("title"))
    manual_session = models.ForeignKey(
        ManualSession, verbose_name=_("manual session"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="deliveries",
    )
    facilitators = models.ManyToManyField(
        Person, verbose_name=_("facilitators"), blank=True, related_name="sessions_facilitated"
    )

    class Meta:
        ordering = ["training", "order", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.heading_in()

    @property
    def heading(self) -> str:
        """The item's title as the reader's agenda shows it (see :meth:`heading_in`)."""
        return self.heading_in()

    def heading_in(self, language: str | None = None) -> str:
        """Its own title, else the title of the manual session it follows, in ``language``
        (default: the active one). A step-down reported from a phone stores no title of its
        own; a title kept only in another language gives way to the manual session's title
        in the reader's language (cascade.lib.translated.pick_first)."""
        manual_title = self.manual_session.title if self.manual_session_id else None
        return pick_first(self.title, manual_title, language=language)


class Participation(models.Model):
    """A named person in a training. The facilitators of a step-down are its trainers."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        FACILITATOR = "facilitator", _("facilitator")
        ORGANISER = "organiser", _("organiser")

    training = models.ForeignKey(
        Training, verbose_name=_("training"), on_delete=models.CASCADE,
        related_name="participations",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    completed = models.BooleanField(_("completed"), default=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [models.Index(fields=["person", "role"])]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "person", "role"], name="participation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["participant", "facilitator", "organiser"]),
                name="participation_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.training}"

    def clean(self):
        """Nobody completes a training before its first day, or one that was cancelled (the admin's check;
        services and the importer apply the same rule)."""
        from django.core.exceptions import ValidationError

        if self.completed and self.training_id and not self.training.has_started:
            raise ValidationError({"completed": _(
                "Nobody has completed this training yet: it is planned or cancelled.")})
