"""Numbers for writers: in words where a library spells them right, otherwise as
numerals with the language's own ordinal marker, and rounded the way writers round.

num2words spells en, ru (with gender and case), tg, fa and ar cardinals; it has no
Kyrgyz, Uzbek or Georgian, and no Kazakh ordinals. Rather than fall back to English
(which is what ICU does for uz and tg), those languages get "16-шы", "16-чы",
"16-", "მე-16". Small cardinals used in compounds ("a three-day training") are
tabled here for the languages num2words lacks.

Kazakh and Kyrgyz write a case or possessive ending after a numeral with a hyphen
("16-сы", "5-ке", "10-нан"), and which ending depends on how the number is read
aloud: :func:`suffix` gives it, so a translation never glues a fixed ending after a
placeholder (that is right for some numbers only).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format
from num2words import num2words

# Our gender and case names -> num2words' Russian codes.
GENDERS = {"m": "m", "f": "f", "n": "n"}
CASES = {"nom": "n", "gen": "g", "dat": "d", "acc": "a", "ins": "i", "prep": "p"}

# Languages whose num2words converter we trust, under num2words' own code.
_SPELLED = {"en": "en", "ru": "ru", "tg": "tg", "fa": "fa", "ar": "ar", "kk": "kz"}
_ORDINALS_SPELLED = {"en", "ru", "tg", "fa"}

# Small cardinals for compounds, where num2words has no converter.
_SMALL = {
    "ky": "бир эки үч төрт беш алты жети сегиз тогуз он".split(),
    "uz": "bir ikki uch toʻrt besh olti yetti sakkiz toʻqqiz oʻn".split(),
    "ka": "ერთი ორი სამი ოთხი ხუთი ექვსი შვიდი რვა ცხრა ათი".split(),
}

# The last word spoken decides the Kazakh and Kyrgyz marker's vowel. Keys: the
# units digit 1-9, tens 10-90, then 100, 1000, 10**6.
_KK_LAST = {
    1: "бір", 2: "екі", 3: "үш", 4: "төрт", 5: "бес", 6: "алты", 7: "жеті", 8: "сегіз",
    9: "тоғыз", 10: "он", 20: "жиырма", 30: "отыз", 40: "қырық", 50: "елу", 60: "алпыс",
    70: "жетпіс", 80: "сексен", 90: "тоқсан", 100: "жүз", 1000: "мың", 10**6: "миллион",
}
_KY_LAST = {
    1: "бир", 2: "эки", 3: "үч", 4: "төрт", 5: "беш", 6: "алты", 7: "жети", 8: "сегиз",
    9: "тогуз", 10: "он", 20: "жыйырма", 30: "отуз", 40: "кырк", 50: "элүү", 60: "алтымыш",
    70: "жетимиш", 80: "сексен", 90: "токсон", 100: "жүз", 1000: "миң", 10**6: "миллион",
}


def _last_word_key(n: int) -> int:
    """Which word is said last when ``n`` is read aloud (356 -> 6, 350 -> 50, 300 -> 100)."""
    if n == 0:
        return 0
    if n % 10:
        return n % 10
    if n % 100:
        return n % 100
    if n % 1000:
        return 100
    if n % 10**6:
        return 1000
    return 10**6


def _last_vowel(word: str, vowels: str) -> str:
    for letter in reversed(word):
        if letter in vowels:
            return letter
    return ""


def _kazakh_back(n: int) -> bool:
    # In Kazakh у and и are glides, so елу is a front word (елуінші).
    return _last_vowel(_KK_LAST.get(_last_word_key(n), "нөл"), "аәоөұүыіеэя") in "аоұыя"


def _kazakh_marker(n: int) -> str:
    """Back words take -шы (алтыншы), front ones -ші (бірінші)."""
    return "шы" if _kazakh_back(n) else "ші"


def _kyrgyz_last_vowel(n: int) -> str:
    return _last_vowel(_KY_LAST.get(_last_word_key(n), "нөл"), "аыеиоуөүэюя")


def _kyrgyz_vowel(n: int) -> str:
    """The low vowel of a suffix (а, е, о, ө) by four-way harmony with the last word's
    last vowel; after у it is а, not о (тогузга, отуздан but онго, ондон)."""
    return {"а": "а", "ы": "а", "я": "а", "у": "а", "ю": "а", "о": "о", "ө": "ө", "ү": "ө"}.get(
        _kyrgyz_last_vowel(n), "е")


def _kyrgyz_high_vowel(n: int) -> str:
    """The high vowel of a suffix (ы, и, у, ү): тогузу, ону, үчү, бири."""
    return {"а": "ы", "ы": "ы", "я": "ы", "о": "у", "у": "у", "ю": "у", "ө": "ү", "ү": "ү"}.get(
        _kyrgyz_last_vowel(n), "и")


def _kyrgyz_marker(n: int) -> str:
    return "ч" + _kyrgyz_high_vowel(n)


# Sounds at the end of the last word. In Kazakh у and и end a word as glides, so they
# count with the voiced consonants (елуге, елуден, елудің); in Kyrgyz у/ү are vowels.
_VOICELESS = set("пфкқтсшщчхцһ")
_NASALS = set("мнң")
_VOWELS = {"kk": set("аәоөұүыіеэяюё"), "ky": set("аоөуүыиеэяюё")}

#: Kazakh and Kyrgyz case and possessive endings after a numeral, as initial consonant
#: by the last sound (vowel, voiced, voiceless, nasal) + vowel class ("low" a/e, or
#: "high" ы/і in Kazakh, ы/и/у/ү in Kyrgyz) + final consonant. A ``None`` consonant
#: means none is written (бірі, оны).
_ENDINGS = {
    "kk": {
        #             vowel  voiced voiceless nasal  vowel-class  tail
        "possessive": ("с", None, None, None, "high", ""),
        "dative": ("ғ", "ғ", "қ", "ғ", "low", ""),
        "locative": ("д", "д", "т", "д", "low", ""),
        "ablative": ("д", "д", "т", "н", "low", "н"),
        "genitive": ("н", "д", "т", "н", "high", "ң"),
    },
    "ky": {
        "possessive": ("с", None, None, None, "high", ""),
        "dative": ("г", "г", "к", "г", "low", ""),
        "locative": ("д", "д", "т", "д", "low", ""),
        "ablative": ("д", "д", "т", "д", "low", "н"),
        "genitive": ("н", "д", "т", "д", "high", "н"),
    },
}

#: The kinds :func:`suffix` knows.
SUFFIX_KINDS = ("ordinal", "possessive", "dative", "locative", "ablative", "genitive")


def _last_word(n: int, lang: str) -> str:
    return (_KK_LAST if lang == "kk" else _KY_LAST).get(_last_word_key(n), "нөл")


def _sound(word: str, lang: str) -> str:
    last = word[-1]
    if last in _VOWELS[lang]:
        return "vowel"
    if last in _NASALS:
        return "nasal"
    return "voiceless" if last in _VOICELESS else "voiced"


def _kazakh_vowel(n: int, height: str) -> str:
    back = _kazakh_back(n)
    if height == "high":
        return "ы" if back else "і"
    return "а" if back else "е"


def _kyrgyz_vowel_of(n: int, height: str) -> str:
    return _kyrgyz_vowel(n) if height == "low" else _kyrgyz_high_vowel(n)


def _ending(n: int, lang: str, kind: str) -> str:
    if kind == "ordinal":
        return _kazakh_marker(n) if lang == "kk" else _kyrgyz_marker(n)
    vowel_c, voiced_c, voiceless_c, nasal_c, height, tail = _ENDINGS[lang][kind]
    consonant = {"vowel": vowel_c, "voiced": voiced_c, "voiceless": voiceless_c,
                 "nasal": nasal_c}[_sound(_last_word(n, lang), lang)]
    if lang == "kk":
        vowel = _kazakh_vowel(n, height)
        if not _kazakh_back(n):  # қ and ғ go with back vowels only: онға but екіге, беске
            consonant = {"ғ": "г", "қ": "к"}.get(consonant, consonant)
    else:
        vowel = _kyrgyz_vowel_of(n, height)
    return f"{consonant or ''}{vowel}{tail}"


def suffix(n: int, lang: str | None = None, kind: str = "ordinal") -> str:
    """``n`` with the Kazakh or Kyrgyz ending of ``kind`` joined by a hyphen: "16-сы", "5-ке".

    The ending follows the number as it is read aloud: the last word's last sound picks
    the consonant (after a vowel, a voiced, a voiceless consonant or a nasal) and its
    last vowel the vowel (two-way harmony in Kazakh, four-way in Kyrgyz). Kinds:
    ``ordinal`` (16-шы, 16-чы), ``possessive`` of the third person (16-сы: "the 16th of
    them"), ``dative`` (5-ке), ``locative`` (5-те), ``ablative`` (5-тен), ``genitive``
    (5-тің). Other languages get the bare number: their sentences put it without an ending.
    """
    lang = language_of(lang)
    if kind not in SUFFIX_KINDS:
        raise ValueError(f"unknown suffix kind: {kind}")
    n = int(n)
    if lang not in ("kk", "ky") or n < 0:
        return str(n)
    return f"{n}-{_ending(n, lang, kind)}"


def _ablative(n: int, lang: str) -> str:
    """The "from/than" case ending after a numeral: 350-ден, 65-тен, 1000-нан; 350-дөн."""
    return _ending(n, lang, "ablative")


def language_of(lang: str | None) -> str:
    return (lang or translation.get_language() or "en").split("-")[0].lower()


def format_number(value, lang: str | None = None, decimals: int | None = None) -> str:
    """A numeral grouped and punctuated the locale's way (Django has no kk formats)."""
    lang = language_of(lang)
    # Kazakh writes numbers as Russian does (CLDR: "1 234,5").
    with translation.override("ru" if lang == "kk" else lang):
        return number_format(value, decimals, force_grouping=True)


def cardinal(n: int, lang: str | None = None, gender: str = "m", case: str = "nom") -> str:
    """``n`` in words; the numeral where no library or table spells it."""
    lang = language_of(lang)
    if lang == "ru":
        return num2words(n, lang="ru", gender=GENDERS[gender], case=CASES[case])
    if lang in _SPELLED:
        return num2words(n, lang=_SPELLED[lang])
    if lang in _SMALL and 1 <= n <= len(_SMALL[lang]):
        return _SMALL[lang][n - 1]
    return format_number(n, lang)


def ordinal(n: int, lang: str | None = None, gender: str = "m", case: str = "nom") -> str:
    """``n`` as an ordinal: words (en, ru, tg, fa) or a numeral with the marker."""
    lang = language_of(lang)
    if lang == "ru":
        return num2words(n, lang="ru", to="ordinal", gender=GENDERS[gender], case=CASES[case])
    if lang in _ORDINALS_SPELLED:
        return num2words(n, lang=_SPELLED[lang], to="ordinal")
    return ordinal_numeral(n, lang, gender)


def ordinal_numeral(n: int, lang: str | None = None, gender: str = "m") -> str:
    """An ordinal written with digits: "16th", "16-й", "16-шы", "16-чы", "16-", "მე-16"."""
    lang = language_of(lang)
    if lang == "en":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    if lang == "ru":
        return f"{n}-{ {'m': 'й', 'f': 'я', 'n': 'е'}[gender] }"
    if lang == "kk":
        return f"{n}-{_kazakh_marker(n)}"
    if lang == "ky":
        return f"{n}-{_kyrgyz_marker(n)}"
    if lang == "uz":
        return f"{n}-"
    if lang == "tg":
        return f"{n}-ум"
    if lang == "ka":
        return "1-ლი" if n == 1 else f"მე-{n}"
    if lang == "ar":
        return f"الـ{n}"
    if lang == "fa":
        return f"{n}م"
    return str(n)


# --- Writers' rounding -----------------------------------------------------------

def round_for_writers(n: int) -> tuple[int, bool]:
    """``(round number not above n, whether n is strictly greater)``.

    Below 20 the figure stays exact. Above, the step is half the leading unit:
    5 below 100, 50 below 1,000, 500 below 10,000 ... so 356 -> 350, 67 -> 65,
    1,234 -> 1,000. Rounding is always down: a writer may understate, never overstate.
    """
    n = int(n)
    if n < 20:
        return n, False
    step = 5 * 10 ** (len(str(n)) - 2)
    rounded = n - n % step
    return rounded, n > rounded


def more_than(n: int, lang: str | None = None, word: str = "more") -> str:
    """ "more than 350" / "over 65" / "350" for a figure as writers put it."""
    lang = language_of(lang)
    rounded, exceeded = round_for_writers(n)
    numeral = format_number(rounded, lang)
    if not exceeded:
        return numeral
    if lang in ("kk", "ky"):
        numeral = f"{numeral}-{_ablative(rounded, lang)}"
    phrases = _MORE_THAN.get(lang, _MORE_THAN["en"])
    return phrases[word if word in phrases else "more"].format(numeral)


_MORE_THAN = {
    "en": {"more": "more than {}", "over": "over {}"},
    "ru": {"more": "более {}", "over": "свыше {}"},
    "kk": {"more": "{} астам"},
    "ky": {"more": "{} ашык"},
    "uz": {"more": "{} dan ortiq"},
    "tg": {"more": "зиёда аз {}"},
    "ka": {"more": "{}-ზე მეტი"},
    "ar": {"more": "أكثر من {}"},
    "fa": {"more": "بیش از {}"},
}


def plural(n: int, lang: str | None, one: str, few: str | None = None, many: str | None = None) -> str:
    """A noun form for ``n`` by the CLDR rule (ru: one/few/many; en: one/other).

    For writers' own sentences in a language module; user-interface text uses ngettext.
    """
    lang = language_of(lang)
    few = few or one
    many = many or few
    if lang in ("ru", "uk", "be"):
        if n % 10 == 1 and n % 100 != 11:
            return one
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return few
        return many
    if lang in ("kk", "ky", "uz", "tg", "ka", "fa"):
        return one  # nouns after a numeral stay singular
    return one if n == 1 else few


# --- Durations ------------------------------------------------------------------

_RU_DAYS = ["одно", "двух", "трёх", "четырёх", "пяти", "шести", "семи", "восьми", "девяти", "десяти"]
_RU_ADJ = {  # hard-stem adjective endings by case and gender (inanimate accusative)
    "nom": {"m": "ый", "f": "ая", "n": "ое"},
    "gen": {"m": "ого", "f": "ой", "n": "ого"},
    "dat": {"m": "ому", "f": "ой", "n": "ому"},
    "acc": {"m": "ый", "f": "ую", "n": "ое"},
    "ins": {"m": "ым", "f": "ой", "n": "ым"},
    "prep": {"m": "ом", "f": "ой", "n": "ом"},
}
_KA_STEMS = "ერთ ორ სამ ოთხ ხუთ ექვს შვიდ რვა ცხრა ათ".split()


def duration(days: int, lang: str | None = None, gender: str = "m", case: str = "nom") -> str:
    """How long an event lasted, as an adjective: "three-day", "трёхдневный", "үш күндік"."""
    lang = language_of(lang)
    if lang == "en":
        return f"{num2words(days, lang='en') if days <= 10 else days}-day"
    if lang == "ru":
        stem = _RU_DAYS[days - 1] if 1 <= days <= 10 else f"{days}-"
        return f"{stem}дневн{_RU_ADJ[case][gender]}"
    if lang == "kk":
        return f"{cardinal(days, 'kk') if days <= 10 else days} күндік"
    if lang == "ky":
        return f"{cardinal(days, 'ky')} күндүк"
    if lang == "uz":
        return f"{cardinal(days, 'uz')} kunlik"
    if lang == "tg":
        return f"{cardinal(days, 'tg') if days <= 10 else days}рӯза"
    if lang == "ka":
        return f"{_KA_STEMS[days - 1] if 1 <= days <= 10 else str(days) + '-'}დღიანი"
    if lang == "fa":
        return f"{cardinal(days, 'fa') if days <= 10 else days}\u200cروزه"
    if lang == "ar":
        if days == 1:
            return "ليوم واحد"
        if days == 2:
            return "ليومين"
        if days <= 10:
            return f"لمدة {cardinal(days, 'ar')} أيام"
        return f"لمدة {days} يومًا"
    return f"{days}"


def with_article(phrase: str) -> str:
    """English "a"/"an" by sound: "an eight-day", "an 11-day", "a three-day"."""
    head = phrase.split("-")[0].lower()
    vowel_sound = (head[:1] in "aeio" and not head.startswith("one")) or head in ("11", "18") or head.startswith("8")
    return f"{'an' if vowel_sound else 'a'} {phrase}"


def decimal_text(value: Decimal | float, lang: str | None = None) -> str:
    """A measured value such as 6 or 27.5, without trailing zeros, in the locale's style."""
    value = Decimal(str(value)).normalize()
    decimals = max(0, -value.as_tuple().exponent)
    return format_number(value, lang, decimals)
