"""HTTP load: requests/s and p95 latency of real pages under concurrent clients, against a
bare view of the same server in the same run.

    .venv/bin/python bench/http_load.py                      # demo network (40 units), SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/http_load.py --units 5000     # 5,000 units on PostgreSQL

Starts gunicorn (2 sync workers) on 127.0.0.1 with bench/settings.py, seeds the demo network
once (kept in var/bench/ or the given database; --reseed to rebuild), signs in as the demo
owner and manager, then runs a fixed number of requests per client for each page. Prints a
table and each page's rate as a fraction of the bare view's (the faster of its first and last
run). Loopback only; bounded loops.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "franchise-demo"  # noqa: S105 - the demo network's published password


def bench_env() -> dict:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["PYTHONPATH"] = str(ROOT)
    return env


def manage(*args: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=bench_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def prepare_database(units: int, reseed: bool) -> int:
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    manage("migrate", "--noinput")
    count_code = "from franchise.models import Franchisee; print(Franchisee.objects.count())"
    existing = int(manage("shell", "-c", count_code).strip().splitlines()[-1])
    if reseed or existing < units:
        print(f"seeding the demo network with {units} units (once) ...", flush=True)
        manage("seed_demo", "--units", str(units))
        existing = int(manage("shell", "-c", count_code).strip().splitlines()[-1])
    return existing


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            gunicorn,
            "--chdir",
            str(ROOT),
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            "portal.wsgi",
        ],
        env=bench_env(),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "/bench/bare")[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def request(port: int, path: str, cookie: str = "", method: str = "GET", body: str = ""):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Host": f"{HOST}:{port}", "Accept-Language": "en"}
    if cookie:
        headers["Cookie"] = cookie
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://{HOST}:{port}/accounts/login/"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response, data


def sign_in(port: int, username: str) -> str:
    status, response, data = request(port, "/accounts/login/")
    jar = SimpleCookie()
    jar.load(response.getheader("Set-Cookie", ""))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data).group(1).decode()
    body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    cookie = f"csrftoken={jar['csrftoken'].value}"
    status, response, _ = request(port, "/accounts/login/", cookie, "POST", body)
    if status != 302:
        raise SystemExit(f"could not sign in as {username} (status {status})")
    issued = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            issued[name] = rest.split(";")[0]
    if "sessionid" not in issued:
        raise SystemExit(f"no session cookie for {username}")
    # Signing in rotates the CSRF secret: keep the new one, as a browser would.
    csrf = issued.get("csrftoken", jar["csrftoken"].value)
    return f"csrftoken={csrf}; sessionid={issued['sessionid']}"


def article_urls() -> list[str]:
    code = (
        "from kb.models import ArticlePage\n"
        "from portal.translations import default_locale_q\n"
        "pages = ArticlePage.objects.live().filter(default_locale_q())\n"
        "for page in pages[:20]: print(page.url)"
    )
    try:
        return [line for line in manage("shell", "-c", code).splitlines() if line.startswith("/")]
    except subprocess.CalledProcessError:
        return []


def first_ok(port: int, cookie: str, paths: list[str]) -> str:
    """The first path that answers 200 to this user (articles have audiences)."""
    for path in paths:
        if request(port, path, cookie)[0] == 200:
            return path
    return ""


def follow(port: int, path: str, cookie: str) -> str:
    """The page a path ends on (e.g. /reports/ sends an owner to the unit's reports)."""
    for _ in range(5):
        status, response, _data = request(port, path, cookie)
        if status not in (301, 302, 303, 307, 308):
            return path
        path = response.getheader("Location")
    return path


def measure(port: int, path: str, cookie: str, clients: int, per_client: int) -> dict:
    for _ in range(10):  # warm up every worker's caches and connections
        request(port, path, cookie)
    queries = request(port, path, cookie)[1].getheader("X-Bench-Queries", "-")
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def client():
        mine, bad = [], []
        for _ in range(per_client):
            started = time.perf_counter()
            status, _response, _data = request(port, path, cookie)
            mine.append(time.perf_counter() - started)
            if status != 200:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": errors,
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=50, help="requests per client per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()

    units = prepare_database(args.units, args.reseed)
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        owner = sign_in(port, "owner")
        manager = sign_in(port, "manager")
        lead = sign_in(port, "lead")
        _status, response, _ = request(port, "/dashboard/", owner)
        unit_page = response.getheader("Location")
        article = first_ok(port, owner, article_urls())
        pages = [
            ("bare view", "/bench/bare", ""),
            ("landing page (anonymous)", "/", ""),
            ("unit page = unit dashboard (owner)", unit_page, owner),
            ("KB article (owner)", article, owner),
            ("reports page (owner)", "/reports/", owner),
            ("my learning (owner)", "/learn/", owner),
            ("unit list (manager)", "/units/", manager),
            ("portfolio (manager)", "/units/portfolio/", manager),
            ("network table (manager)", "/network/", manager),
            ("network table (lead, whole network)", "/network/", lead),
            ("report analytics (manager)", "/reports/network/", manager),
            ("report analytics (lead, whole network)", "/reports/network/", lead),
            ("review queue (manager)", "/reports/review/", manager),
            ("bare view (signed in)", "/bench/bare", owner),
            ("bare view, again", "/bench/bare", ""),
        ]
        pages = [
            (label, follow(port, path, cookie), cookie) for label, path, cookie in pages if path
        ]
        results = {}
        for label, path, cookie in pages:
            results[label] = measure(port, path, cookie, args.clients, args.requests)
            results[label]["path"] = path
    finally:
        server.terminate()
        server.wait(timeout=30)

    database = os.environ.get("BENCH_DATABASE_URL", "sqlite (var/bench/db.sqlite3)")
    database = re.sub(r"//[^@/]*@", "//", database)
    print()
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · {database} · {units} units · gunicorn "
        f"{args.workers} sync workers · {args.clients} clients × {args.requests} requests"
    )
    # The faster of the two bare runs (first and last), so a slow start cannot flatter a ratio.
    bare = max(results["bare view"]["rps"], results["bare view, again"]["rps"])
    print("| page | path | req/s | p50 ms | p95 ms | rate vs bare | queries | non-200 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for label, r in results.items():
        print(
            f"| {label} | `{r['path']}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['rps'] / bare:.2f} | {r['queries']} | {len(r['errors'])} |"
        )


if __name__ == "__main__":
    main()
