"""Speed under writes: each role's signed-in pages sampled while franchisees act.

    .venv/bin/python bench/mixed_load.py                       # demo network, SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/mixed_load.py --units 5000      # 5,000 units on PostgreSQL

Django's test client in this process, one shared cache: every page is sampled
`--samples` times with nobody writing (warm p95), then again while a writer process on its own
database connection performs one ordinary franchisee action per second in turn (a document
download, a quiz attempt, a report draft saved, a report submitted). Prints p50/p95 per page,
both phases, and apart the page's first request after each write (the one that pays for it;
among all samples under writes the others hide it) with its ratio to the warm p95. Target at
5,000 units: every p95 under 200 ms, the network pages within 2x their warm p95. Writes real
rows (drafts and reports of the current period).
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, database_label, ensure_network, p95, setup  # noqa: E402

NETWORK_PAGES = ("network table (manager)", "network table (lead)")


def _options(parser) -> None:
    parser.add_argument("--samples", type=int, default=60, help="requests per page per phase")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between writes")
    parser.add_argument("--writes", type=int, default=12, help="writes to sample under, at least")


_FORK = multiprocessing.get_context("fork")


class Writer(_FORK.Process):
    """One franchisee action every `interval` seconds, in turn, until stopped: a process of
    its own, like a second gunicorn worker; the tasks its writes queue run in it too (eager
    Celery), as they would in a worker process, not in the sampling process."""

    def __init__(self, interval: float):
        super().__init__(daemon=True)
        self.interval, self.stop = interval, _FORK.Event()
        self._count, self._results = _FORK.Value("i", 0), _FORK.Queue()
        self.done, self.failed = {}, {}

    @property
    def count(self) -> int:
        """Actions done or failed so far."""
        return self._count.value

    def start(self) -> None:
        from django.db import connections

        connections.close_all()  # the child must not share the parent's sockets
        super().start()

    def finish(self) -> None:
        """Stop, and take the child's counts."""
        self.stop.set()
        self.done, self.failed = self._results.get(timeout=120)
        self.join(timeout=30)

    def run(self) -> None:
        from django.db import connection

        actions = self._actions()
        done, failed = {}, {}
        i = 0
        try:
            while not self.stop.wait(self.interval):
                name, action = actions[i % len(actions)]
                i += 1
                try:
                    action(i)
                    done[name] = done.get(name, 0) + 1
                except Exception as error:  # noqa: BLE001 - counted and printed
                    failed[name] = repr(error)[:120]
                with self._count.get_lock():
                    self._count.value += 1
        finally:
            self._results.put((done, failed))
            connection.close()

    def _actions(self):
        from django.test import RequestFactory
        from django.urls import reverse
        from django.utils import timezone

        from franchise.documents.services import document_download_record
        from franchise.models import DocumentVersion, Franchisee, Membership, Role
        from learning import selectors as learning_selectors
        from learning import services as learning
        from learning.models import LessonPage
        from reporting import periods as P
        from reporting import services
        from reporting.models import ReportTemplate

        owners = list(
            Membership.objects.filter(role=Role.OWNER)
            .select_related("user", "unit")
            .exclude(unit__status=Franchisee.Status.CLOSED)
            .order_by("unit__code")
        )
        template = ReportTemplate.objects.filter(is_active=True, period_kind="monthly").first()
        period = P.period_containing(template.period_kind, timezone.localdate())
        version = DocumentVersion.objects.select_related("document").first()

        def download(i):
            # What the download view writes before it streams the file (the bench database
            # may be seeded elsewhere, without the files themselves).
            request = RequestFactory().get(
                reverse("documents:download", args=[version.document_id, version.number])
            )
            request.user = owners[0].user
            document_download_record(version=version, request=request)

        lessons = list(LessonPage.objects.live().filter(quiz__isnull=False).order_by("path"))

        def quiz(i):
            # The lessons before the quiz are taken first (the course's order is enforced);
            # a course whose prerequisites the owner lacks, or a quiz refused, is skipped.
            m = owners[i % len(owners)]
            for lesson in lessons:
                course, _quiz = learning.quiz_context(lesson)
                if learning_selectors.missing_prerequisites(m.user, course):
                    continue
                for before in learning_selectors.course_lessons(course):
                    if before.pk == lesson.pk:
                        break
                    learning.lesson_complete(user=m.user, lesson=before, unit=m.unit)
                try:
                    attempt = learning.attempt_start(user=m.user, page=lesson)
                except learning.LearningRefused:  # passed already, or no attempts left
                    continue
                learning.attempt_submit(attempt=attempt, answers={})
                return
            raise RuntimeError("no quiz this owner may take")

        def report(i, submit):
            m = owners[(i * 7) % len(owners)]
            sub = services.submission_open(unit=m.unit, template=template, period=period)
            services.submission_save(submission=sub, data={}, user=m.user, submit=submit)

        return [
            ("document download", download),
            ("quiz attempt", quiz),
            ("report draft saved", lambda i: report(i, False)),
            ("report submitted", lambda i: report(i, True)),
        ]


