"""PDFs at scale: time and peak memory of a unit's PDFs and of the network PDFs, each render in a
fresh process, against a bare one-paragraph PDF through the same `render_pdf` in the same run.

    .venv/bin/python bench/bench_pdf.py                          # 500 units, SQLite
    .venv/bin/python bench/bench_pdf.py --units 5000 --no-trace
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/bench_pdf.py --units 5000

Seeds the network once with `seed_demo --units N` when the database holds fewer units
(var/bench/pdf.sqlite3 unless BENCH_DATABASE_URL is set; a given database is never reseeded).
Then, for each PDF, a child process: django.setup, finds its objects, renders the bare PDF
once (imports xhtml2pdf, loads the fonts), takes its baseline peak RSS, then makes the PDF
`--repeat` times. Printed per PDF: the first (cold) and the best time and their ratio to the
bare PDF's best; the rise of the peak RSS (ru_maxrss) over the baseline; with tracing (a
second child, slower, not timed, without the render time limit), tracemalloc's peak and the
SQL query count; the file's size and page count. The unit PDFs go through their views with
Django's test client inside a transaction that is rolled back (their audit rows are not kept).

PDFs: bare (one paragraph), a certificate (learning), a unit's monthly report (reporting), the
network report summary (lead, every unit: the background job's file), the network digest PDF
for a manager's portfolio and for the whole network (lead: the 5,000-unit network PDF).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    ROOT,
    arguments,
    database_label,
    ensure_network,
    setup,
)

TEMPLATES = ROOT / "bench" / "templates"
CASES = {
    "bare": "bare PDF (one paragraph)",
    "certificate": "certificate PDF (view)",
    "unit_report": "unit monthly report PDF (view)",
    "summary": "network report summary PDF (lead)",
    "digest_manager": "digest PDF, manager's portfolio",
    "digest_network": "network PDF, whole network (lead)",
}
MB = 1024 * 1024


def maxrss() -> int:
    """Peak resident set of this process so far, in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def page_count(data: bytes) -> int:
    try:
        import io

        import pypdf

        return len(pypdf.PdfReader(io.BytesIO(data)).pages)
    except ImportError:
        return data.count(b"/Type /Page") - data.count(b"/Type /Pages")


def _bare():
    from portal.pdf import render_pdf

    return [("render", lambda state: render_pdf("bench/bare_pdf.html", {}))]


def _view(url_of, user_of):
    """One phase: GET the PDF view as `user` (inside a rolled-back transaction)."""
    from django.db import transaction
    from django.test import Client

    user, url = user_of(), url_of()

    def get(state):
        # A new client each run: the session row is rolled back with the rest, while the
        # cached_db session store still has it in the cache.
        client = Client(HTTP_HOST="localhost")
        with transaction.atomic():
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101
            transaction.set_rollback(True)
        return response.content

    return [("view", get)], url


def _certificate():
    from django.urls import reverse

    from learning.models import Certificate

    cert = Certificate.objects.select_related("user").exclude(unit=None).order_by("pk").first()
    phases, url = _view(
        lambda: reverse("learning:certificate_pdf", args=[cert.code]), lambda: cert.user
    )
    return phases


def _unit_report():
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from franchise.models import Membership, Role
    from reporting import periods as P
    from reporting.models import Submission

    owner = get_user_model().objects.get(username="owner")
    unit = Membership.objects.filter(user=owner, role=Role.OWNER).select_related("unit")[0].unit
    submission = (
        Submission.objects.filter(unit=unit, template__slug="monthly-sales")
        .select_related("template")
        .order_by("-period_start")
        .first()
    )
    key = P.period_containing(submission.template.period_kind, submission.period_start).key
    phases, url = _view(
        lambda: reverse("reporting:report_pdf", args=[unit.code, "monthly-sales", key]),
        lambda: owner,
    )
    return phases


