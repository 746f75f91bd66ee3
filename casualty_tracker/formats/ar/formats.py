"""The Arabic pages' dates and numbers: "9 مارس 2017" to read (Django's Arabic month names), ISO
"2017-03-09" to type, as on the English pages (casualty_tracker/formats/en/formats.py).

The separators are the English pages' ("1,234.56", not Django's Arabic "1.234,56"): the figures a
reader compares with the English page are written the same. Which digits (0-9 or ٠-٩) is
settings.ARABIC_DIGITS (casualty_tracker/digits.py).
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 6  # Saturday, as in Iraq and Syria
THOUSAND_SEPARATOR = ","
DECIMAL_SEPARATOR = "."
NUMBER_GROUPING = 3
