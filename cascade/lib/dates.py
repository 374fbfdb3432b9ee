"""Dates as each language's speakers write them.

Django names the months through gettext: ``MONTHS`` (``gettext_lazy("January")``, the
name standing alone, used by the ``F`` format character) and ``MONTHS_ALT``
(``pgettext_lazy("alt. month", "January")``, the name inside a date, ``E``). Our
catalogue (LOCALE_PATHS) is read before Django's own, so the month names are marked
here for ``makemessages`` and translated in our catalogue, where Django's Kazakh and
Kyrgyz ones were capitalised nominatives ("20 Мамыр 2014 ж.", "1 Январь 2019 ж."):

- Kazakh writes "2014 жылғы 20 мамыр" (lowercase nominative; alt. month the same);
- Kyrgyz writes "2019-жылдын 1-январы" (the alt. month is the possessive: январы,
  февралы, марты, апрели, майы, июну, июлу, августу, сентябры, октябры, ноябры, декабры).

The formats themselves are in ``cascade/formats/kk`` and ``cascade/formats/ky``.
"""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, pgettext_lazy

# Marked for makemessages only: Django looks these up itself (django.utils.dates).
MONTHS = (
    gettext_lazy("January"), gettext_lazy("February"), gettext_lazy("March"), gettext_lazy("April"),
    gettext_lazy("May"), gettext_lazy("June"), gettext_lazy("July"), gettext_lazy("August"),
    gettext_lazy("September"), gettext_lazy("October"), gettext_lazy("November"), gettext_lazy("December"),
)
MONTHS_ALT = (
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"), pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
)


def date_text(value: datetime.date | str, language: str | None = None, fmt: str = "DATE_FORMAT") -> str:
    """A date in ``language`` (the active one when None) in one of Django's named formats:
    DATE_FORMAT ("2014 жылғы 20 мамыр"), YEAR_MONTH_FORMAT ("2019-жылдын январы"),
    MONTH_DAY_FORMAT, SHORT_DATE_FORMAT. ``value`` may be an ISO date string."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    with translation.override(language or translation.get_language()):
        return date_format(value, fmt)
