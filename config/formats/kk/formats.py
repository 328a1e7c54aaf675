# Kazakh formats (Django ships none): year, day, month ("2026 жылғы 2 желтоқсан"), the month in
# lower case (`E`, whose Kazakh names locale_vendor/kk gives in lower case; Django's own are
# capitalised), a space between thousands, a decimal comma. The short formats are the long
# ones: no date is shown as 02.12.2026.
DATE_FORMAT = "Y жылғы j E"
DATETIME_FORMAT = "Y жылғы j E, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j E"
YEAR_MONTH_FORMAT = "Y жылғы E"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
