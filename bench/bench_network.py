"""Network views at scale: the network table, scorecards and adoption on a 5,000-unit,
24-month network, against a bare view in the same run. Prints figures and ratios only.

    .venv/bin/python bench/bench_network.py                     # 5,000 units, SQLite
    .venv/bin/python bench/bench_network.py --units 500
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_network \\
        .venv/bin/python bench/bench_network.py

Builds the network once with `seed_demo --units N` in its own database
(var/bench/network.sqlite3 unless BENCH_DATABASE_URL is set; --reseed rebuilds it), adds a
deterministic activity log when the database has (almost) none (the demo has none: activity
comes from real requests; the rows are kept, as real use would leave them), then times
each step `--repeat` times in-process (Django's test client, bench settings: DEBUG off) and
prints the best run and its ratio to the bare view (`/bench/bare`, no template, no query).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, best, database_label, ensure_network, setup  # noqa: E402


def seed_activity(days: int = 60) -> int:
    """Owners and staff of about 70 % of the units were active on some days (deterministic)."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from franchise.models import Membership, Role
    from portal.activity import ActivityDay

    rng = random.Random(7)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    rows = []
    members = Membership.objects.filter(role__in=[Role.OWNER, Role.MEMBER]).values_list(
        "user_id", "unit_id"
    )
    for user_id, unit_id in members.iterator():
        if rng.random() > 0.7:
            continue
        for d in rng.sample(range(days), k=rng.randint(1, 12)):
            rows.append(ActivityDay(user_id=user_id, unit_id=unit_id, day=today - timedelta(d)))
    ActivityDay.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return ActivityDay.objects.count()


def main() -> None:
    args = arguments(__doc__, units=5000)
    setup("network", reseed=args.reseed)

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from franchise.models import Franchisee
    from portal.activity import ActivityDay
    from reporting.models import Submission
    from reporting.network import adoption, scorecards

    ensure_network(args.units)
    if ActivityDay.objects.count() < args.units:  # none, or only a few from real requests
        started = time.perf_counter()
        n = seed_activity()
        print(f"activity log: {n} rows in {time.perf_counter() - started:.1f} s")

    users = get_user_model().objects
    lead, manager = users.get(username="lead"), users.get(username="manager")
    units = Franchisee.objects.exclude(status=Franchisee.Status.CLOSED)
    today = timezone.localdate()
    portfolio = scorecards.units_in_scope(manager)
    print(
        f"network: {units.count()} units, {Submission.objects.count()} reports, "
        f"{ActivityDay.objects.count()} activity rows; manager's portfolio: "
        f"{portfolio.count()} units; database: {database_label()}"
    )
    code = units.order_by("code").values_list("code", flat=True).first()

    lead_client, manager_client = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    lead_client.force_login(lead)
    manager_client.force_login(manager)

    def get(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101
            return response

        return run

    steps = [
        ("bare view (signed in)", get(lead_client, "/bench/bare")),
        ("load sources, network (queries)", lambda: scorecards.load_sources(units, today=today)),
        (
            "scorecard frame, network (pandas)",
            None,  # filled below from the loaded sources
        ),
        ("network table page, lead", get(lead_client, "/network/")),
        ("network table CSV, lead", get(lead_client, "/network/?format=csv")),
        ("network table page, manager", get(manager_client, "/network/")),
        ("scorecard page of one unit, lead", get(lead_client, f"/network/u/{code}/")),
        (
            "adoption figures, network",
            lambda: adoption.adoption(units, today=today, include_staff=True),
        ),
        ("adoption page, lead", get(lead_client, "/network/adoption/")),
    ]
    sources = scorecards.load_sources(units, today=today)
    steps[2] = ("scorecard frame, network (pandas)", lambda: scorecards.scorecard_frame(sources))

    for _label, fn in steps:  # warm up: caches, first-request-of-the-day activity write
        fn()
    results = []
    for label, fn in steps:
        cache.clear()  # cold: nothing kept under data versions (the cache is the bench's own)
        cold, _ = best(fn, 1)
        with CaptureQueriesContext(connection) as ctx:  # pages too: pinned by tests/network
            fn()
        queries = str(len(ctx.captured_queries))
        seconds, _ = best(fn, args.repeat)
        results.append((label, cold, seconds, queries))
    bare = results[0][2]
    print(f"{'step':40} {'cold s':>10} {'warm s':>10} {'× bare':>10} {'queries':>8}")
    for label, cold, seconds, queries in results:
        print(f"{label:40} {cold:10.4f} {seconds:10.4f} {seconds / bare:10.0f} {queries:>8}")
    print("cold: first run after the cache was cleared; warm: best of --repeat; × bare: warm")


if __name__ == "__main__":
    main()
