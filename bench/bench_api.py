"""The integration API at scale: list endpoints of /api/v1/ for a network key and a manager's
key (first page, the next page by cursor, a page resumed by updated_since), against a bare view
in the same run; then a full CommerceML package imported by the worker's task. Prints figures.

    .venv/bin/python bench/bench_api.py                              # 500 units, SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_api \\
        .venv/bin/python bench/bench_api.py --units 5000 --products 20000

The import runs in a fresh subprocess each time (wall time and that process's peak RSS), twice:
the second run of the same package must report nothing created or updated.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, database_label, ensure_network, p95, setup  # noqa: E402

#: The lists a sync tool pages through; the field its `updated_since` compares.
LISTS = (
    ("units", None),
    ("submissions", "updated_at"),
    ("products", "updated_at"),
    ("prices", "updated_at"),
    ("stock", "updated_at"),
    ("orders", "updated_at"),
    ("ledger-entries", "created_at"),
    ("balances", "updated_at"),
)
READ = [f"{r}:read" for r in ("units", "reports", "catalogue", "orders", "finance")]


def _extra(parser):
    parser.add_argument("--products", type=int, default=20000, help="CommerceML package size")
    parser.add_argument("--samples", type=int, default=30, help="requests per endpoint and page")
    parser.add_argument("--skip-lists", action="store_true", help="only the CommerceML import")
    parser.add_argument("--skip-import", action="store_true", help="only the list endpoints")
    parser.add_argument("--child", help=__import__("argparse").SUPPRESS)  # internal: one import


def _sample(fn, samples: int) -> float:
    fn()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    MEDIANS.append(statistics.median(times) * 1000)
    return p95(times) * 1000


#: The median of each sample, printed next to the p95 (the machine is shared and noisy).
MEDIANS: list[float] = []


def _lists(samples: int) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from integration import services

    _key, network_raw = services.key_issue_for_network(name="bench network", scopes=READ)
    manager = get_user_model().objects.get(username="manager")
    _key, manager_raw = services.key_issue_for_user(user=manager, name="bench", scopes=READ)
    bare_client = Client(HTTP_HOST="localhost")
    # Warm every list once, then freeze what is loaded, as a gunicorn worker starts
    # (deploy/gunicorn.conf.py: pre_fork).
    for raw in (network_raw, manager_raw):
        warm = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Api-Key {raw}")
        for name, _field in LISTS:
            warm.get(f"/api/v1/{name}/")
    gc.freeze()
    bare = _sample(lambda: bare_client.get("/bench/bare"), samples)
    print(f"bare view p95 {bare:.1f} ms")
    MEDIANS.clear()
    print(
        f"{'endpoint':18} {'key':8} {'first':>9} {'cursor':>9} {'since':>9} {'× bare':>7}"
        " rows   p50 ms"
    )
    for who, raw in (("network", network_raw), ("manager", manager_raw)):
        client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Api-Key {raw}")

        def get(url, client=client):
            def run():
                response = client.get(url)
                assert response.status_code == 200, (url, response.content[:300])  # noqa: S101
                return response

            return run

        for name, field in LISTS:
            first_url = f"/api/v1/{name}/"
            page = get(first_url)().json()
            results = page["results"]
            figures = [_sample(get(first_url), samples)]
            nxt = page.get("next")
            figures.append(_sample(get(nxt), samples) if nxt else None)
            if field and results:
                since = results[len(results) // 2][field]
                figures.append(
                    _sample(get(f"{first_url}?{urlencode({'updated_since': since})}"), samples)
                )
            else:
                figures.append(None)
            shown = " ".join(f"{f:6.1f} ms" if f is not None else "     n/a " for f in figures)
            worst = max(f for f in figures if f is not None)
            medians = "/".join(f"{m:.0f}" for m in MEDIANS)
            MEDIANS.clear()
            print(
                f"{name:18} {who:8} {shown} {worst / bare:7.1f} {len(results):4}   p50 {medians}",
                flush=True,
            )


# CommerceML ---------------------------------------------------------------------------------

GROUPS = 40
NS = 'xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.10" ДатаФормирования="2026-12-07T04:00:00"'


def write_package(folder: Path, products: int) -> tuple[Path, Path]:
    """import.xml and offers.xml in the shape of the tests' samples, written line by line."""
    catalogue, offers = folder / "import.xml", folder / "offers.xml"
    with open(catalogue, "w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация {NS}>\n')
        out.write("<Классификатор><Ид>bench-cls</Ид><Наименование>Классификатор</Наименование>")
        out.write("<Группы>")
        for g in range(GROUPS):
            out.write(f"<Группа><Ид>bench-grp-{g}</Ид><Наименование>Группа {g}</Наименование>")
            out.write("</Группа>")
        out.write("</Группы></Классификатор>\n")
        out.write('<Каталог СодержитТолькоИзменения="false"><Ид>bench-cat</Ид><Товары>\n')
        for n in range(products):
            name = escape(f"Товар «Бенч» № {n}, 400 г")
            out.write(
                f"<Товар><Ид>bench-{n:06d}</Ид><Артикул>CML-{n:06d}</Артикул>"
                f"<Наименование>{name}</Наименование>"
                '<БазоваяЕдиница Код="796" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>'
                f"<Группы><Ид>bench-grp-{n % GROUPS}</Ид></Группы>"
                f"<Описание>Описание товара {n}</Описание>"
                "<СтавкиНалогов><СтавкаНалога><Наименование>НДС</Наименование>"
                f"<Ставка>{10 if n % 3 else 20}</Ставка></СтавкаНалога></СтавкиНалогов>"
                "</Товар>\n"
            )
        out.write("</Товары></Каталог></КоммерческаяИнформация>\n")
    with open(offers, "w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация {NS}>\n')
        out.write('<ПакетПредложений СодержитТолькоИзменения="false"><Ид>bench-cat#</Ид>')
        out.write("<ТипыЦен>")
        for t in ("retail", "wholesale"):
            out.write(f"<ТипЦены><Ид>bench-pt-{t}</Ид><Наименование>Бенч {t}</Наименование>")
            out.write("<Валюта>RUB</Валюта></ТипЦены>")
        out.write("</ТипыЦен><Склады>")
        for w in ("a", "b"):
            out.write(f"<Склад><Ид>bench-wh-{w}</Ид><Наименование>Склад {w}</Наименование></Склад>")
        out.write("</Склады><Предложения>\n")
        for n in range(products):
            prices = "".join(
                f"<Цена><ИдТипаЦены>bench-pt-{t}</ИдТипаЦены>"
                f"<ЦенаЗаЕдиницу>{100 + n % 900 + k}.50</ЦенаЗаЕдиницу><Валюта>RUB</Валюта></Цена>"
                for k, t in enumerate(("retail", "wholesale"))
            )
            out.write(
                f"<Предложение><Ид>bench-{n:06d}</Ид><Цены>{prices}</Цены>"
                f"<Количество>{n % 500 + 20}</Количество>"
                f'<Склад ИдСклада="bench-wh-a" КоличествоНаСкладе="{n % 500}"/>'
                '<Склад ИдСклада="bench-wh-b" КоличествоНаСкладе="20"/>'
                "</Предложение>\n"
            )
        out.write("</Предложения></ПакетПредложений></КоммерческаяИнформация>\n")
    return catalogue, offers


def _child(path: str) -> None:
    """One file through the worker's task, in this fresh process; prints one JSON line."""
    from integration.models import ExchangeJob
    from integration.tasks import exchange_job_task

    file = Path(path)
    job = ExchangeJob.objects.create(
        session="bench",
        kind="offers" if file.name.startswith("offers") else "import",
        filename=file.name,
        path=str(file),
        size=file.stat().st_size,
        status=ExchangeJob.Status.QUEUED,
    )
    started = time.perf_counter()
    exchange_job_task(job.pk)
    wall = time.perf_counter() - started
    job.refresh_from_db()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "status": job.status,
                "counts": job.counts,
                "error": job.error[:300],
                "wall": wall,
                "peak_mb": peak_kb / 1024,
            }
        )
    )


