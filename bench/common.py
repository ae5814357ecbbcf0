"""What the in-process bench scripts share: the database, django.setup, the seeded network and
a best-of-N timer.

BENCH_DATABASE_URL picks the database; without it each script keeps its own SQLite file under
var/bench/ (`--reseed` deletes that file first). A database given through BENCH_DATABASE_URL
is never dropped or reseeded: the network is seeded only when it holds fewer units than asked.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def arguments(doc: str, *, units: int, argv=None, extra=None) -> argparse.Namespace:
    """The options every script takes (--units, --repeat, --reseed) plus the script's own."""
    parser = argparse.ArgumentParser(
        description=doc.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.epilog = "\n".join(doc.splitlines()[1:])
    parser.add_argument("--units", type=int, default=units, help=f"network size (default {units})")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step, best kept")
    parser.add_argument(
        "--reseed",
        action="store_true",
        help="delete the script's own SQLite file first (never touches BENCH_DATABASE_URL)",
    )
    if extra:
        extra(parser)
    return parser.parse_args(argv)


def database_url(name: str, *, reseed: bool = False) -> str:
    """BENCH_DATABASE_URL, or var/bench/<name>.sqlite3 (deleted first with reseed)."""
    if "BENCH_DATABASE_URL" in os.environ:
        return os.environ["BENCH_DATABASE_URL"]
    path = ROOT / "var" / "bench" / f"{name}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    if reseed and path.exists():
        path.unlink()
    return f"sqlite:///{path}"


def setup(name: str, *, reseed: bool = False, template_dirs=()) -> None:
    """Bench settings (DEBUG off, bare view) on the chosen database, then django.setup().

    `template_dirs` are searched after the project's templates (bench-only templates).
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_DATABASE_URL"] = database_url(name, reseed=reseed)
    import django
    from django.conf import settings

    if template_dirs:
        engine = settings.TEMPLATES[0]
        engine["DIRS"] = [*engine["DIRS"], *map(str, template_dirs)]

    django.setup()


def ensure_network(units: int) -> int:
    """Migrate, and seed `seed_demo --units N` only if the database holds fewer units."""
    from django.core.management import call_command

    from franchise.models import Franchisee

    call_command("migrate", verbosity=0)
    existing = Franchisee.objects.count()
    if existing < units:
        started = time.perf_counter()
        call_command("seed_demo", units=units, verbosity=0)
        print(f"seed_demo --units {units}: {time.perf_counter() - started:.1f} s", flush=True)
        existing = Franchisee.objects.count()
    return existing


def best(fn, repeat: int) -> tuple[float, object]:
    """The shortest of `repeat` runs of fn() in seconds, and the last run's result."""
    times, result = [], None
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def database_label() -> str:
    from django.db import connection

    version = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = " " + cursor.fetchone()[0].split()[0]
    return f"{connection.vendor}{version} ({connection.settings_dict['NAME']})"


def p95(times: list[float]) -> float:
    """The 95th percentile of `times`, in their unit (the only value when there is one)."""
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
