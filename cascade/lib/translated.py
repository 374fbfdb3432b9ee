"""Multilingual user content stored as JSON ``{language: text}``.

Columns per language (django-modeltranslation) do not scale to the 20+ languages
of a manual's editions, and django-i18nfield keeps JSON in a text column that the
database cannot query; a JSONField with one fallback rule is all we need.
"""

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
