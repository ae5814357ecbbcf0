"""Settlements at scale: ageing of the whole network, the receivables page right after a
payment, a 24-month reconciliation act PDF and the unit's ledger page. Prints best-of-N and
p95 figures only (never pass/fail).

    .venv/bin/python bench/bench_finance.py                           # 500 units, SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_finance \\
        .venv/bin/python bench/bench_finance.py --units 5000

Builds its own synthetic ledger once (no seed_demo): N units in 8 regions, a manager with a
third of them, and per unit and month of the last 24 a royalty, a marketing fee and a payment
(a tenth of the units stop paying 4 months before the end, a few pay late), written with
bulk_create and the balance rows and the ledger summary to match. "After a write" samples each
page right after a new payment is recorded through the service, so nothing computed before it
can be reused. The payments go to the second unit; the act is the first unit's, so its figure
is always that of 24 months of entries, however many samples ran before it.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, best, database_label, p95, setup  # noqa: E402

MONTHS = 24


def _extra(parser):
    parser.add_argument("--samples", type=int, default=20, help="requests per page")


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    out = []
    for _ in range(MONTHS):
        first = (first - timedelta(days=1)).replace(day=1)
        out.append(first)
    return sorted(out)


def _build(units: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from finance import summary
    from finance.models import Agreement, Balance, Entry
    from franchise import access
    from franchise.models import Franchisee, Region
    from portal.models import User

    call_command("migrate", verbosity=0)
    if Franchisee.objects.filter(code__startswith="FB-").count() >= units:
        return
    started = time.perf_counter()
    today = date.today()
    with transaction.atomic():
        regions = [
            Region.objects.get_or_create(code=f"fb{i}", defaults={"name": f"Регион {i}"})[0]
            for i in range(8)
        ]
        manager, _ = User.objects.get_or_create(username="fb-manager")
        manager.groups.add(access.ensure_groups()[access.ACCOUNT_MANAGERS])
        lead, _ = User.objects.get_or_create(username="fb-lead")
        lead.groups.add(access.ensure_groups()[access.NETWORK_LEADS])
        made = Franchisee.objects.bulk_create(
            [
                Franchisee(
                    code=f"FB-{i:05d}",
                    legal_name=f"ООО «Точка {i}»",
                    inn=f"77{i:08d}",
                    trading_name=f"Точка {i}",
                    region=regions[i % 8],
                    city="Казань",
                    address="ул. Баумана, 1",
                )
                for i in range(units)
            ],
            batch_size=2000,
        )
        for unit in made[: units // 3]:
            access.set_account_manager(unit, manager)
        Agreement.objects.bulk_create(
            [
                Agreement(
                    unit=u,
                    number=f"FA-{u.code}",
                    signed_on=date(2020, 1, 1),
                    starts_on=date(2020, 1, 1),
                    franchisor_name="ООО «Франчайзер»",
                    franchisor_inn="7701234567",
                )
                for u in made
            ],
            batch_size=2000,
        )
        entries, balances = [], []
        months = _months(today)
        for n, unit in enumerate(made):
            total = Decimal(0)
            stops = n % 10 == 0
            for k, month in enumerate(months):
                due = (month + timedelta(days=32)).replace(day=15)
                royalty = Decimal(50000 + (n * 37 + k * 101) % 40000)
                marketing = (royalty / 3).quantize(Decimal("0.01"))
                for kind, amount in (("royalty", royalty), ("marketing", marketing)):
                    entries.append(
                        Entry(
                            unit=unit,
                            kind=kind,
                            posted_on=due - timedelta(days=14),
                            period_start=month,
                            due_on=due,
                            amount=amount,
                        )
                    )
                    total += amount
                if stops and k >= MONTHS - 4:
                    continue
                late = 40 if n % 7 == 0 else 0
                paid = royalty + marketing
                entries.append(
                    Entry(
                        unit=unit,
                        kind="adjustment",
                        posted_on=min(due + timedelta(days=late), today),
                        amount=-paid,
                    )
                )
                total -= paid
            balances.append(Balance(unit=unit, amount=total))
            if len(entries) > 20000:
                Entry.objects.bulk_create(entries, batch_size=5000)
                entries = []
        Entry.objects.bulk_create(entries, batch_size=5000)
        Balance.objects.bulk_create(balances, batch_size=2000)
        summary.refresh(u.pk for u in made)
    print(f"built {units} units × {MONTHS} months in {time.perf_counter() - started:.1f} s")


def main() -> None:
    args = arguments(__doc__, units=500, extra=_extra)
    setup("finance", reseed=args.reseed)

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from finance import receivables, selectors, services, statements
    from finance.models import Entry, Payment
    from franchise import access
    from franchise.models import Franchisee
    from portal.models import User

    _build(args.units)
    units = Franchisee.objects.filter(code__startswith="FB-")
    manager = User.objects.get(username="fb-manager")
    lead = User.objects.get(username="fb-lead")
    portfolio = access.units_visible_to(manager, "review").count()
    print(
        f"network: {units.count()} units, {Entry.objects.count()} ledger entries; manager's "
        f"portfolio: {portfolio} units; database: {database_label()}"
    )
    today = timezone.localdate()
    # The act is rendered for the first unit; the bench's own payments go to the second, so
    # the act keeps its 24 months of entries however many samples are taken.
    act_unit, payer = units.order_by("code")[:2]
    counter = {"n": Payment.objects.count()}

    def pay():
        counter["n"] += 1
        services.payment_record(
            payment=Payment(
                unit=payer,
                paid_on=today,
                amount=Decimal("10.00"),
                number=f"B{counter['n']}",
                fingerprint=f"bench-{counter['n']}-{time.time_ns()}",
            )
        )

    seconds, table = best(lambda: receivables.network_table(units, today=today), args.repeat)
    print(f"ageing of the whole network ({len(table)} units): best {seconds * 1000:.0f} ms")
    start = today.replace(day=1) - timedelta(days=MONTHS * 31)
    statement = selectors.unit_statement(act_unit, start=start, end=today)
    seconds, data = best(lambda: statements.act_pdf(act_unit, statement), args.repeat)
    print(
        f"reconciliation act PDF, {len(statement.rows)} entries over {MONTHS} months: "
        f"best {seconds * 1000:.0f} ms, {len(data)} bytes"
    )

    lead_client, manager_client = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    lead_client.force_login(lead)
    manager_client.force_login(manager)
    owner_client = Client(HTTP_HOST="localhost")
    owner_client.force_login(lead)  # reads one unit's pages as any reader would

    def page(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101

        return run

    steps = [
        ("receivables, lead (network)", page(lead_client, "/finance/receivables/")),
        (f"receivables, manager ({portfolio})", page(manager_client, "/finance/receivables/")),
        ("receivables XLSX, lead", page(lead_client, "/finance/receivables/?format=xlsx")),
        ("unit ledger page", page(owner_client, f"/finance/u/{payer.code}/")),
        (
            "act PDF 24 months (view)",
            page(owner_client, f"/finance/u/{act_unit.code}/act.pdf?from={start.isoformat()}"),
        ),
    ]
    for _label, fn in steps:
        fn()
    print(f"{'page':34} {'p95 after a payment':>20} {'median':>8}")
    writes = []
    for label, fn in steps:
        after = []
        for _ in range(args.samples):
            started = time.perf_counter()
            pay()
            writes.append(time.perf_counter() - started)
            started = time.perf_counter()
            fn()
            after.append(time.perf_counter() - started)
        print(
            f"{label:34} {p95(after) * 1000:>17.0f} ms {statistics.median(after) * 1000:>5.0f} ms"
        )
    print(
        f"{'recording a payment (the write)':34} {p95(writes) * 1000:>17.0f} ms "
        f"{statistics.median(writes) * 1000:>5.0f} ms"
    )
    connection.close()


if __name__ == "__main__":
    main()
