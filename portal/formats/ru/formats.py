"""Russian date formats: 07.12.2026, 07.12.2026 14:30."""

DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j E"  # 7 декабря
YEAR_MONTH_FORMAT = "F Y"

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-07 (<input type=date>)
    "%d.%m.%Y",  # 07.12.2026
    "%d.%m.%y",  # 07.12.26
]
