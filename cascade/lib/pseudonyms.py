"""Stable keyed pseudonyms for exports shared with evaluators.

The same person gets the same pseudonym in every export (so an evaluator can
follow her from an institute to her step-downs), but without CASCADE_PSEUDONYM_KEY
nobody can get from the pseudonym back to her key, or test a guessed name.
"""

from django.conf import settings

from .crypto import keyed_hash

PREFIXES = {"person": "P", "training": "T", "organization": "O"}


def pseudonym(kind: str, key: str) -> str:
    """``pseudonym("person", "aigul-k")`` -> ``"P-3F9A2C71D0B4"``."""
    digest = keyed_hash(f"pseudonym:{kind}", str(key), key=settings.PSEUDONYM_KEY)
    return f"{PREFIXES.get(kind, kind[:1].upper())}-{digest[:12].upper()}"
