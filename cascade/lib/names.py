"""Names of countries and languages in the reader's language.

django-countries names countries in the languages it has catalogues for (Russian,
Georgian, Arabic, Persian...), but not in Kazakh, Kyrgyz, Uzbek or Tajik, where it
falls back to English. Babel carries the Unicode CLDR's names of every country and
language in all of our languages, so it fills those gaps, and names the languages of
a manual's editions ("манипури тілі" for ``mni``) where Django knows only its own few.
"""

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


@lru_cache(maxsize=64)
def _django_countries_speaks(language: str) -> bool:
    import django_countries

    base = language.split("-")[0].split("_")[0]
    root = Path(django_countries.__file__).parent / "locale"
    return base == "en" or any(path.name.split("_")[0].split("@")[0] == base for path in root.iterdir())


def _reader(language: str | None) -> str:
    return (language or translation.get_language() or "en").lower()


def country_name(code: str, language: str | None = None) -> str:
    """``KZ`` as the reader writes it: "Kazakhstan", "Казахстан", "Қазақстан", "Qozogʻiston"."""
    from django_countries import countries

    if not code:
        return ""
    language = _reader(language)
    if _django_countries_speaks(language):
        with translation.override(language):
            return str(countries.name(code)) or code
    locale = _locale(language)
    name = locale.territories.get(code.upper()) if locale else None
    return name or str(countries.name(code)) or code


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


# --- Countries in a grammatical case ---------------------------------------------------
# Stories need "из Казахстана и Грузии", "Қазақстан мен Грузиядан", "Казакстан менен Грузиядан",
# which no catalogue has. These forms cover the network's region and the demo's countries;
# a country missing here gives "" and the sentence is rephrased so that the nominative fits.
# Cases: ru gen, prep; kk and ky abl (from), gen (of), loc (in).
_COUNTRY_CASES = {
    "ru": {
        "KZ": {"gen": "Казахстана", "prep": "Казахстане"},
        "KG": {"gen": "Кыргызстана", "prep": "Кыргызстане"},
        "GE": {"gen": "Грузии", "prep": "Грузии"},
        "UZ": {"gen": "Узбекистана", "prep": "Узбекистане"},
        "TJ": {"gen": "Таджикистана", "prep": "Таджикистане"},
        "TM": {"gen": "Туркменистана", "prep": "Туркменистане"},
        "RU": {"gen": "России", "prep": "России"},
        "AF": {"gen": "Афганистана", "prep": "Афганистане"},
        "MN": {"gen": "Монголии", "prep": "Монголии"},
        "AZ": {"gen": "Азербайджана", "prep": "Азербайджане"},
        "AM": {"gen": "Армении", "prep": "Армении"},
    },
    "kk": {
        "KZ": {"abl": "Қазақстаннан", "gen": "Қазақстанның", "loc": "Қазақстанда"},
        "KG": {"abl": "Қырғызстаннан", "gen": "Қырғызстанның", "loc": "Қырғызстанда"},
        "GE": {"abl": "Грузиядан", "gen": "Грузияның", "loc": "Грузияда"},
        "UZ": {"abl": "Өзбекстаннан", "gen": "Өзбекстанның", "loc": "Өзбекстанда"},
        "TJ": {"abl": "Тәжікстаннан", "gen": "Тәжікстанның", "loc": "Тәжікстанда"},
        "TM": {"abl": "Түрікменстаннан", "gen": "Түрікменстанның", "loc": "Түрікменстанда"},
        "RU": {"abl": "Ресейден", "gen": "Ресейдің", "loc": "Ресейде"},
        "AF": {"abl": "Ауғанстаннан", "gen": "Ауғанстанның", "loc": "Ауғанстанда"},
        "MN": {"abl": "Моңғолиядан", "gen": "Моңғолияның", "loc": "Моңғолияда"},
        "AZ": {"abl": "Әзербайжаннан", "gen": "Әзербайжанның", "loc": "Әзербайжанда"},
        "AM": {"abl": "Армениядан", "gen": "Арменияның", "loc": "Арменияда"},
    },
    "ky": {
        "KZ": {"abl": "Казакстандан", "gen": "Казакстандын", "loc": "Казакстанда"},
        "KG": {"abl": "Кыргызстандан", "gen": "Кыргызстандын", "loc": "Кыргызстанда"},
        "GE": {"abl": "Грузиядан", "gen": "Грузиянын", "loc": "Грузияда"},
        "UZ": {"abl": "Өзбекстандан", "gen": "Өзбекстандын", "loc": "Өзбекстанда"},
        "TJ": {"abl": "Тажикстандан", "gen": "Тажикстандын", "loc": "Тажикстанда"},
        "TM": {"abl": "Түркмөнстандан", "gen": "Түркмөнстандын", "loc": "Түркмөнстанда"},
        "RU": {"abl": "Россиядан", "gen": "Россиянын", "loc": "Россияда"},
        "AF": {"abl": "Афганистандан", "gen": "Афганистандын", "loc": "Афганистанда"},
        "MN": {"abl": "Монголиядан", "gen": "Монголиянын", "loc": "Монголияда"},
        "AZ": {"abl": "Азербайжандан", "gen": "Азербайжандын", "loc": "Азербайжанда"},
        "AM": {"abl": "Армениядан", "gen": "Армениянын", "loc": "Арменияда"},
    },
}


def country_case(code: str, lang: str, case: str) -> str:
    """``KZ`` in a case: ("KZ", "ru", "gen") is "Казахстана", ("GE", "kk", "abl") "Грузиядан";
    "" when the form is not known, so the caller rephrases rather than glue an ending on."""
    if not code:
        return ""
    base = (lang or "").lower().split("-")[0]
    return _COUNTRY_CASES.get(base, {}).get(code.upper(), {}).get(case, "")
