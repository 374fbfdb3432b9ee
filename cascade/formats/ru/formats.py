"""Russian: only what Django's own formats get wrong; the rest comes from Django's.

A day with its month takes the month in the genitive ("1 января"), which is Django's
alternative month name (``E``); Django's "j F" writes "1 Январь".
"""

MONTH_DAY_FORMAT = "j E"
