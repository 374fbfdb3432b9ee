"""The catalogues trainers in Central Asia rely on are complete, and what is shipped is compiled."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from cascade.web.management.commands.translations import REQUIRED, catalogue, coverage

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.mark.parametrize("language", REQUIRED)
def test_the_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    po = polib.pofile(str(catalogue(language)))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"{language}: {len(missing)} entries to translate, such as {missing[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_holds_every_translated_entry(language):
    po = polib.pofile(str(catalogue(language)))
    mo = polib.mofile(str(Path(catalogue(language)).with_suffix(".mo")))
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in mo}
    stale = [e.msgid for e in po.translated_entries() if (e.msgctxt, e.msgid) not in compiled
             or (not e.msgid_plural and compiled[e.msgctxt, e.msgid].msgstr != e.msgstr)]
    assert stale == [], f"{language}: recompile (cascade translations --compile): {stale[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_english(language):
    import re

    placeholder = re.compile(r"%\(\w+\)[sdf]|\{\w+\}")
    po = polib.pofile(str(catalogue(language)))
    wrong = []
    for entry in po.translated_entries():
        expected = set(placeholder.findall(entry.msgid)) | set(placeholder.findall(entry.msgid_plural or ""))
        texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        wrong += [entry.msgid for text in texts if not set(placeholder.findall(text)) <= expected]
    assert wrong == []


def test_the_translations_command_prints_each_languages_coverage(capsys):
    from django.utils import translation

    with translation.override("en"):
        call_command("translations")
    out = capsys.readouterr().out
    for language in LANGUAGES:
        assert f"{language}: " in out
    assert f"ru: {coverage('ru')['percent']}% translated" in out


def test_the_pages_speak_russian_kazakh_and_kyrgyz(admin_client, network):
    from django.urls import reverse

    for language, word in (("ru", "Обзор"), ("kk", "Шолу"), ("ky", "Сереп")):
        admin_client.post(reverse("web:set_language"), {"language": language})
        assert word in admin_client.get(reverse("web:dashboard")).content.decode()
