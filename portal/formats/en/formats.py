"""English date formats: 07 Dec 2026, 07 Dec 2026 14:30."""

DATE_FORMAT = "d M Y"
SHORT_DATE_FORMAT = "d M Y"
DATETIME_FORMAT = "d M Y H:i"
SHORT_DATETIME_FORMAT = "d M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"  # 7 Dec
YEAR_MONTH_FORMAT = "F Y"

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-07 (<input type=date>)
    "%d %b %Y",  # 07 Dec 2026
    "%d/%m/%Y",  # 07/12/2026
    "%d/%m/%y",  # 07/12/26
]
