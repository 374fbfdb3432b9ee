"""Every catalogue keeps to the glossary, and each rule of the check can fail."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cascade.lib import glossary
from cascade.web.management.commands.translations import GLOSSARY_PAGE, catalogue

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
REQUIRED_TERMS = {
    "institute", "step-down", "trainer", "facilitator", "participant", "session", "manual", "edition", "call",
    "applicant", "reviewer", "blind-review", "generation", "reach", "utilisation", "fidelity", "head-count",
    "partner", "co-organiser", "donor", "planned", "held", "cancelled", "cascade", "known-person", "withdrawn",
    "key", "agenda", "certificate", "suppressed"}


def entry(msgid, msgstr="", msgid_plural="", plural=None, msgctxt=None, flags=()):
    e = polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=msgctxt)
    if msgid_plural:
        e.msgid_plural, e.msgstr_plural = msgid_plural, dict(enumerate(plural or []))
    e.flags = list(flags)
    return e


def rules(problems):
    return sorted((p.rule, p.word) for p in problems)


# The catalogues.

@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_keeps_to_the_glossary(language):
    problems = glossary.check(polib.pofile(str(catalogue(language))), language)
    listed = "\n".join(map(str, problems[:15]))
    assert problems == [], f"{language}: {len(problems)} translations drift from the glossary:\n{listed}"


# The glossary itself.

def test_the_glossary_has_every_domain_term_in_every_language():
    data = glossary.load()
    assert REQUIRED_TERMS <= {term["id"] for term in data["term"]}
    for term in data["term"]:
        assert term["definition"] and term["_match"].search(term["en"].split(" (")[0]), term["id"]
        for language in glossary.LANGUAGES:
            rule = term[language]
            assert rule["term"] and rule["forms"], (term["id"], language)
            word = rule["term"].lower()
            assert any(form.lower() in word for form in rule["forms"]), (term["id"], language, "term not accepted")
            assert not any(bad.lower() in word for bad in rule["forbidden"]), (term["id"], language, "term forbidden")


def test_the_glossary_page_is_generated_from_the_glossary_data():
    assert GLOSSARY_PAGE.read_text(encoding="utf-8") == glossary.markdown(), \
        "docs/glossary.md is stale: run `cascade translations --glossary`"


def test_the_glossary_command_writes_the_page(tmp_path):
    call_command("translations", glossary_page=str(tmp_path / "glossary.md"))
    text = (tmp_path / "glossary.md").read_text(encoding="utf-8")
    assert "## trainer utilisation" in text and "задействованность тренеров" in text


# Rule 1: glossary drift.

def test_a_forbidden_word_and_a_missing_term_are_both_named():
    problems = glossary.glossary_drift([entry("Mean fidelity", "Средняя точность")], "ru")
    assert rules(problems) == [("forbidden", "точност"), ("glossary", "соблюдение программы")]
    assert all(p.language == "ru" and p.msgid == "Mean fidelity" for p in problems)


def test_the_glossary_term_passes_in_any_inflected_form():
    entries = [entry("Mean fidelity", "Среднее соблюдение программы"),
               entry("Trainers' record", "Запись тренеров"),
               entry("Sessions you delivered", "Проведённые вами сессии")]
    assert glossary.glossary_drift(entries, "ru") == []


def test_kazakh_manual_must_not_be_the_rejected_word():
    problems = glossary.glossary_drift([entry("The manual's key.", "Нұсқаулықтың кілті.")], "kk")
    assert ("forbidden", "нұсқаулық") in rules(problems)
    assert glossary.glossary_drift([entry("The manual's key.", "Оқу құралының кілті.")], "kk") == []


def test_every_plural_form_is_checked():
    e = entry("%(n)s session", "", msgid_plural="%(n)s sessions",
              plural=["%(n)s сессия", "%(n)s сессии", "%(n)s занятий"])
    assert rules(glossary.glossary_drift([e], "ru")) == [("forbidden", "заняти"), ("glossary", "сессия")]


def test_an_english_word_used_in_another_sense_is_not_checked():
    assert glossary.glossary_drift([entry("Seats held by women in parliament", "Места женщин")], "ru") == []


def test_a_code_kept_in_english_passes():
    e = entry("One of: participant, facilitator, organiser.", "Одно из: participant, facilitator, organiser.")
    assert glossary.glossary_drift([e], "ru") == []


def test_a_placeholder_does_not_count_as_the_term():
    e = entry("Partner: %(partner)s", "Организация: %(partner)s")
    assert rules(glossary.glossary_drift([e], "ru")) == [("glossary", "партнёр")]


def test_untranslated_fuzzy_and_obsolete_entries_are_left_to_the_coverage_check():
    fuzzy = entry("Mean fidelity", "Средняя точность", flags=["fuzzy"])
    obsolete = entry("Trainer utilisation", "Активность тренеров")
    obsolete.obsolete = True
    assert glossary.check([entry("Mean fidelity", ""), fuzzy, obsolete], "ru") == []


# Rule 2: case endings on placeholders.

@pytest.mark.parametrize("language, msgstr, word", [
    ("kk", "Өтінімді %(deadline)s дейін жіберіңіз.", "%(deadline)s дейін"),
    ("kk", "«%(criterion)s» %(low)s-ден %(high)s-ге дейін.", "%(low)s-ден"),
    ("kk", "%(of)d институттың %(n)s-ші", "%(n)s-ші"),
    ("kk", "Файл %(max)sтан үлкен", "%(max)sтан"),
    ("ky", "«%(criterion)s» %(low)s дан", "%(low)s дан"),
    ("ky", "Файл %(max)s'дан чоң", "%(max)s'дан"),
    ("ky", "Аны {deadline} чейин улантыңыз", "{deadline} чейин"),
    ("ru", "Каскадный тренинг в %(city)s", "в %(city)s"),
    ("ru", "Нет наблюдений по %(country)s.", "по %(country)s"),
])
def test_a_case_ending_on_a_placeholder_is_refused(language, msgstr, word):
    problems = glossary.glued_endings([entry("some text %(x)s", msgstr)], language)
    assert ("ending", word) in rules(problems)


@pytest.mark.parametrize("language, msgstr", [
    ("kk", "Мерзімі: %(deadline)s"),
    ("kk", "%(sheet)s парағы, %(row)d-жол"),  # a written ordinal: number, hyphen, noun
    ("kk", "«%(key)s» кілті %(row)s-жолда қолданылған."),
    ("ky", "%(year)s-жылдан бери"),
    ("kk", "%(since)s жылдан бері"),
    ("ru", "Каскадный тренинг — %(city)s"),
    ("ru", "Институт № %(n)s из %(total)s с %(year)s года"),  # numbers read right after a preposition
    ("uz", "%(n)s-chi"),  # checked in ru, kk and ky only
])
def test_a_label_or_a_noun_in_the_right_case_passes(language, msgstr):
    assert glossary.glued_endings([entry("some text %(x)s", msgstr)], language) == []


# Rule 3: left in English.

def test_a_translation_left_in_english_is_refused():
    problems = glossary.same_as_english([entry("Import", "Import")], "uz")
    assert rules(problems) == [("english", "Import")]


@pytest.mark.parametrize("text", ["PDF", "Cascade", "%(where)s: %(reason)s", "https://example.org/x", "%(low)s–%(high)s",
                                  "--bind %(value)s: %(reason)s."])
def test_names_codes_and_bare_placeholders_may_stay_in_english(text):
    assert glossary.same_as_english([entry(text, text)], "ru") == []


# The command.

def _catalogues(root: Path, texts: dict):
    for language in LANGUAGES:
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language}
        for msgid, msgstr in texts.get(language, {"Cascade": "Cascade"}).items():
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
        path = root / language / "LC_MESSAGES"
        path.mkdir(parents=True)
        po.save(str(path / "django.po"))


def test_the_check_fails_naming_language_msgid_and_word(tmp_path, settings, capsys):
    _catalogues(tmp_path, {"ru": {"Mean fidelity": "Средняя точность"},
                           "kk": {"Apply by %(deadline)s.": "Өтінімді %(deadline)s дейін беріңіз."}})
    settings.LOCALE_PATHS = [tmp_path]
    with pytest.raises(CommandError, match="ru, kk"):
        call_command("translations", check=True)
    err = capsys.readouterr().err
    assert "ru: 'Mean fidelity' uses «точност»" in err
    assert "kk: 'Apply by %(deadline)s.' puts a case ending on a placeholder: «%(deadline)s дейін»" in err


def test_the_check_passes_catalogues_that_keep_to_the_glossary(tmp_path, settings):
    _catalogues(tmp_path, {"ru": {"Mean fidelity": "Среднее соблюдение программы"},
                           "kk": {"Apply by %(deadline)s.": "Өтінім беру мерзімі: %(deadline)s."}})
    settings.LOCALE_PATHS = [tmp_path]
    call_command("translations", check=True)
