# English formats: one unambiguous date ("2 December 2026") and date-time ("2 December 2026,
# 14:05") everywhere; never "12/02/2026" or "Dec. 2, 2026". The short formats are the same, so
# the admin and `|date:"SHORT_DATE_FORMAT"` show nothing numeric either. Input formats are
# Django's (forms take ISO 8601 from <input type="date"> in every language).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
