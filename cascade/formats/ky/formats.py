"""Kyrgyz date and number formats: 2019-жылдын 1-январы, 01.01.2019, 1 234,5.

Kyrgyz writes the year in the genitive ("2019-жылдын") and the month in the
possessive after the day ("1-январы"): ``E`` is Django's alternative month name,
which our catalogue translates to the possessive (see cascade/lib/dates.py). Standing
alone, a month is the lowercase nominative ("январь"), with the day before it
("1-январь"). Django's own Kyrgyz formats write "1 Январь 2019 ж.".
"""

DATE_FORMAT = "Y-жылдын j-E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y-жылдын j-E, H:i"
YEAR_MONTH_FORMAT = "Y-жылдын E"
MONTH_DAY_FORMAT = "j-F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday (дүйшөмбү)

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
