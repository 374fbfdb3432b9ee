"""The network: regions, countries, organisations and the people in them."""

from django.db import models
from django.utils.translation import gettext, gettext_lazy as _

from cascade.lib.fields import EncryptedEmailField, EncryptedTextField, KeyedHashField, ProtectedQuerySet
from cascade.lib.translated import TranslatedField, pick


class Region(models.Model):
    """A UN M49 geographic sub-region (Central Asia is 143)."""

    code = models.CharField(_("M49 code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return gettext(self.name)


class Country(models.Model):
    """A country by its ISO 3166-1 alpha-2 code; its name follows the reader (cascade.lib.names)."""

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="countries",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """In the reader's language (cascade.lib.names fills the languages django-countries lacks)."""
        from cascade.lib.names import country_name

        return country_name(self.code)


class Organization(models.Model):
    class Kind(models.TextChoices):
        PARTNER = "partner", _("partner")
        CO_ORGANISER = "co-organiser", _("co-organiser")
        FUNDER = "funder", _("funder")
        OTHER = "other", _("other")

    key = models.CharField(
        _("key"), max_length=100, unique=True,
        help_text=_("The identifier used in spreadsheets; it never changes."),
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    # The name as the organisation writes it in other languages ("ОБСЕ" for the OSCE):
    # pages and stories in Russian use it; a language without one falls back to ``name``.
    names = TranslatedField(_("name in other languages"))
    short_names = TranslatedField(_("short name in other languages"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PARTNER)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organizations",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = TranslatedField(_("description"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name_in() or self.name_in()

    def name_in(self, language: str | None = None) -> str:
        """The name in ``language`` (default: the active one) where given, else ``name``."""
        return _own_language(self.names, language) or self.name

    def short_name_in(self, language: str | None = None) -> str:
        """The short name in ``language`` where given, else ``short_name`` (which may be blank)."""
        return _own_language(self.short_names, language) or self.short_name


def _own_language(texts: dict | None, language: str | None) -> str:
    """The text in exactly this language (or its base, ``ar`` for ``ar-ma``); no fallback to
    another language, because an organisation's own ``name`` is the right default."""
    from django.utils import translation

    language = (language or translation.get_language() or "en").lower()
    texts = texts or {}
    return texts.get(language) or texts.get(language.split("-")[0]) or ""


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("signed form")
    ORAL = "oral", _("spoken, with a witness")
    ONLINE = "online", _("online form")
    MESSAGE = "message", _("message (SMS, messenger, email)")


class Person(models.Model):
    class Gender(models.TextChoices):
        WOMAN = "woman", _("woman")
        MAN = "man", _("man")
        OTHER = "other", _("other")
        NOT_STATED = "not stated", _("not stated")

    key = models.CharField(
        _("key"), max_length=100, unique=True,
        help_text=_("The identifier used in spreadsheets; it never changes."),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    gender = models.CharField(
        _("gender"), max_length=20, choices=Gender.choices, default=Gender.NOT_STATED
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="people",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="people",
    )
    # Encrypted at rest (cascade.lib.fields); look people up by email_hash.
    email = EncryptedEmailField(_("email"), max_length=254, blank=True)
    email_hash = KeyedHashField(_("email look-up hash"), source="email")
    phone = EncryptedTextField(_("phone"), max_length=50, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True,
        help_text=_("Language codes, such as [\"ru\", \"kk\"]."),
    )
    # Consent (see docs/security.md): opt-in, with when and how it was given.
    data_consent = models.BooleanField(
        _("consents to data processing"), default=False,
        help_text=_("She agreed that the network keeps her name and contacts."),
    )
    data_consent_date = models.DateField(_("data consent given on"), null=True, blank=True)
    data_consent_how = models.CharField(
        _("data consent given by"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    photo_consent = models.BooleanField(
        _("consents to photos"), default=False,
        help_text=_("She agreed that photos showing her may be published."),
    )
    photo_consent_date = models.DateField(_("photo consent given on"), null=True, blank=True)
    photo_consent_how = models.CharField(
        _("photo consent given by"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    erased_at = models.DateTimeField(
        _("erased"), null=True, blank=True,
        help_text=_("When her personal data was erased; the record only keeps the counts."),
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or gettext("erased person")


class Membership(models.Model):
    """A person's role in an organisation (Gulnara Karakulova, President of SWRC)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="memberships",
    )
    title = TranslatedField(_("title"), help_text=_("Texts by language, such as {\"en\": \"President\"}."))
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("role in an organisation")
        verbose_name_plural = _("roles in organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}, {pick(self.title)}, {self.organization}"
