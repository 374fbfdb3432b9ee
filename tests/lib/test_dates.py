"""Dates as Kazakh and Kyrgyz speakers write them: "2014 жылғы 20 мамыр", "2019-жылдын 1-январы"."""

import datetime
import importlib

import pytest

from cascade.lib.dates import date_text


def test_the_formats_put_the_year_first_with_its_kazakh_and_kyrgyz_form():
    kk = importlib.import_module("cascade.formats.kk.formats")
    ky = importlib.import_module("cascade.formats.ky.formats")
    assert kk.DATE_FORMAT == "Y жылғы j F" and kk.YEAR_MONTH_FORMAT == "Y жылғы F"
    assert ky.DATE_FORMAT == "Y-жылдын j-E" and ky.YEAR_MONTH_FORMAT == "Y-жылдын E"


def test_the_shape_of_a_date_does_not_depend_on_the_catalogue():
    assert date_text("2014-05-20", "kk").startswith("2014 жылғы 20 ")
    assert date_text(datetime.date(2019, 1, 1), "ky").startswith("2019-жылдын 1-")
    assert date_text("2019-01-10", "kk", "SHORT_DATE_FORMAT") == "10.01.2019"
    assert date_text("2019-01-10", "ky", "SHORT_DATE_FORMAT") == "10.01.2019"
    assert date_text("2014-05-20", "en") == "May 20, 2014"


# These need the month names of cascade/lib/dates.py translated in the catalogue.
@pytest.mark.parametrize("lang, value, fmt, expected", [
    ("kk", "2014-05-20", "DATE_FORMAT", "2014 жылғы 20 мамыр"),
    ("kk", "2019-01-01", "DATE_FORMAT", "2019 жылғы 1 қаңтар"),
    ("kk", "2019-01-01", "YEAR_MONTH_FORMAT", "2019 жылғы қаңтар"),
    ("kk", "2019-09-03", "MONTH_DAY_FORMAT", "3 қыркүйек"),
    ("ky", "2019-01-01", "DATE_FORMAT", "2019-жылдын 1-январы"),
    ("ky", "2014-05-20", "DATE_FORMAT", "2014-жылдын 20-майы"),
    ("ky", "2019-06-12", "DATE_FORMAT", "2019-жылдын 12-июну"),
    ("ky", "2019-04-02", "DATE_FORMAT", "2019-жылдын 2-апрели"),
    ("ky", "2019-01-01", "YEAR_MONTH_FORMAT", "2019-жылдын январы"),
    ("ky", "2019-01-01", "MONTH_DAY_FORMAT", "1-январь"),
    ("ru", "2014-05-20", "DATE_FORMAT", "20 мая 2014 г."),
    ("ru", "2014-05-20", "YEAR_MONTH_FORMAT", "Май 2014 г."),
    ("ru", "2014-05-20", "MONTH_DAY_FORMAT", "20 мая"),
])
def test_dates_in_the_readers_language(lang, value, fmt, expected):
    assert date_text(value, lang, fmt) == expected


def test_may_the_month_is_not_may_the_permission():
    # "May" heads the API tokens' permission column; the month must not read "Права".
    assert date_text("2014-05-20", "ru", "YEAR_MONTH_FORMAT") != "Права 2014 г."
    assert date_text("2014-05-20", "kk", "YEAR_MONTH_FORMAT") != "2014 жылғы Рұқсаты"
