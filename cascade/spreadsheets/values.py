"""Cell values as staff type them: dates, yes/no and countries, read when unambiguous.

Each reader returns ``(value, None)`` or ``(None, message)``, the message saying how to
fix the cell. What could mean two things (``01/02/2019``: 1 February or 2 January?) is
refused, never guessed.
"""

import datetime
import re
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _, ngettext

from cascade.spreadsheets.schema import NO, YES, cell_text

#: Excel's day 0 (its serial 60 is a 29 February 1900 that never was, so this is right from 1 March 1900).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
#: Serial numbers read as dates: 1 January 1950 to 31 December 2100. A number outside
#: (a year typed alone, 2019) is not a date.
SERIALS = range(18264, 73051)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(?:г|ж|y|yil|с)\.?)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_SHORT_YEAR = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{2})")
_SLASHED = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s+([^\W\d_][^\s\d]*\.?)\s*,?\s+(\d{4})(?:\s*(?:г|года|год|ж|жыл|жылы|y|yil|с|сол)\.?)?",
                    re.UNICODE)
_WORDS_FIRST = re.compile(r"([^\W\d_][^\s\d]*\.?)\s+(\d{1,2}),?\s+(\d{4})", re.UNICODE)


def parse_date(raw) -> tuple[datetime.date | None, str | None]:
    """A date from a spreadsheet date, an Excel serial number or text; (None, None) when blank."""
    if isinstance(raw, datetime.datetime):
        return raw.date(), None
    if isinstance(raw, datetime.date):
        return raw, None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _serial(raw, str(cell_text(raw)))
    text = cell_text(raw)
    if not text:
        return None, None
    text = " ".join(text.split())
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text), text)
    for pattern, order in ((_ISO, "ymd"), (_DOTTED, "dmy")):
        match = pattern.fullmatch(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()[:3])))
            return _made(parts["y"], parts["m"], parts["d"], text)
    match = _SHORT_YEAR.fullmatch(text)
    if match:
        return None, _("“%(value)s” has a two-digit year: write the year in full, as in %(example)s.") % {
            "value": text, "example": "15.01.2019"}
    match = _SLASHED.fullmatch(text)
    if match:
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        if first <= 12 and second <= 12 and first != second:
            return None, _(
                "“%(value)s” could be %(one)s or %(other)s: write it as YYYY-MM-DD (%(one)s is %(one_iso)s) "
                "or as DD.MM.YYYY."
            ) % {"value": text, "one": _day_name(year, second, first), "other": _day_name(year, first, second),
                 "one_iso": _iso(year, second, first)}
        if first > 12:  # only day/month makes sense
            return _made(year, second, first, text)
        return _made(year, first, second, text)  # month/day (or the same either way)
    for pattern, day_at, month_at in ((_WORDS, 0, 1), (_WORDS_FIRST, 1, 0)):
        match = pattern.fullmatch(text)
        if match:
            groups = match.groups()
            month = _months().get(_month_key(groups[month_at]))
            if month:
                return _made(int(groups[2]), month, int(groups[day_at]), text)
    return None, _(
        "“%(value)s” is not a date: write it as YYYY-MM-DD (2019-01-15), DD.MM.YYYY (15.01.2019), "
        "or as a spreadsheet date."
    ) % {"value": text}


def _serial(number: float, text: str):
    if int(number) in SERIALS:  # a fraction is a time of day
        return EXCEL_EPOCH + datetime.timedelta(days=int(number)), None
    return None, _(
        "%(value)s is a number, not a date: write the date as YYYY-MM-DD (2019-01-15) or DD.MM.YYYY (15.01.2019)."
    ) % {"value": text}


def _made(year, month, day, text):
    try:
        return datetime.date(year, month, day), None
    except ValueError:
        return None, _("“%(value)s” is not a day of the calendar.") % {"value": text}


def _iso(year, month, day) -> str:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return "?"


def _day_name(year, month, day) -> str:
    from babel.dates import format_date
    from django.utils.translation import get_language

    try:
        return format_date(datetime.date(year, month, day), "long", locale=(get_language() or "en").replace("-", "_"))
    except Exception:  # an impossible day, or a language babel lacks
        return _iso(year, month, day)


