"""The facts a story is written from, gathered once and saved with the draft as JSON.

Saving them lets staff see later which figures a published text rested on.
"""

from __future__ import annotations

from django.apps import apps
from django.utils import translation

from cascade.curriculum.models import Edition
from cascade.indicators import services as indicators
from cascade.lib.names import country_case, country_name
from cascade.lib.translated import FALLBACK_LANGUAGE, REGIONAL_FALLBACKS, pick
from cascade.stories.figures import story_figures
from cascade.trainings.models import Training


# The cases each story language declines a country into (cascade.lib.names.country_case).
COUNTRY_CASES = {"ru": ("gen", "prep"), "kk": ("abl", "gen", "loc"), "ky": ("abl", "gen", "loc")}


def is_latin(text: str) -> bool:
    return any("a" <= letter.lower() <= "z" for letter in text)


def organisation_names(org, lang: str) -> tuple[str, str]:
    """The organisation's name and short name as ``lang`` writes them.

    Its own name in ``lang`` where one is recorded, else its name as it is (then the Latin
    name is its name). A Latin acronym does not stand beside a name in another script: an
    organisation named in Russian but with no Russian acronym is called by its name alone.
    """
    name, short = org.name_in(lang), org.short_name_in(lang)
    own_short = (org.short_names or {}).get(lang)
    if short and not own_short and is_latin(short) and not is_latin(name):
        short = ""
    return name, short


def _organisation(org, lang: str) -> dict:
    """The organisation as the story's language writes it (its own name where none is given)."""
    name, short = organisation_names(org, lang)
    return {"key": org.key, "name": name, "short_name": short}


def _in_language(value, lang: str) -> bool:
    return isinstance(value, str) or bool(value and value.get(lang))


def manual_title(manual, lang: str) -> dict:
    """The manual's titles by language, with the title of its edition in ``lang`` where the
    manual's own record lacks one."""
    titles = dict(manual.title or {}) if not isinstance(manual.title, str) else {"en": manual.title}
    if not titles.get(lang):
        edition = manual.editions.filter(language=lang).exclude(title="").first()
        if edition:
            titles[lang] = edition.title
    return titles


def titles_note(training: Training, manuals: list, sessions: list, lang: str) -> dict | None:
    """Whether the story's titles (the training's, its sessions', its manuals') had to be taken
    from another language, which one, and whether the manual has no edition in ``lang``;
    None when every title is in ``lang``. The writer says so once."""
    titles = [training.title, *(manual_title(m, lang) for m in manuals),
              *((s.title if _in_language(s.title, lang) or not s.manual_session_id else s.manual_session.title)
                for s in sessions)]
    missing = [t for t in titles if t and not _in_language(t, lang)]
    if not missing:
        return None
    source = next((code for code in (*REGIONAL_FALLBACKS.get(lang, ()), FALLBACK_LANGUAGE)
                   if any(t.get(code) for t in missing)), "")
    no_edition = bool(manuals) and not Edition.objects.filter(manual__in=manuals, language=lang).exists() \
        and any(not _in_language(manual_title(m, lang), lang) for m in manuals)
    return {"from": source, "no_edition": no_edition, "manuals": len(manuals)}


def caption_language(caption, lang: str) -> str:
    """The language a caption is shown in when it has none in ``lang`` ("" when it has)."""
    if not caption or _in_language(caption, lang):
        return ""
    return next((code for code in (*REGIONAL_FALLBACKS.get(lang, ()), FALLBACK_LANGUAGE) if caption.get(code)),
                next((code for code, text in caption.items() if text), ""))


def publishable_photos(training: Training) -> list:
    """Photos that may leave staff pages. Hook: empty while the photos app has no model."""
    try:
        Photo = apps.get_model("photos", "Photo")
    except LookupError:
        return []
    return [photo for photo in Photo.objects.filter(training=training) if photo.publishable]


def gather(training: Training, lang: str) -> dict:
    with translation.override(lang):
        countries = sorted(
            {p.person.country for p in training.participations.select_related("person__country")
             .filter(role="participant") if p.person.country},
            key=lambda c: (c.code != training.country_id, c.name),
        )
    codes = [c.code for c in [*countries, training.country]]
    country_names = {code: country_name(code, lang) for code in codes}
    country_cases = {code: {case: country_case(code, lang, case) for case in COUNTRY_CASES.get(lang, ())}
                     for code in codes}
    manuals = list(training.manuals.order_by("year", "key"))
    languages = Edition.objects.filter(manual__in=manuals).values("language").distinct().count()
    agenda = list(training.sessions.select_related("manual_session"))
    sessions = [s.heading_in(lang) for s in agenda]
    place = training.place
    observations = indicators.latest_per_chamber_before(training.country_id, training.start_date)
    return {
        "training": training.key,
        "language": lang,
        "title": pick(training.title, lang),
        "kind": training.kind,
        "start_date": training.start_date.isoformat(),
        "end_date": training.last_day.isoformat(),
        "days": training.days,
        "city": training.city,
        # the place in the story's language (else the city as typed) and its case forms where known
        "place": {"name": training.place_name(lang),
                  "forms": (place.forms or {}).get(lang, {}) if place else {}},
        "country": training.country_id,
        "country_names": country_names,
        "country_cases": country_cases,
        "host": _organisation(training.host, lang) if training.host else None,
        "co_organisers": [_organisation(o, lang) for o in training.co_organisers.exclude(pk=training.host_id).order_by("name")],
        "participant_countries": [c.code for c in countries],
        "sessions": [title for title in sessions if title],
        "manuals": [pick(manual_title(m, lang), lang) or m.key for m in manuals],
        "manual_languages": languages,
        "titles_note": titles_note(training, manuals, agenda, lang),
        "figures": story_figures(training),
        "indicator": indicators.as_dict(observations[0]) if observations else None,
        "indicators": [indicators.as_dict(o) for o in observations],
        "photos": [{"id": p.pk, "caption": pick(p.caption, lang), "caption_language": caption_language(p.caption, lang)}
                   for p in publishable_photos(training)],
    }
