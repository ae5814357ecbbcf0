"""Ordering at scale: catalogue, search, cart, submit and the order desk on a network with
many products and a manager with a large portfolio, against a bare view in the same run.
Prints p95 figures and ratios only.

    .venv/bin/python bench/bench_orders.py                           # 500 units, SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_orders \\
        .venv/bin/python bench/bench_orders.py --units 5000 --products 20000

Builds the network with `seed_demo --units N` once (its 299 demo products and 24 months of
orders), adds synthetic products up to --products with prices and stock, then samples every
page --samples times. "After a write" samples each page right after a new order is submitted
by another unit, so nothing cached survives that a write should refresh.
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import arguments, database_label, ensure_network, setup  # noqa: E402


def _extra(parser):
    parser.add_argument("--products", type=int, default=2000, help="catalogue size")
    parser.add_argument("--samples", type=int, default=30, help="requests per page")


def _grow_catalogue(target: int) -> None:
    from orders.models import Category, PriceList, PriceListItem, Product, Stock, Warehouse

    have = Product.objects.count()
    if have >= target:
        return
    started = time.perf_counter()
    categories = list(Category.objects.all())
    base = PriceList.objects.get(is_base=True)
    new = Product.objects.bulk_create(
        [
            Product(
                sku=f"BENCH-{i:06d}",
                name_en=f"Bench item {i}",
                name_ru=f"Тестовый товар {i} мука сахар"[: 40 + i % 10],
                category=categories[i % len(categories)],
            )
            for i in range(have, target)
        ],
        batch_size=2000,
    )
    PriceListItem.objects.bulk_create(
        [PriceListItem(price_list=base, product=p, price=Decimal("99.00")) for p in new],
        batch_size=2000,
    )
    for warehouse in Warehouse.objects.all():
        Stock.objects.bulk_create(
            [Stock(warehouse=warehouse, product=p, on_hand=Decimal("1000")) for p in new],
            batch_size=2000,
        )
    from wagtail.search.backends import get_search_backend

    get_search_backend().add_bulk(Product, new)
    print(f"catalogue grown to {target} products in {time.perf_counter() - started:.1f} s")


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def main() -> None:
    args = arguments(__doc__, units=500, extra=_extra)
    setup("orders", reseed=args.reseed)

    from django.contrib.auth import get_user_model
    from django.test import Client

    from franchise import access
    from franchise.models import Franchisee, Membership, Role
    from orders import cart as C
    from orders import services as O
    from orders.models import Order, Product

    ensure_network(args.units)
    _grow_catalogue(args.products)
    users = get_user_model().objects
    manager = users.get(username="manager")
    owner_membership = Membership.objects.filter(role=Role.OWNER).select_related("unit", "user")
    mine = owner_membership.filter(user__username="owner").first()
    writer = owner_membership.exclude(unit=mine.unit).first()  # another unit that keeps ordering
    portfolio = access.units_visible_to(manager, "review").count()
    print(
        f"network: {Franchisee.objects.count()} units, {Product.objects.count()} products, "
        f"{Order.objects.count()} orders; manager's portfolio: {portfolio} units; "
        f"database: {database_label()}"
    )
    owner_client, manager_client = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    owner_client.force_login(mine.user)
    manager_client.force_login(manager)
    code = mine.unit.code
    product = Product.objects.filter(is_active=True, sku__startswith="FLO").first()

    def submit_elsewhere():
        C.cart_add(
            unit=writer.unit, product_id=product.pk, quantity=str(product.min_qty), user=writer.user
        )
        O.order_submit(
            unit=writer.unit,
            user=writer.user,
            token=O.new_token(),
            delivery_date=O.delivery_dates(writer.unit)[0],
            accepted_total=C.cart_view(writer.unit).total,
        )

    def add_to_cart():
        C.cart_add(
            unit=mine.unit, product_id=product.pk, quantity=str(product.min_qty), user=mine.user
        )

    def submit_mine():
        add_to_cart()
        O.order_submit(
            unit=mine.unit,
            user=mine.user,
            token=O.new_token(),
            delivery_date=O.delivery_dates(mine.unit)[0],
            accepted_total=C.cart_view(mine.unit).total,
        )

    def page(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101

        return run

    steps = [
        ("bare view", page(owner_client, "/bench/bare")),
        ("catalogue page", page(owner_client, f"/orders/{code}/catalogue/")),
        ("catalogue search 'мука'", page(owner_client, f"/orders/{code}/catalogue/?q=мука")),
        ("cart page", page(owner_client, f"/orders/{code}/cart/")),
        ("add to cart (service)", add_to_cart),
        ("submit an order (service)", submit_mine),
        ("unit's orders", page(owner_client, f"/orders/{code}/")),
        ("order desk, manager", page(manager_client, "/orders/desk/")),
        ("order desk all open, manager", page(manager_client, "/orders/desk/?status=open")),
    ]
    for _label, fn in steps:
        fn()
    bare = None
    print(f"{'step':34} {'p95 warm':>10} {'p95 after a write':>18} {'× bare':>8}")
    for label, fn in steps:
        warm, after = [], []
        for _ in range(args.samples):
            started = time.perf_counter()
            fn()
            warm.append(time.perf_counter() - started)
            submit_elsewhere()
            started = time.perf_counter()
            fn()
            after.append(time.perf_counter() - started)
        w, a = p95(warm) * 1000, p95(after) * 1000
        bare = bare or w
        print(f"{label:34} {w:8.1f} ms {a:15.1f} ms {a / bare:8.1f}")


if __name__ == "__main__":
    main()