def _month_key(word: str) -> str:
    return word.casefold().rstrip(".").replace("ё", "е")


@lru_cache(maxsize=None)
def _month_words() -> dict[str, set[int]]:
    from babel.dates import get_month_names

    words: dict[str, set[int]] = {}
    for code, _name in settings.LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                try:
                    names = get_month_names(width, context=context, locale=code)
                except Exception:  # a language babel lacks
                    continue
                for month, name in names.items():
                    words.setdefault(_month_key(name), set()).add(month)
    # Russian abbreviations typed without CLDR's spelling
    for month, word in enumerate(("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
                                 start=1):
        words.setdefault(word, set()).add(month)
    return words


@lru_cache(maxsize=None)
def _months() -> dict[str, int]:
    return {word: months.pop() for word, months in _month_words().items() if len(months) == 1}


def yes_no(raw) -> bool | None:
    """True or False from yes/no in any of the accepted words (blank is yes); None when neither."""
    if raw is None or isinstance(raw, bool):
        return True if raw is None else raw
    text = cell_text(raw).casefold().replace("ʻ", "'").replace("‘", "'").replace("’", "'")
    if not text or text in YES:
        return True
    if text in NO:
        return False
    return None


def bad_yes_no(raw) -> str:
    return _("“%(value)s” is not yes or no (also accepted: true/false, 1/0, да/нет, ИСТИНА/ЛОЖЬ, иә/жоқ, ооба/жок, "
             "ha/yo'q, ҳа/не).") % {"value": cell_text(raw)}


#: Cyrillic letters that look like Latin ones, as typed in codes on a Russian keyboard.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХІаеорсухкі", "ABEKMHOPCTYXIaeopcyxki")


def country(raw, codes) -> tuple[str | None, str | None]:
    """An ISO code of ``codes`` from a code (any case) or a country's name in any of the nine languages."""
    text = cell_text(raw)
    if not text:
        return None, None
    code = text.upper()
    if code in codes:
        return code, None
    latin = latin_lookalike(text)
    if latin and len(text) <= 3 and latin.upper() in codes:
        return None, cyrillic_in_code(text, latin.upper())
    named = _country_names().get(_name_key(text))
    if named and named in codes:
        return named, None
    return None, _(
        "“%(value)s” is not a country: write its two-letter code, such as KZ, or its name, such as Kazakhstan."
    ) % {"value": text}


def latin_lookalike(text: str) -> str | None:
    """``text`` with its Cyrillic letters that look Latin made Latin, when it has any (else None)."""
    if not any("\u0400" <= char <= "\u04ff" for char in text):
        return None
    return text.translate(_LOOKALIKES)


def cyrillic_in_code(text: str, latin: str) -> str:
    """The hint for a code typed on a Russian keyboard: which letters are Cyrillic, and the code meant."""
    letters = ", ".join(dict.fromkeys(char for char in text if "\u0400" <= char <= "\u04ff"))
    return ngettext(
        "“%(value)s” has the Cyrillic letter %(letters)s in it: type %(code)s with Latin letters.",
        "“%(value)s” has the Cyrillic letters %(letters)s in it: type %(code)s with Latin letters.",
        len(letters.split(", ")),
    ) % {"value": text, "letters": letters, "code": latin}


def _name_key(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").replace("ʻ", "'").replace("‘", "'").split())


@lru_cache(maxsize=None)
def _country_names() -> dict[str, str]:
    """Country names in the nine languages (CLDR, through babel) and django-countries' English -> code."""
    from babel import Locale
    from django_countries import countries

    found: dict[str, set[str]] = {}
    for code, name in countries:
        found.setdefault(_name_key(str(name)), set()).add(code)
    for language, _name in settings.LANGUAGES:
        try:
            territories = Locale.parse(language).territories
        except Exception:  # a language babel lacks
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha():
                found.setdefault(_name_key(name), set()).add(code)
    return {name: codes.pop() for name, codes in found.items() if len(codes) == 1}
