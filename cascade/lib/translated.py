"""Multilingual user content stored as JSON ``{language: text}``.

Columns per language (django-modeltranslation) do not scale to the 20+ languages
of a manual's editions, and django-i18nfield keeps JSON in a text column that the
database cannot query; a JSONField with one fallback rule is all we need.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

FALLBACK_LANGUAGE = "en"
# Readers of these languages in Central Asia read Russian far more often than English:
# a title missing in Kazakh is shown in Russian before English.
REGIONAL_FALLBACKS = {"kk": ("ru",), "ky": ("ru",), "uz": ("ru",), "tg": ("ru",)}


def pick(value, language: str | None = None) -> str:
    """The text of ``value`` in ``language`` (default: the active one).

    Falls back to the base language (``ar`` for ``ar-ma``), then the region's lingua
    franca (Russian for Kazakh, Kyrgyz, Uzbek and Tajik), then English, then the first
    text there is, so a page never shows an empty title.
    """
    return pick_first(value, language=language)


def pick_first(*values, language: str | None = None) -> str:
    """Like :func:`pick`, over several texts of one thing, in order of preference (an agenda
    item's own title, then its manual session's): the first that has the reader's language,
    then the first that has a fallback language (a Kazakh reader gets a Russian title before
    an English one, whichever of them holds it), then the first text there is."""
    values = [value for value in values if value]
    for value in values:
        if isinstance(value, str):
            return value
    language = (language or translation.get_language() or FALLBACK_LANGUAGE).lower()
    base = language.split("-")[0]
    for code in (language, base, *REGIONAL_FALLBACKS.get(base, ()), FALLBACK_LANGUAGE):
        for value in values:
            if value.get(code):
                return value[code]
    for value in values:
        for text in value.values():
            if text:
                return text
    return ""


def as_translations(value, language: str = FALLBACK_LANGUAGE) -> dict:
    """Accept a plain string (taken as ``language``) or a dict; return a dict."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        return {language: value}
    return dict(value)


def validate_translations(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("Expected texts by language, such as {\"en\": \"...\"}."))
    for code, text in value.items():
        if not isinstance(code, str) or not code or len(code) > 15:
            raise ValidationError(_("“%(code)s” is not a language code.") % {"code": code})
        if not isinstance(text, str):
            raise ValidationError(_("The text for “%(code)s” must be text.") % {"code": code})


class TranslatedField(models.JSONField):
    """A JSON ``{language: text}`` field; read it with :func:`pick`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        validators = list(kwargs.pop("validators", []))
        validators.append(validate_translations)
        super().__init__(*args, validators=validators, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def save_form_data(self, instance, data):
        """A :class:`LanguageText` from :class:`TranslatedTextFormField` changes one language only."""
        if isinstance(data, LanguageText):
            data = with_text(getattr(instance, self.attname), data.language, data.text)
        super().save_form_data(instance, data)


def with_text(value, language: str, text: str) -> dict:
    """``value`` with ``text`` as its ``language``'s; empty text removes that language.

    Text left as shown (a fallback, such as the Russian title on a Kazakh page) is not
    copied into ``language``: saving a form unchanged changes no title.
    """
    value = dict(value or {})
    text = (text or "").strip()
    if text and text == pick(value, language) and value.get(language) != text:
        return value
    if text:
        value[language] = text
    else:
        value.pop(language, None)
    return value


class LanguageText(str):
    """Text typed in one language, for :meth:`TranslatedField.save_form_data`."""

    def __new__(cls, text: str, language: str):
        obj = super().__new__(cls, text)
        obj.text, obj.language = text, language
        return obj


class TranslatedTextFormField(forms.CharField):
    """A TranslatedField edited as plain text in the page's language; the other languages are kept.

    Shows the text that readers of this language see (:func:`pick`, fallbacks included) rather
    than the raw ``{"ru": "…"}`` a JSONField shows. Switch the page's language to edit another.
    """

    def __init__(self, *args, **kwargs):
        for name in ("encoder", "decoder", "max_length"):
            kwargs.pop(name, None)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return value.get((translation.get_language() or FALLBACK_LANGUAGE).lower(), "") or pick(value)
        return super().prepare_value(value)

    def to_python(self, value):
        return LanguageText(super().to_python(value), (translation.get_language() or FALLBACK_LANGUAGE).lower())

    def has_changed(self, initial, data):
        return self.prepare_value(initial or {}) != (data or "").strip()


class TranslatedAsTextAdmin:
    """For a ModelAdmin or inline: TranslatedFields as text in the page's language (not JSON)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, TranslatedField):
            return TranslatedTextFormField(
                label=db_field.verbose_name, required=not db_field.blank,
                help_text=_("In the language of this page; the other languages are kept."),
                widget=forms.TextInput(attrs={"class": "vTextField"}))
        return super().formfield_for_dbfield(db_field, request, **kwargs)