def _import(products: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-cml-"))
    started = time.perf_counter()
    files = write_package(folder, products)
    sizes = ", ".join(f"{f.name} {f.stat().st_size / 1e6:.1f} MB" for f in files)
    print(
        f"CommerceML package of {products} products written in "
        f"{time.perf_counter() - started:.1f} s: {sizes}"
    )
    for run in (1, 2):
        total = 0.0
        for file in files:
            result = subprocess.run(  # noqa: S603 - our own script, fixed argv
                [sys.executable, __file__, "--child", str(file)],
                capture_output=True,
                text=True,
                env=os.environ,
                check=True,
            )
            line = json.loads(result.stdout.strip().splitlines()[-1])
            total += line["wall"]
            print(
                f"run {run} {file.name:11} {line['status']:6} {line['wall']:6.1f} s "
                f"peak RSS {line['peak_mb']:6.0f} MB  {json.dumps(line['counts'])} "
                f"{line['error']}",
                flush=True,
            )
        print(f"run {run} package total {total:.1f} s")


def main() -> None:
    args = arguments(__doc__, units=500, extra=_extra)
    if args.child:
        setup("api")
        _child(args.child)
        return
    os.environ.setdefault("API_RATE_LIMIT", "1000000/min")  # one key, thousands of requests
    setup("api", reseed=args.reseed)
    from franchise.models import Franchisee
    from orders.models import Product

    ensure_network(args.units)
    print(
        f"network: {Franchisee.objects.count()} units, {Product.objects.count()} products; "
        f"database: {database_label()}"
    )
    if not args.skip_lists:
        _lists(args.samples)
    if not args.skip_import:
        _import(args.products)


if __name__ == "__main__":
    main()
