"""Periods and due dates."""

from datetime import date

from reporting import periods as P


def test_monthly_quarterly_weekly_bounds_and_labels():
    m = P.period_containing("monthly", date(2024, 2, 14))
    assert (m.start, m.end, m.label) == (date(2024, 2, 1), date(2024, 2, 29), "2024-02")
    q = P.period_containing("quarterly", date(2026, 11, 25))
    assert (q.start, q.end, q.label) == (date(2026, 10, 1), date(2026, 12, 31), "Q4 2026")
    w = P.period_containing("weekly", date(2026, 11, 25))  # a Wednesday
    assert (w.start, w.end) == (date(2026, 11, 23), date(2026, 11, 29))
    assert w.label == "Week 48, 2026"


def test_due_dates_and_navigation():
    march = P.period_containing("monthly", date(2026, 3, 10))
    assert march.due_date(5) == date(2026, 4, 5)
    assert march.previous().start == date(2026, 2, 1)
    assert march.next().start == date(2026, 4, 1)
    assert march.shifted(-12).start == date(2025, 3, 1)
    assert P.year_ago(march).start == date(2025, 3, 1)
    assert P.last_closed("monthly", date(2026, 4, 1)) == march
    assert [p.start.month for p in P.recent_periods("monthly", date(2026, 4, 2), 3)] == [3, 2, 1]


def test_period_from_key_only_accepts_period_starts():
    assert P.period_from_key("monthly", "2026-03-01").end == date(2026, 3, 31)
    assert P.period_from_key("monthly", "2026-03-02") is None
    assert P.period_from_key("quarterly", "2026-02-01") is None
    assert P.period_from_key("monthly", "../etc") is None
