"""Places: the row a typed city points to, made from the gazetteer when the database lacks it.

A place is no personal data (a city and its names); a person's link to one is hers, and the
erasure clears it with her city (``cascade.access.services``).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from cascade.access import require

from . import places
from .models import Country, Place


def place_for(actor, text: str, country) -> Place | None:
    """The Place that ``text`` (a city typed in any script) names in ``country``, or None.

    A place of the gazetteer not yet in the database is added with its names per language and
    case forms (rule ``places.add``, logged as ``cascade.place.added``)."""
    text = (text or "").strip()
    code = (getattr(country, "code", country) or "").upper()
    if not text or not code:
        return None
    found = places.find(text, code)
    if found is None or isinstance(found, Place):
        return found
    require("places.add", actor)
    defaults = {"country": Country.objects.get_or_create(code=code)[0], "name": found.name, "names": found.names,
                "forms": found.forms, "alternate_names": list(found.alternate_names), "latitude": found.latitude,
                "longitude": found.longitude, "population": found.population}
    try:
        with transaction.atomic():
            place, created = Place.objects.get_or_create(geonames_id=found.geonames_id, defaults=defaults)
    except IntegrityError:  # added by another request in between
        place, created = Place.objects.get(geonames_id=found.geonames_id), False
    if created:
        from cascade.audit.services import log

        log("cascade.place.added", actor, place, geonames_id=found.geonames_id, country=code)
    return place


def locate(actor, obj) -> None:
    """Point a training, person or organisation (not saved here) at the place its ``city`` names
    in its country; no place when the city is empty or not found (``city`` keeps the text)."""
    if obj.place_id and obj.place.country_id == obj.country_id and places.fold(obj.city) in {
            places.fold(s) for s in places.place_spellings(obj.place)}:
        return  # already the place its city names (perhaps chosen by hand among namesakes)
    obj.place = place_for(actor, obj.city, obj.country_id) if obj.city and obj.country_id else None
