"""The facts a story is written from, gathered once and saved with the draft as JSON.

Saving them lets staff see later which figures a published text rested on.
"""

from __future__ import annotations

from django.apps import apps
from django.utils import translation

from cascade.curriculum.models import Edition
from cascade.indicators import services as indicators
from cascade.lib.translated import pick
from cascade.stories.figures import story_figures
from cascade.trainings.models import Training


# django-countries has no Kazakh or Kyrgyz names; these cover the network's region.
COUNTRY_NAMES = {
    "kk": {"KZ": "Қазақстан", "KG": "Қырғызстан", "GE": "Грузия", "UZ": "Өзбекстан", "TJ": "Тәжікстан",
           "TM": "Түрікменстан", "RU": "Ресей"},
    "ky": {"KZ": "Казакстан", "KG": "Кыргызстан", "GE": "Грузия", "UZ": "Өзбекстан", "TJ": "Тажикстан",
           "TM": "Түркмөнстан", "RU": "Россия"},
}


def _organisation(org, lang: str) -> dict:
    """The organisation as the story's language writes it (its own name where none is given)."""
    return {"key": org.key, "name": org.name_in(lang), "short_name": org.short_name_in(lang)}


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
        country_names = {c.code: COUNTRY_NAMES.get(lang, {}).get(c.code, c.name)
                         for c in [*countries, training.country]}
    manuals = list(training.manuals.order_by("year", "key"))
    languages = Edition.objects.filter(manual__in=manuals).values("language").distinct().count()
    sessions = [s.heading_in(lang) for s in training.sessions.select_related("manual_session")]
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
        "country": training.country_id,
        "country_names": country_names,
        "host": _organisation(training.host, lang) if training.host else None,
        "co_organisers": [_organisation(o, lang) for o in training.co_organisers.exclude(pk=training.host_id).order_by("name")],
        "participant_countries": [c.code for c in countries],
        "sessions": [title for title in sessions if title],
        "manuals": [pick(m.title, lang) or m.key for m in manuals],
        "manual_languages": languages,
        "figures": story_figures(training),
        "indicator": indicators.as_dict(observations[0]) if observations else None,
        "indicators": [indicators.as_dict(o) for o in observations],
        "photos": [{"id": p.pk, "caption": pick(p.caption, lang)} for p in publishable_photos(training)],
    }
