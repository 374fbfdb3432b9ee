"""Names of countries and languages in the reader's language.

Every country name users see comes from :func:`country_name`, always in the
nominative. Its sources, first found wins:

1. ``data/country_forms.json``: the names the region itself writes where CLDR differs
   ("Кыргызстан", not "Киргизия"; "США"; "Палестина"), with their case forms
   (:func:`country_case`);
2. English: django-countries' names (the ISO names, shortened);
3. other languages: Babel's Unicode CLDR names. django-countries' own catalogues are not
   used: they lack Kazakh, Kyrgyz, Uzbek and Tajik, and the Russian one has names in the
   genitive ("Либерии", "Мьянмы") and "Киргизия";
4. django-countries' English name, then the code.

Babel also names the languages of a manual's editions ("манипури тілі" for ``mni``)
where Django knows only its own few.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from django.utils import translation


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        base = language.split("-")[0].split("_")[0]
        return _locale(base) if base != language else None


def _reader(language: str | None) -> str:
    return (language or translation.get_language() or "en").lower()


@lru_cache(maxsize=1)
def _forms() -> dict:
    with open(Path(__file__).parent / "data" / "country_forms.json", encoding="utf-8") as handle:
        return {lang: table for lang, table in json.load(handle).items() if not lang.startswith("_")}


# CLDR adds a second name in brackets to a few ("Мьянма (Бирма)", "Гонконг (САР)").
_BRACKETED = {"MM", "HK", "MO"}


def country_name(code: str, language: str | None = None) -> str:
    """``KZ`` as the reader writes it, in the nominative: "Kazakhstan", "Казахстан",
    "Қазақстан", "Qozogʻiston"; ``KG`` in Russian is "Кыргызстан"."""
    if not code:
        return ""
    return _country_name(code.upper(), _reader(language))


@lru_cache(maxsize=4096)
def _country_name(code: str, language: str) -> str:
    """Cached: lists and the persona walk ask for the same few names thousands of times."""
    from django_countries import countries

    base = language.split("-")[0].split("_")[0]
    own = _forms().get(base, {}).get(code)
    if own:
        return own["nom"]
    with translation.override("en"):
        english = str(countries.name(code))
    if base == "en":
        return english or code
    locale = _locale(language)
    name = locale.territories.get(code) if locale else None
    if name and code in _BRACKETED:
        name = re.sub(r"\s*\([^)]*\)$", "", name)
    if name and base == "ru":  # CLDR abbreviates islands: "о-ва Кука", "о-в Св. Елены"
        name = re.sub(r"\bо-ва\b", "острова", re.sub(r"\bо-в\b", "остров", name)).replace("Св. ", "Святой ")
    return name or english or code


def country_case(code: str, language: str | None, case: str) -> str:
    """``code`` in a grammatical case, or "" where the table has no form (the writer then
    rephrases). Russian: nom, gen ("Казахстана"), dat, prep ("Казахстане"); Kazakh and
    Kyrgyz: nom, gen ("Қазақстанның"), dat, loc ("Қазақстанда"), abl ("Қазақстаннан")."""
    if not code:
        return ""
    base = _reader(language).split("-")[0].split("_")[0]
    return _forms().get(base, {}).get(code.upper(), {}).get(case, "")


def language_name(code: str, language: str | None = None) -> str:
    """The language ``code`` named in the reader's language ("es" is "испанский" in Russian)."""
    if not code:
        return ""
    for reader in (_reader(language), "en"):
        locale = _locale(reader)
        if locale:
            name = locale.languages.get(code.replace("-", "_")) or locale.languages.get(code.split("-")[0])
            if name:
                return name
    return code


@lru_cache(maxsize=1)
def _known_languages() -> frozenset[str]:
    return frozenset(code.lower() for code in Locale.parse("en").languages)


def is_known_language(code: str) -> bool:
    """A language code CLDR knows ("ru", "mni", "pt-br"), not merely one shaped like it ("zz")."""
    code = code.lower().replace("_", "-")
    return code.replace("-", "_") in _known_languages() or code.split("-")[0] in _known_languages()
