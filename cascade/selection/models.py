"""Calls for applications to an institute, the applications, their review and what follows.

A call belongs to the institute it fills (a Training), and through the
training's host to a partner: that is how access is scoped. Applicants' data is
personal data: erase it with services.erase_application.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cascade.lib.fields import EncryptedEmailField, EncryptedTextField, KeyedHashField
from cascade.lib.translated import TranslatedField, pick
from cascade.network.models import Country, Person
from cascade.trainings.models import Participation, Training


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_slug() -> str:
    return secrets.token_urlsafe(8).replace("_", "x").replace("-", "y").lower()


def new_code() -> str:
    """A certificate code that is easy to read aloud: no 0/O or 1/I."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for applications")
        CLOSED = "closed", _("closed")

    training = models.OneToOneField(
        Training, verbose_name=_("institute"), on_delete=models.PROTECT, related_name="call"
    )
    slug = models.SlugField(
        _("link"), max_length=40, unique=True, default=new_slug,
        help_text=_("The shareable address of the application form."),
    )
    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"))
    deadline = models.DateTimeField(_("deadline"))
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    waitlist_places = models.PositiveSmallIntegerField(_("wait-list places"), default=0)
    languages = models.JSONField(
        _("languages of the form"), default=list,
        help_text=_("Language codes, such as [\"ru\", \"kk\", \"en\"]."),
    )
    eligible_countries = models.JSONField(
        _("eligible countries"), default=list, blank=True,
        help_text=_("Country codes; empty means every country."),
    )
    blind_review = models.BooleanField(
        _("blind review"), default=True,
        help_text=_("Reviewers see no name, contact, organisation or identifying answer of an applicant, "
                    "and the others' scores only after submitting their own."),
    )
    completion_days = models.PositiveSmallIntegerField(
        _("days needed to complete"), null=True, blank=True,
        help_text=_("Days of attendance needed for a certificate; empty means every day."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewers"), blank=True, related_name="calls_to_review"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")

    def __str__(self) -> str:
        return pick(self.title) or str(self.training)

    @property
    def host(self):
        return self.training.host

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() <= self.deadline

    @property
    def days_needed(self) -> int:
        return self.completion_days or self.training.days

    @property
    def has_applications(self) -> bool:
        """Once anyone has applied, only the call's texts may change (services.update_call)."""
        return self.applications.exists()


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("short text")
        LONG_TEXT = "long text", _("long text")
        CHOICE = "choice", _("choice")
        NUMBER = "number", _("number")
        FILE = "file", _("file")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    label = TranslatedField(_("question"))
    help_text = TranslatedField(_("help text"))
    choices = models.JSONField(
        _("choices"), default=list, blank=True,
        help_text=_("For a choice: [{\"value\": \"yes\", \"label\": {\"en\": \"Yes\", \"ru\": \"Да\"}}]."),
    )
    required = models.BooleanField(_("required"), default=True)
    identifying = models.BooleanField(
        _("names the applicant"), default=False,
        help_text=_("Hidden from reviewers when the review is blind (for example her organisation or a referee)."),
    )
    min_value = models.IntegerField(_("smallest number"), null=True, blank=True)
    max_value = models.IntegerField(_("largest number"), null=True, blank=True)

    class Meta:
        ordering = ["call", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return pick(self.label)

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    def choice_label(self, value) -> str:
        for choice in self.choices:
            if choice.get("value") == value:
                return pick(choice.get("label")) or value
        return value or ""


class Criterion(models.Model):
    """A rubric line: what reviewers score, how much it weighs, what a low and a high score look like."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = TranslatedField(_("criterion"))
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=1,
        validators=[MinValueValidator(0)],
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    anchor_low = TranslatedField(_("what the lowest score looks like"))
    anchor_high = TranslatedField(_("what the highest score looks like"))

    class Meta:
        ordering = ["call", "order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=models.Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_wide"),
        ]

    def __str__(self) -> str:
        return pick(self.name)


class Quota(models.Model):
    """At least / at most so many places for applicants with one attribute value (a country, a gender)."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="quotas")
    attribute = models.CharField(
        _("attribute"), max_length=30,
        help_text=_("\"country\", \"gender\" or a choice question as \"q12\"."),
    )
    value = models.CharField(_("value"), max_length=100)
    minimum = models.PositiveSmallIntegerField(_("at least"), default=0)
    maximum = models.PositiveSmallIntegerField(_("at most"), null=True, blank=True)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["call", "attribute", "value"], name="quota_unique"),
            models.CheckConstraint(
                condition=models.Q(maximum__isnull=True) | models.Q(maximum__gte=models.F("minimum")),
                name="quota_max_not_below_min",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribute}={self.value}"

    def label(self) -> str:
        """"Country: Казахстан" in the reader's language."""
        return quota_text(self.call, self.attribute, self.value)


def quota_text(call, attribute: str, value: str) -> str:
    """An attribute and its value as the reader says them: "Country: Казахстан", "Gender: woman"."""
    from django.utils.text import capfirst

    from cascade.lib.names import country_name

    if attribute == "country":
        name, shown = Application._meta.get_field("country").verbose_name, country_name(value)
    elif attribute == "gender":
        name, shown = Application._meta.get_field("gender").verbose_name, dict(Person.Gender.choices).get(value, value)
    else:
        question = next((q for q in call.questions.all() if q.field_name == attribute), None)
        name, shown = (question, question.choice_label(value)) if question else (attribute, value)
    return f"{capfirst(str(name))}: {shown}"


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        WAITLISTED = "waitlisted", _("wait-listed")
        DECLINED = "declined", _("declined")
        CONFIRMED = "confirmed", _("confirmed")
        WITHDRAWN = "withdrawn", _("withdrawn")
        MERGED = "merged", _("merged into another")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="applications")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(_("language"), max_length=15)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    # Contacts encrypted at rest like a Person's; duplicates are found by the e-mail's keyed hash.
    email = EncryptedEmailField(_("email"), max_length=254, blank=True)
    email_hash = KeyedHashField(_("email look-up hash"), source="email")
    phone = EncryptedTextField(_("phone"), max_length=50, blank=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Person.Gender.choices, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    consent_data = models.BooleanField(_("agrees to the use of her data for selection"), default=False)
    consent_verification = models.BooleanField(
        _("agrees that her name shows on the certificate check page"), default=False
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("possible duplicate of"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="duplicates",
    )
    override = models.CharField(
        _("override"), max_length=10, blank=True,
        choices=[("include", _("include")), ("exclude", _("exclude"))],
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # A decision is a draft until staff send it (services.send_decisions): then she is written to, once.
    decision_sent_at = models.DateTimeField(_("decision sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    participation = models.OneToOneField(
        Participation, verbose_name=_("participation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="application",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["call", "submitted_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["call", "status"]), models.Index(fields=["call", "email_hash"])]

    def __str__(self) -> str:
        return self.full_name or f"#{self.pk}"

    @property
    def code(self) -> str:
        """How reviewers of a blind call know her: "A-0007"."""
        return f"A-{self.pk:04d}"

    @property
    def decision_draft(self) -> bool:
        """Decided, and not yet sent to her."""
        return self.status in DECIDED and self.decision_sent_at is None

    @property
    def in_review(self) -> bool:
        return self.status not in (self.Status.DRAFT, self.Status.WITHDRAWN, self.Status.MERGED)

    def attribute(self, name: str) -> str:
        """The value a quota looks at: country, gender or the answer to a choice question."""
        if name == "country":
            return self.country_id or ""
        if name == "gender":
            return self.gender
        return str(self.answers.get(name, ""))


DECIDED = (Application.Status.ACCEPTED, Application.Status.WAITLISTED, Application.Status.DECLINED)


def upload_to(instance, filename):
    return f"selection/{instance.application.call_id}/{instance.application.token}/{secrets.token_hex(8)}"


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=upload_to)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "question"], name="one_file_per_question")]


