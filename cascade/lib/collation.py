"""Names sorted the way the reader's alphabet orders them.

Python's ``sorted`` orders by code point: Russian "ОАЭ" before "Австралия" would not
happen, but "Ё", Kazakh "Ә", "Қ", "Ө", "Ү", "Ұ", "І" (code points far after "я") all
land at the end, and upper- and lower-case apart. The Unicode Collation Algorithm
fixes that.

We use ``pyuca`` (pure Python, the Unicode default table, DUCET) rather than PyICU:
PyICU ships no wheels and compiles against the system's libicu-dev, which a partner's
server, a developer's laptop or CI may not have; pyuca installs anywhere pip does.
DUCET already orders Cyrillic letters after their base letters (Ә after А, Қ after К,
Ң after Н, Ө after О, Ү after У), which is Russian, Kyrgyz and Tajik order. Kazakh
alone differs from it, as CLDR's Kazakh tailoring says: Ұ comes before Ү (у < ұ < ү)
and І after Ы (ы < і < ь), not after И. Those two are tailored here by sorting the
letter as its predecessor followed by a character weighing more than any letter.
Uzbek's Latin order (… X Y Z Oʻ Gʻ Sh Ch Ng) is not tailored: its digraphs fall among
the O, G, S, C and N words.
"""

from __future__ import annotations

from functools import lru_cache

from pyuca import Collator

# A noncharacter: unassigned, so its implicit weight is above every letter's.
_AFTER_ALL = "\U0010fffd"

_TAILORING = {
    "kk": str.maketrans({"ұ": "у" + _AFTER_ALL, "Ұ": "У" + _AFTER_ALL,
                         "і": "ы" + _AFTER_ALL, "І": "Ы" + _AFTER_ALL}),
}


@lru_cache(maxsize=1)
def _collator() -> Collator:
    return Collator()


def _language(language: str | None) -> str:
    from django.utils import translation

    return (language or translation.get_language() or "en").split("-")[0].split("_")[0].lower()


@lru_cache(maxsize=4096)
def _key(text: str, language: str) -> tuple:
    table = _TAILORING.get(language)
    return _collator().sort_key(text.translate(table) if table else text)


def sort_key(text, language: str | None = None) -> tuple:
    """A key that sorts ``text`` in ``language``'s alphabetical order (the active language when None)."""
    return _key(str(text or ""), _language(language))


def sorted_by_name(items, name=str, language: str | None = None) -> list:
    """``items`` in the reader's alphabetical order of ``name(item)``."""
    language = _language(language)
    return sorted(items, key=lambda item: sort_key(name(item), language))
