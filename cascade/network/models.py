"""The network: regions, countries, organisations and the people in them."""

from django.db import models
from django.utils.translation import gettext, gettext_lazy as _, pgettext_lazy

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


# Readers of Kazakh, Kyrgyz and Tajik read a place's Russian (Cyrillic) name before its Latin one;
# Uzbek is written in Latin script, so its readers get the Latin name.
CYRILLIC_FALLBACK = {"kk": ("ru",), "ky": ("ru",), "tg": ("ru",)}


class Place(models.Model):
    """A city, town or village, named in each language the network reads.

    Chosen from the gazetteer shipped with the package (``cascade.network.places``, from
    GeoNames) or added by staff. ``names`` holds the name per language ({"ru": "Шымкент",
    "ar": "شيمكنت"}); ``forms`` the case forms a sentence needs where a language declines
    the name ({"ru": {"prep": "Шымкенте"}}); ``alternate_names`` every other spelling
    known (old names, transliterations), so a name typed in any script finds the place.
    """

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="places",
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("The name in Latin script, as in English."))
    names = TranslatedField(_("name in other languages"))
    forms = models.JSONField(_("case forms"), default=dict, blank=True)
    alternate_names = models.JSONField(_("other spellings"), default=list, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames ID"), null=True, blank=True, unique=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = pgettext_lazy("a city, town or village", "place")
        verbose_name_plural = pgettext_lazy("cities, towns or villages", "places")

    def __str__(self) -> str:
        return self.name_in()

    def name_in(self, language: str | None = None) -> str:
        """The name in ``language`` (default: the active one), else the Latin ``name``."""
        from django.utils import translation

        language = (language or translation.get_language() or "en").lower()
        for code in (language, *CYRILLIC_FALLBACK.get(language.split("-")[0], ())):
            text = _own_language(self.names, code)
            if text:
                return text
        return self.name

    def form_in(self, case: str, language: str | None = None) -> str:
        """The name in a grammatical case ("Шымкенте" for ``prep`` in Russian), or "" when not known."""
        from django.utils import translation

        language = (language or translation.get_language() or "en").lower()
        forms = self.forms or {}
        return (forms.get(language) or forms.get(language.split("-")[0]) or {}).get(case, "")


class Located:
    """Trainings, people and organisations point to a :class:`Place`; ``city`` keeps the text as
    typed, shown only while no place is chosen."""

    def place_name(self, language: str | None = None) -> str:
        place = getattr(self, "place", None)
        return place.name_in(language) if place else self.city

    def place_form(self, case: str, language: str | None = None) -> str:
        """The place in a grammatical case («Шымкенте» for ``prep`` in Russian) where known, else its name
        in ``language`` (indeclinable names such as «Алматы» have their form stored too), else the city typed."""
        place = getattr(self, "place", None)
        return (place.form_in(case, language) or place.name_in(language)) if place else self.city

    @property
    def city_name(self) -> str:
        """For templates: the place in the reader's language, else the city as typed."""
        return self.place_name()


class Organization(Located, models.Model):
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
    place = models.ForeignKey(
        Place, verbose_name=pgettext_lazy("a city, town or village", "place"), null=True, blank=True, on_delete=models.PROTECT, related_name="organizations",
    )
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


class Person(Located, models.Model):
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
    place = models.ForeignKey(
        Place, verbose_name=pgettext_lazy("a city, town or village", "place"), null=True, blank=True, on_delete=models.PROTECT, related_name="people",
    )
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