class Review(models.Model):
    """One reviewer's scores for one application; blind until she submits."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="+"
    )
    conflict = models.BooleanField(_("conflict of interest"), default=False)
    conflict_note = models.TextField(_("about the conflict"), blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer")]


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")]


class Attendance(models.Model):
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="attendance")
    date = models.DateField(_("date"))
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["participation", "date"], name="one_attendance_per_day")]


class Certificate(models.Model):
    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=11, unique=True, default=new_code)
    language = models.CharField(_("language"), max_length=15)
    public = models.BooleanField(
        _("shown on the check page"), default=False,
        help_text=_("Only with the holder's consent."),
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code


class EmailTemplate(models.Model):
    """The words of an e-mail, per language; a call may have its own, else the network's apply."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("application received")
        DRAFT = "draft", _("draft saved")
        ACCEPTED = "accepted", _("accepted")
        WAITLISTED = "waitlisted", _("wait-listed")
        DECLINED = "declined", _("declined")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), null=True, blank=True, on_delete=models.CASCADE, related_name="email_templates"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    subject = TranslatedField(_("subject"))
    body = TranslatedField(
        _("body"),
        help_text=_("May use {name}, {call}, {link} and {deadline}."),
    )

    class Meta:
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="one_template_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.call or _('network')}"
