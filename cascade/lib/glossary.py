"""The glossary of domain terms, and the checks that keep the catalogues to it.

``cascade/locale/glossary.toml`` gives each domain term (institute, step-down, fidelity...) one
translation per language, the stems that accept its inflected forms, and the words that must not
stand for it. Three checks read a catalogue's entries (polib entries, or anything with the same
attributes) and return :class:`Problem` rows that name the language, the msgid and the word:

- :func:`glossary_drift`: a msgid uses a term; its msgstr lacks the language's term or uses a
  forbidden word;
- :func:`glued_endings`: a case ending glued to a placeholder (``%(deadline)s дейін``,
  ``%(low)s-ден``, ``%(n)s-ші``): a placeholder is replaced by a name, a date or a number that cannot
  take the ending. Write a label (``Мерзімі: %(deadline)s``), or put the word in the placeholder's own
  case, and spell ordinals with ``cascade.lib.numbers``;
- :func:`same_as_english`: a msgstr left equal to its English msgid, outside the allow-list.

``cascade translations --check`` runs them; ``cascade translations --glossary`` rewrites
``docs/glossary.md`` from the same data.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

GLOSSARY = Path(__file__).resolve().parent.parent / "locale" / "glossary.toml"
LANGUAGES = ("ru", "kk", "ky", "uz", "tg", "ka", "ar", "fa")
LANGUAGE_NAMES = {"ru": "Russian", "kk": "Kazakh", "ky": "Kyrgyz", "uz": "Uzbek", "tg": "Tajik",
                  "ka": "Georgian", "ar": "Arabic", "fa": "Persian"}
# Languages that inflect a word by gluing an ending to it, where a placeholder cannot carry the ending.
INFLECTING = ("ru", "kk", "ky")

PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}")
# A placeholder followed at once by a letter, or by a hyphen or apostrophe and letters: a case ending.
GLUED = re.compile(r"(%\(\w+\)[sdfi]|%[sdfi]|\{\w*\})((?:[-'’ʼ])?[^\W\d_]+)")


@dataclass(frozen=True)
class Problem:
    language: str
    msgid: str
    rule: str  # "glossary", "forbidden", "ending" or "english"
    word: str
    msgctxt: str | None = None

    def __str__(self):
        where = repr(f"[{self.msgctxt}] {self.msgid}" if self.msgctxt else self.msgid)
        what = {"glossary": _("%(language)s: %(msgid)s lacks the glossary term «%(word)s»."),
                "forbidden": _("%(language)s: %(msgid)s uses «%(word)s», which the glossary forbids here."),
                "ending": _("%(language)s: %(msgid)s puts a case ending on a placeholder: «%(word)s»."),
                "english": _("%(language)s: %(msgid)s is left in English: «%(word)s».")}[self.rule]
        return what % {"language": self.language, "msgid": where, "word": self.word}


@lru_cache(maxsize=4)
def load(path: str | Path = GLOSSARY) -> dict:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    data.setdefault("same_as_english", {})
    for term in data["term"]:
        term["_match"] = re.compile(term["match"], re.IGNORECASE)
        term["_ignore"] = [re.compile(pattern, re.IGNORECASE) for pattern in term.get("ignore", [])]
    return data


def _texts(entry) -> list[str]:
    """The translated texts of an entry (each plural form), or nothing when it is untranslated."""
    if getattr(entry, "msgid_plural", None):
        return [text for text in (entry.msgstr_plural or {}).values() if text]
    return [entry.msgstr] if entry.msgstr else []


def _live(entries):
    for entry in entries:
        if getattr(entry, "obsolete", False) or "fuzzy" in getattr(entry, "flags", ()):
            continue
        yield entry


def _english(entry) -> str:
    return PLACEHOLDER.sub(" ", entry.msgid + " " + (getattr(entry, "msgid_plural", None) or ""))


def glossary_drift(entries, language: str, glossary: dict | None = None) -> list[Problem]:
    """Entries whose msgid uses a glossary term and whose msgstr misses the language's term or uses a
    forbidden word. A msgstr that keeps the English word itself (a code, the name Cascade) passes."""
    glossary = glossary or load()
    problems = []
    for entry in _live(entries):
        texts = _texts(entry)
        if not texts:
            continue
        english = _english(entry)
        for term in glossary["term"]:
            found = term["_match"].search(english)
            if not found or any(pattern.search(english) for pattern in term["_ignore"]):
                continue
            rule = term.get(language)
            if not rule:
                continue
            for text in texts:
                low = PLACEHOLDER.sub(" ", text).lower()
                forms = [form.lower() for form in rule["forms"]]
                if not any(form in low for form in forms) and found.group(0).lower() not in low:
                    problems.append(Problem(language, entry.msgid, "glossary", rule["term"], entry.msgctxt))
                for word in rule.get("forbidden", []):
                    if word.lower() in low:
                        problems.append(Problem(language, entry.msgid, "forbidden", word, entry.msgctxt))
    return problems


def glued_endings(entries, language: str, glossary: dict | None = None) -> list[Problem]:
    """Entries whose msgstr glues a case ending (letters, or a hyphen or apostrophe and letters) to a
    placeholder, or puts a placeholder where a word governs a case it cannot take (the glossary's
    ``[cases]``: ru «в %(city)s», kk «%(deadline)s дейін»). Checked for :data:`INFLECTING` only."""
    if language not in INFLECTING:
        return []
    cases = (glossary or load()).get("cases", {}).get(language, {})
    governed = []
    if cases.get("before"):
        words = "|".join(map(re.escape, cases["before"]))
        names = "|".join(map(re.escape, cases.get("names", []))) or r"\w+"
        governed.append(re.compile(rf"(?<![^\W\d_])(?:{words})\s+%\((?:{names})\)[sd]", re.IGNORECASE))
    if cases.get("after"):
        words = "|".join(map(re.escape, cases["after"]))
        governed.append(re.compile(rf"(?:%\(\w+\)[sdfi]|%[sdfi]|\{{\w*\}})\s+(?:{words})(?![^\W\d_])",
                                   re.IGNORECASE))
    problems = []
    for entry in _live(entries):
        for text in _texts(entry):
            for pattern in [GLUED, *governed]:
                for match in pattern.finditer(text):
                    if pattern is GLUED and _written_ordinal(match, cases.get("ordinal_nouns", ())):
                        continue
                    problems.append(Problem(language, entry.msgid, "ending", match.group(0), entry.msgctxt))
    return problems


def _written_ordinal(match, nouns) -> bool:
    """``%(row)d-жол``: a hyphen and a noun after a number placeholder is the written ordinal (the
    noun may carry its own endings: ``%(row)s-жолда``)."""
    placeholder, rest = match.group(1), match.group(2)
    return rest.startswith("-") and any(rest[1:].lower().startswith(noun) for noun in nouns) \
        and not placeholder.startswith("{")


def same_as_english(entries, language: str, glossary: dict | None = None) -> list[Problem]:
    """Entries translated by their own English text, outside the glossary's allow-list."""
    allowed = (glossary or load())["same_as_english"]
    exact = set(allowed.get("exact", []))
    patterns = [re.compile(pattern) for pattern in allowed.get("patterns", [])]
    problems = []
    for entry in _live(entries):
        originals = {entry.msgid.strip(), (getattr(entry, "msgid_plural", None) or "").strip()} - {""}
        for text in _texts(entry):
            if text.strip() not in originals:
                continue
            bare = PLACEHOLDER.sub("", text).strip()
            if text.strip() in exact or not re.search(r"[^\W\d_]", bare) \
                    or any(pattern.search(text.strip()) for pattern in patterns):
                continue
            problems.append(Problem(language, entry.msgid, "english", text, entry.msgctxt))
    return problems


