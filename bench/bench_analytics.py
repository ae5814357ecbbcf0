"""Network analytics at scale: how long the pandas analytics take on a large network,
against a bare query of the same database in the same run. Prints figures and ratios only.

    .venv/bin/python bench/bench_analytics.py                    # 500 units, SQLite
    .venv/bin/python bench/bench_analytics.py --units 5000       # 5,000 units × 24 months
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_analytics \\
        .venv/bin/python bench/bench_analytics.py --units 5000

Builds the network once with `seed_demo --units N` (kept in var/bench/analytics.sqlite3 or the
given database; --reseed to rebuild; the seeding time is printed too), then times each step
`--repeat` times and prints the best run.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, best, database_label, ensure_network, setup  # noqa: E402


def main() -> None:
    args = arguments(__doc__, units=500)
    setup("analytics", reseed=args.reseed)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from franchise.models import Franchisee
    from reporting import periods as P
    from reporting import summaries
    from reporting.analytics import frames, stats
    from reporting.models import ReportTemplate, Submission, Value

    ensure_network(args.units)

    template = ReportTemplate.objects.get(slug="monthly-sales")
    today = timezone.localdate()
    period = P.last_closed("monthly", today)
    lead = get_user_model().objects.get(username="lead")
    units = Franchisee.objects.count()
    values = Value.objects.filter(submission__template=template).count()
    print(
        f"network: {units} units, "
        f"{Submission.objects.filter(template=template).count()} sales reports, "
        f"{values} values; database {database_label()}"
    )

    def bare():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    base, _ = best(bare, args.repeat * 10)
    load, frame = best(lambda: frames.values_frame(frames.counted_values(template)), args.repeat)
    steps = [
        ("load values → DataFrame", load, f"{len(frame)} rows, {len(frame) / load:,.0f} rows/s"),
    ]
    for name, fn in [
        ("medians and quartiles (all fields, periods)", lambda: stats.field_stats(frame)),
        (
            "ranking of one period",
            lambda: stats.rankings(frame, field="revenue", period=period.start),
        ),
        (
            "outliers (MAD + MoM drop)",
            lambda: stats.outliers(
                frame, field="revenue", period=period.start, previous=period.previous().start
            ),
        ),
        (
            "unit trend (MoM, YoY, rank, band)",
            lambda: stats.unit_trend(frame, unit_id=int(frame["unit_id"].iloc[0]), field="revenue"),
        ),
        (
            "on-time rate per region",
            lambda: stats.on_time_rate(
                frames.submissions_frame(Submission.objects.filter(template=template)),
                by="region_id",
            ),
        ),
        (
            "network page assembly (lead), computed",
            lambda: summaries._network_overview(
                summaries.portfolio_units(lead),
                template,
                field="revenue",
                period_key=None,
                today=today,
            ),
        ),
        (
            "network page assembly (lead), cached",
            lambda: summaries.network_overview(
                lead, template, field="revenue", period_key=None, today=today
            ),
        ),
    ]:
        seconds, _ = best(fn, args.repeat)
        steps.append((name, seconds, ""))

    print(f"\n{'step':48} {'best s':>9} {'× bare query':>14}")
    print(f"{'bare SELECT 1':48} {base:9.5f} {1:14.0f}")
    for name, seconds, note in steps:
        print(f"{name:48} {seconds:9.4f} {seconds / base:14,.0f}  {note}")


if __name__ == "__main__":
    main()