def _summary():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal.pdf import render_pdf
    from reporting.models import ReportTemplate
    from reporting.summaries import portfolio_summary

    lead = get_user_model().objects.get(username="lead")
    params = {
        "template": ReportTemplate.objects.get(slug="monthly-sales").pk,
        "period": None,
        "today": timezone.localdate().isoformat(),
    }

    def context(state):
        state["context"] = portfolio_summary(lead, params=params, progress=lambda _p: None)

    return [
        ("context", context),
        ("render", lambda state: render_pdf("pdf/report_summary.html", state["context"])),
    ]


def _digest(username: str):
    def make():
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from portal.pdf import render_pdf
        from reporting.network import scorecards
        from reporting.network.views import pdf_context

        user = get_user_model().objects.get(username=username)
        today = timezone.localdate()

        def context(state):  # what network_pdf_job_run does before render_pdf
            units = scorecards.units_in_scope(user)
            state["units"] = units.count()
            state["context"] = pdf_context(user, units, today=today)

        return [
            ("context", context),
            ("render", lambda state: render_pdf("pdf/network_digest.html", state["context"])),
        ]

    return make


MAKERS = {
    "bare": _bare,
    "certificate": _certificate,
    "unit_report": _unit_report,
    "summary": _summary,
    "digest_manager": _digest("manager"),
    "digest_network": _digest("lead"),
}


def lift_render_limit(seconds: float) -> None:
    """Bench only: the same policy as the site's, with another render time limit."""
    from dataclasses import replace

    from portal import pdf

    site_policy = pdf.resource_policy
    limit = seconds or None
    pdf.resource_policy = lambda _max_seconds=None: replace(site_policy(), max_render_seconds=limit)


def child(case: str, repeat: int, trace: bool) -> dict:
    """Runs in its own process: prints one JSON line with the figures of `case`."""
    import tracemalloc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.pdf import render_pdf

    phases = MAKERS[case]()  # finds its objects: part of the baseline
    started = time.perf_counter()
    render_pdf("bench/bare_pdf.html", {})  # imports, fonts: part of the baseline
    warmup = time.perf_counter() - started
    gc.collect()
    baseline = maxrss()
    result = {"case": case, "warmup": warmup, "baseline_rss": baseline, "phases": {}}

    def run(state):
        data, times = None, {}
        for name, fn in phases:
            if trace:
                tracemalloc.reset_peak()
            t0 = time.perf_counter()
            try:
                out = fn(state)
            except Exception as error:  # noqa: BLE001 - a failed PDF is a figure too
                times[name] = time.perf_counter() - t0
                result["error"] = f"{type(error).__name__}: {error}"
                return None, times
            times[name] = time.perf_counter() - t0
            if trace:
                result["phases"].setdefault(name, {})["traced_peak"] = (
                    tracemalloc.get_traced_memory()[1]
                )
            data = out if isinstance(out, bytes) else data
        return data, times

    state: dict = {}
    if trace:
        tracemalloc.start()
        with CaptureQueriesContext(connection) as queries:
            data, _times = run(state)
        tracemalloc.stop()
        result["queries"] = len(queries.captured_queries)
    else:
        data, times = run(state)
        result["rss_rise"] = maxrss() - baseline
        result["first"] = times
        runs = [times]
        for _ in range(repeat - 1 if data is not None else 0):
            runs.append(run({})[1])
        result["best"] = min(sum(t.values()) for t in runs)
        result["best_phases"] = {name: min(t[name] for t in runs) for name in times}
    result["units"] = state.get("units")
    result["bytes"] = len(data) if data is not None else 0
    result["pages"] = page_count(data) if data is not None else 0
    return result


def spawn(case: str, repeat: int, trace: bool, render_limit) -> dict:
    argv = [sys.executable, __file__, "--child", case, "--repeat", str(repeat)]
    if trace:
        argv.append("--trace")
    if render_limit is not None:
        argv += ["--render-limit", str(render_limit)]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise RuntimeError(f"{case} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")