def main() -> None:
    args = arguments(__doc__, units=40, extra=_options)
    setup("mixed", reseed=args.reseed)

    from django.contrib.auth import get_user_model
    from django.test import Client

    ensure_network(args.units)
    users = get_user_model().objects
    clients = {}
    for name in ("owner", "manager", "lead"):
        clients[name] = Client(HTTP_HOST="localhost")
        clients[name].force_login(users.get(username=name))
    pages = [
        ("owner dashboard", "/dashboard/", "owner"),
        ("manager portfolio", "/units/portfolio/", "manager"),
        ("network table (manager)", "/network/", "manager"),
        ("network table (lead)", "/network/", "lead"),
        ("report analytics (manager)", "/reports/network/", "manager"),
        ("report analytics (lead)", "/reports/network/", "lead"),
    ]

    def sample(until=lambda: True, writer=None) -> tuple[dict, dict]:
        """(every sample, the samples that were a page's first request after a write)."""
        times = {label: [] for label, _u, _w in pages}
        first = {label: [] for label, _u, _w in pages}
        seen = dict.fromkeys(times, 0)
        rounds = 0
        while rounds < args.samples or not until():
            rounds += 1
            for label, url, who in pages:
                writes = writer.count if writer else 0
                started = time.perf_counter()
                response = clients[who].get(url, follow=True)
                took = time.perf_counter() - started
                times[label].append(took)
                if writes != seen[label]:
                    first[label].append(took)
                    seen[label] = writes
                if response.status_code != 200:
                    raise SystemExit(f"{label}: {response.status_code}")
        return times, first

    sample()  # warm every cache once
    print("warm caches filled", flush=True)
    warm, _none = sample()
    writer = Writer(args.interval)
    writer.start()
    try:
        busy, after = sample(lambda: writer.count >= args.writes, writer)
    finally:
        writer.finish()

    print(f"database: {database_label()}; {args.units} units")
    print(f"samples per page: warm {len(warm[pages[0][0]])}, under writes {len(busy[pages[0][0]])}")
    print(f"writes done: {writer.done}; failed: {writer.failed or 'none'}")
    print("ms; 'after' = the page's first request after a write (each write is seen once)")
    header = ("warm p50", "warm p95", "busy p95", "after p50", "after p95", "x")
    print(f"{'page':30} " + " ".join(f"{h:>9}" for h in header))
    for label, _u, _w in pages:
        w95 = p95(warm[label]) * 1000
        a95 = p95(after[label]) * 1000
        figures = (
            statistics.median(warm[label]) * 1000,
            w95,
            p95(busy[label]) * 1000,
            statistics.median(after[label]) * 1000,
            a95,
        )
        print(f"{label:30} " + " ".join(f"{f:9.1f}" for f in figures) + f" {a95 / w95:9.1f}")


if __name__ == "__main__":
    main()
