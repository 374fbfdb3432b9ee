"""Kazakh date and number formats (Django ships none): 2014 жылғы 20 мамыр, 10.01.2019, 1 234,5.

Kazakh puts the year first, as an attribute ("2014 жылғы"), and the month in the
lowercase nominative ("20 мамыр"); the month names are translated in our catalogue
(see cascade/lib/dates.py).
"""

DATE_FORMAT = "Y жылғы j F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y жылғы j F, H:i"
YEAR_MONTH_FORMAT = "Y жылғы F"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