def options(parser) -> None:
    parser.add_argument(
        "--case",
        action="append",
        choices=sorted(CASES),
        help="only these PDFs (repeatable; the bare PDF is always made)",
    )
    parser.add_argument(
        "--no-trace", action="store_true", help="skip the tracemalloc/query-count children"
    )
    parser.add_argument(
        "--render-limit",
        type=float,
        metavar="SECONDS",
        help="replace xhtml2pdf's render time limit of portal.pdf's policy (60 s) in this run; "
        "0 = none (default: the site's own policy)",
    )
    parser.add_argument("--child", choices=sorted(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)


def main() -> None:
    args = arguments(__doc__, units=500, extra=options)
    if args.child:
        setup("pdf", template_dirs=[TEMPLATES])
        if args.render_limit is not None:
            lift_render_limit(args.render_limit)
        elif args.trace:  # tracemalloc slows the render: its time is not a figure here
            lift_render_limit(0)
        result = child(args.child, args.repeat, args.trace)
        print("RESULT " + json.dumps(result), flush=True)
        return

    setup("pdf", reseed=args.reseed)
    from franchise.models import Franchisee

    total = ensure_network(args.units)
    open_units = Franchisee.objects.exclude(status=Franchisee.Status.CLOSED).count()
    print(f"network: {total} units ({open_units} open); database {database_label()}", flush=True)

    cases = ["bare", *[c for c in CASES if c != "bare" and (not args.case or c in args.case)]]
    rows = []
    for case in cases:
        print(f"… {CASES[case]}", file=sys.stderr, flush=True)
        timed = spawn(case, args.repeat, trace=False, render_limit=args.render_limit)
        failed = "error" in timed
        traced = None
        if not (args.no_trace or failed):
            traced = spawn(case, 1, trace=True, render_limit=args.render_limit)
        rows.append((case, timed, traced))
        print(f"  {case}: {json.dumps(timed)}", file=sys.stderr, flush=True)

    bare = rows[0][1]["best"]
    print(
        f"\ncold first render of the bare PDF in a fresh process (imports, fonts): "
        f"{rows[0][1]['warmup']:.3f} s; baseline peak RSS after setup and data load: "
        f"{rows[0][1]['baseline_rss'] / MB:.0f} MB\n"
    )
    head = (
        f"{'PDF':36} {'units':>6} {'first s':>8} {'best s':>8} {'× bare':>7} "
        f"{'RSS +MB':>8} {'traced MB':>9} {'queries':>7} {'KB':>7} {'pages':>5}"
    )
    print(head)
    failures = []
    for case, timed, traced in rows:
        if "error" in timed:
            failures.append((case, timed))
            first = sum(timed["first"].values())
            print(f"{CASES[case]:36} {timed['units'] or '':>6} {first:8.3f}  FAILED (see below)")
            continue
        traced_mb = queries = "-"
        if traced:
            peaks = [p["traced_peak"] for p in traced["phases"].values()] or [0]
            traced_mb = f"{max(peaks) / MB:.1f}" + ("*" if "error" in traced else "")
            queries = str(traced["queries"]) + ("*" if "error" in traced else "")
            if "error" in traced:
                failures.append((case, {**traced, "first": {}, "traced": True}))
        print(
            f"{CASES[case]:36} {timed['units'] or '':>6} {sum(timed['first'].values()):8.3f} "
            f"{timed['best']:8.3f} {timed['best'] / bare:7.0f} "
            f"{timed['rss_rise'] / MB:8.1f} {traced_mb:>9} {queries:>7} "
            f"{timed['bytes'] / 1024:7.0f} {timed['pages']:5d}"
        )
    for case, timed in failures:
        spent = "; ".join(f"{name} {sec:.1f} s" for name, sec in timed["first"].items())
        which = f"* {CASES[case]}, traced run," if timed.get("traced") else CASES[case]
        print(f"\n{which} failed after {spent or 'its first phases'}: {timed['error']}")
    print("\nphases (best s; traced peak MB):")
    for case, timed, traced in rows:
        if len(timed["best_phases"]) < 2 or "error" in timed:
            continue
        parts = []
        for name, seconds in timed["best_phases"].items():
            traced_peak = (traced or {}).get("phases", {}).get(name, {}).get("traced_peak")
            peak = f", {traced_peak / MB:.1f} MB" if traced_peak is not None else ""
            parts.append(f"{name} {seconds:.3f} s{peak}")
        print(f"  {CASES[case]:36} " + "; ".join(parts))


if __name__ == "__main__":
    main()
