"""Reporting periods (weekly, monthly, quarterly) and their due dates, as plain dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: str

    @property
    def key(self) -> str:
        """URL form: 2026-03-01."""
        return self.start.isoformat()

    @property
    def label(self) -> str:
        if self.kind == "weekly":
            year, week, _day = self.start.isocalendar()
            return _("Week %(week)s, %(year)s") % {"week": week, "year": year}
        if self.kind == "quarterly":
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        return self.start.strftime("%Y-%m")

    def due_date(self, due_days: int) -> date:
        return self.end + timedelta(days=due_days)

    def previous(self) -> Period:
        return period_containing(self.kind, self.start - timedelta(days=1))

    def next(self) -> Period:
        return period_containing(self.kind, self.end + timedelta(days=1))

    def shifted(self, n: int) -> Period:
        p = self
        for _i in range(abs(n)):
            p = p.next() if n > 0 else p.previous()
        return p


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def period_containing(kind: str, day: date) -> Period:
    if kind == "weekly":
        start = day - timedelta(days=day.weekday())
        return Period(start, start + timedelta(days=6), kind)
    if kind == "quarterly":
        month = (day.month - 1) // 3 * 3 + 1
        return Period(date(day.year, month, 1), _month_end(day.year, month + 2), kind)
    return Period(date(day.year, day.month, 1), _month_end(day.year, day.month), kind)


def period_from_key(kind: str, key: str) -> Period | None:
    """The period whose start is `key` (ISO date), or None if `key` is not such a start."""
    try:
        start = date.fromisoformat(key)
    except ValueError:
        return None
    period = period_containing(kind, start)
    return period if period.start == start else None


def last_closed(kind: str, today: date) -> Period:
    """The latest period that has ended before `today`."""
    return period_containing(kind, today).previous()


def recent_periods(kind: str, today: date, count: int) -> list[Period]:
    """The `count` latest closed periods, newest first."""
    periods = [last_closed(kind, today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods


def year_ago(period: Period) -> Period:
    start = period.start
    return period_containing(period.kind, start.replace(year=start.year - 1))