def check(entries, language: str, glossary: dict | None = None) -> list[Problem]:
    entries = list(entries)
    problems = (glossary_drift(entries, language, glossary) + glued_endings(entries, language, glossary)
                + same_as_english(entries, language, glossary))
    return list(dict.fromkeys(problems))  # plural forms may repeat a problem


def markdown(glossary: dict | None = None) -> str:
    """docs/glossary.md, rendered from the glossary data."""
    glossary = glossary or load()
    lines = [
        "# Glossary",
        "",
        "The domain terms of Cascade, what each means in this product, and its one translation in each",
        "language. Generated from `cascade/locale/glossary.toml` by `cascade translations --glossary`;",
        "edit that file, not this page. `cascade translations --check` fails when a catalogue drifts from",
        "it: a msgid that uses a term must be translated with the language's term (the stems listed accept",
        "its inflected forms), never with a forbidden word.",
        "",
        "The check also refuses a case ending glued to a placeholder in Russian, Kazakh and Kyrgyz",
        "(`%(deadline)s дейін`, `%(low)s-ден`, `%(n)s-ші`): a placeholder becomes a name, a date or a",
        "number that cannot carry the ending. Write a label instead (`Мерзімі: %(deadline)s`), put the",
        "noun in the placeholder's case (`в городе %(city)s`), and spell ordinals with",
        "`cascade/lib/numbers.py`. And it refuses a translation left equal to its English text, except",
        "the names, codes and formats listed at the end of this page.",
        "",
    ]
    for term in glossary["term"]:
        lines += [f"## {term['en']}", "", term["definition"], ""]
        if term.get("notes"):
            lines += [f"*Notes:* {term['notes']}", ""]
        lines += ["| Language | Term | Accepted stems | Forbidden |", "|---|---|---|---|"]
        for language in LANGUAGES:
            rule = term[language]
            forms = ", ".join(rule["forms"])
            forbidden = ", ".join(rule.get("forbidden", [])) or "—"
            lines.append(f"| {LANGUAGE_NAMES[language]} ({language}) | {rule['term']} | {forms} | {forbidden} |")
        lines.append("")
    lines += ["## Placeholders and cases", "",
              "Words that govern a case a placeholder cannot take, refused next to a placeholder:", ""]
    for language, cases in glossary.get("cases", {}).items():
        if cases.get("before"):
            lines.append(f"- {LANGUAGE_NAMES[language]}: before a placeholder for a name "
                         f"({', '.join(cases.get('names', []))}): " + ", ".join(cases["before"]) + ".")
        if cases.get("after"):
            lines.append(f"- {LANGUAGE_NAMES[language]}: after a placeholder: " + ", ".join(cases["after"]) + "; "
                         "a number, a hyphen and one of these nouns is the written ordinal and passes: "
                         + ", ".join(cases.get("ordinal_nouns", [])) + ".")
    lines.append("")
    allowed = glossary["same_as_english"]
    lines += ["## Left in English", "",
              "Translations may equal the English text only for these: " +
              ", ".join(f"`{word}`" for word in allowed.get("exact", [])) +
              "; and whole texts matching " + ", ".join(f"`{p}`" for p in allowed.get("patterns", [])) + ".",
              ""]
    return "\n".join(lines)
