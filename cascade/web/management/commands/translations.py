"""``cascade translations``: each language's catalogue coverage, and compiling without gettext.

``--compile`` writes the .mo files with polib, so a machine without GNU gettext
(``apt-get install gettext``) can still build them; ``makemessages`` itself does
need gettext (developers only: the .po and .mo files are kept in git).

``--check`` fails unless the ru, kk and ky catalogues are complete and every catalogue keeps to the
glossary (``cascade/locale/glossary.toml``): its terms and none of its forbidden words, no case ending
glued to a placeholder in ru, kk and ky, and nothing left in English outside the allow-list
(``cascade/lib/glossary.py``). ``--glossary`` rewrites docs/glossary.md from the glossary.
"""

from pathlib import Path

import polib
from django.conf import settings
from cascade.lib import glossary
from cascade.lib.commands import BaseCommand, CommandError
from django.utils.translation import gettext as _, gettext_lazy, ngettext

# Catalogues that must be complete: the languages of the network's trainers in Central Asia.
REQUIRED = ("ru", "kk", "ky")
GLOSSARY_PAGE = Path(settings.BASE_DIR).parent / "docs" / "glossary.md"


def catalogue(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def coverage(language: str) -> dict:
    """Counts of translated, untranslated and fuzzy entries of one language's catalogue."""
    po = polib.pofile(str(catalogue(language)))
    entries = [e for e in po if not e.obsolete]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    translated = [e for e in entries if e.translated() and e not in fuzzy]
    return {"language": language, "entries": len(entries), "translated": len(translated),
            "fuzzy": len(fuzzy), "untranslated": len(entries) - len(translated) - len(fuzzy),
            "percent": round(100 * len(translated) / len(entries), 1) if entries else 100.0}


class Command(BaseCommand):
    help = gettext_lazy("Print each language's translation coverage; --compile writes the .mo files.")

    def add_arguments(self, parser):
        parser.add_argument("--compile", action="store_true",
                            help=gettext_lazy("Compile the .po catalogues to .mo with polib (no gettext needed)."))
        parser.add_argument("--check", action="store_true",
                            help=gettext_lazy("Fail unless the ru, kk and ky catalogues are complete and every "
                                              "catalogue keeps to the glossary."))
        parser.add_argument("--glossary", nargs="?", const=str(GLOSSARY_PAGE), default=None, metavar="FILE",
                            dest="glossary_page",
                            help=gettext_lazy("Write the glossary page (docs/glossary.md) from the glossary data."))

    def handle(self, *args, compile, check, glossary_page=None, **options):
        if glossary_page:
            Path(glossary_page).write_text(glossary.markdown(), encoding="utf-8")
            self.stdout.write(_("Wrote the glossary to %(file)s.") % {"file": glossary_page})
            return
        languages = [code for code, _name in settings.LANGUAGES if code != "en"]
        incomplete, problems = [], []
        for language in languages:
            if not catalogue(language).exists():
                raise CommandError(_("%(language)s: no catalogue at %(path)s; run makemessages.")
                                   % {"language": language, "path": catalogue(language)})
            row = coverage(language)
            self.stdout.write(
                _("%(language)s: %(percent)s%% translated (%(translated)s of %(entries)s; "
                  "%(untranslated)s untranslated, %(fuzzy)s fuzzy)") % row)
            if language in REQUIRED and (row["untranslated"] or row["fuzzy"]):
                incomplete.append(language)
            if compile or check:
                po = polib.pofile(str(catalogue(language)))
            if compile:
                po.save_as_mofile(str(catalogue(language).with_suffix(".mo")))
            if check:
                problems += glossary.check(po, language)
        for problem in problems:
            self.stderr.write(str(problem))
        if check and incomplete:
            raise CommandError(_("Incomplete catalogues: %(languages)s.") % {"languages": ", ".join(incomplete)})
        if check and problems:
            raise CommandError(ngettext("%(count)s translation drifts from the glossary (listed above): %(languages)s.",
                                        "%(count)s translations drift from the glossary (listed above): %(languages)s.",
                                        len(problems))
                               % {"count": len(problems),
                                  "languages": ", ".join(dict.fromkeys(p.language for p in problems))})
