"""Accruing a whole month: every unit's approved sales report of one new month goes through
`finance.services.accruals_post_many` in one process, as a worker would. Prints the
wall time, the per-report time and the entries written, then a second pass over the same
reports (it must write nothing).

    .venv/bin/python bench/bench_accruals.py                          # 40 units, SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_acc \\
        .venv/bin/python bench/bench_accruals.py --units 5000

The month is the one after the newest sales report: each unit's latest approved report is
copied into it (same figures, approved now) with bulk_create, so the run
starts from reports nothing has accrued. Target at 5,000 units: under 30 s. Writes real rows
into the bench database (a month of reports and their fees).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, database_label, ensure_network, setup  # noqa: E402


def _new_month(template):
    """Copy each unit's latest approved report of `template` into the next month."""
    from django.db.models import Max
    from django.utils import timezone

    from reporting import periods as P
    from reporting.models import Submission, Value

    approved = Submission.objects.filter(template=template, status=Submission.Status.APPROVED)
    newest = Submission.objects.filter(template=template).aggregate(last=Max("period_start"))
    month = P.period_containing(template.period_kind, newest["last"]).shifted(1)
    latest = {}  # unit -> its newest approved report
    for pk, unit_id in approved.order_by("unit_id", "-period_start").values_list("pk", "unit_id"):
        latest.setdefault(unit_id, pk)
    sources = list(Submission.objects.filter(pk__in=list(latest.values())))
    now = timezone.now()
    taken = set(
        Submission.objects.filter(template=template, period_start=month.start).values_list(
            "unit_id", flat=True
        )
    )
    copies = [
        Submission(
            unit_id=s.unit_id,
            template=template,
            version_id=s.version_id,
            period_start=month.start,
            period_end=month.end,
            due_date=month.due_date(template.due_days),
            status=Submission.Status.APPROVED,
            submitted_at=now,
            reviewed_at=now,
        )
        for s in sources
        if s.unit_id not in taken
    ]
    Submission.objects.bulk_create(copies, batch_size=1000)
    made = {
        s.unit_id: s.pk
        for s in Submission.objects.filter(template=template, period_start=month.start)
    }
    source_of = {s.pk: s.unit_id for s in sources}
    values = [
        Value(submission_id=made[source_of[sub_id]], field_key=key, number=number)
        for sub_id, key, number in Value.objects.filter(
            submission__in=sources, number__isnull=False
        ).values_list("submission_id", "field_key", "number")
        if source_of[sub_id] in made
    ]
    Value.objects.bulk_create(values, batch_size=5000, ignore_conflicts=True)
    return month, Submission.objects.filter(template=template, period_start=month.start)


def _accrue(submissions) -> tuple[float, int]:
    from finance.services import accruals_post_many

    started = time.perf_counter()
    written = len(accruals_post_many(submissions=submissions.order_by("pk")))
    return time.perf_counter() - started, written


def main() -> None:
    args = arguments(__doc__, units=40)
    setup("accruals", reseed=args.reseed)
    ensure_network(args.units)

    from reporting.models import ReportTemplate

    template = ReportTemplate.objects.get(slug="monthly-sales")
    month, submissions = _new_month(template)
    count = submissions.count()
    first, written = _accrue(submissions)
    again, rewritten = _accrue(submissions)
    print(f"database: {database_label()}; {args.units} units; month {month.label}")
    print(f"reports accrued: {count}; entries written: {written}")
    print(
        f"first pass: {first:.1f} s ({first / max(count, 1) * 1000:.1f} ms a report); "
        f"target 30 s at 5,000 units"
    )
    print(f"second pass (nothing to write): {again:.1f} s; entries written: {rewritten}")


if __name__ == "__main__":
    main()
