"""Demo ordering: the catalogue of `demo_data/catalogue.yaml` (about 300 SKUs in twelve
categories), a base and a regional price list, two warehouses with stock, delivery days for
every unit and 24 months of orders with realistic outcomes — most delivered, some late or
shipped short, a few rejected or cancelled, the last weeks still open.

Orders, lines, events and invoices are written with explicit ids in bulk, so a 5,000-unit
network takes seconds per year of history. Idempotent: units that have orders are skipped,
products are matched by SKU.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from portal.demo import DemoContext
from portal.money import round_money

from .cart import vat_included
from .models import (
    Category,
    DeliverySchedule,
    FranchisorDetails,
    Invoice,
    Order,
    OrderEvent,
    OrderLine,
    OrderSource,
    PriceList,
    PriceListItem,
    Product,
    Stock,
    Warehouse,
)
from .models import OrderStatus as S

DATA = Path(__file__).parent / "demo_data" / "catalogue.yaml"
NO_LARGE_PACK = {"uniform", "marketing"}
MONTHS = 24


def _catalogue_rows() -> list[dict]:
    """Every SKU of the data file: each variant, and a large pack of it where it makes sense."""
    rows = []
    for c_index, category in enumerate(yaml.safe_load(DATA.read_text("utf-8"))["categories"]):
        for p_index, p in enumerate(category["products"]):
            for v_index, (v_en, v_ru, factor) in enumerate(p["variants"]):
                sku = f"{category['code'][:3].upper()}-{p_index + 1:02d}{v_index + 1:02d}"
                base = {
                    "category": category["code"],
                    "en": f"{p['en']}, {v_en}",
                    "ru": f"{p['ru']}, {v_ru}",
                    "uom": p["uom"],
                    "pack": Decimal(str(p["pack"])),
                    "min": Decimal(str(p["min"])),
                    "vat": Decimal(str(p["vat"])),
                    "price": round_money(Decimal(str(p["price"])) * Decimal(str(factor))),
                }
                rows.append({**base, "sku": sku, "sort": c_index})
                if category["code"] not in NO_LARGE_PACK:
                    rows.append(
                        {
                            **base,
                            "sku": f"{sku}-L",
                            "en": f"{base['en']} (large pack)",
                            "ru": f"{base['ru']} (крупная упаковка)",
                            "pack": base["pack"] * 4,
                            "min": base["pack"] * 4,
                            "price": round_money(base["price"] * Decimal("0.94")),
                            "sort": c_index,
                        }
                    )
    return rows


def _seed_catalogue(ctx: DemoContext, rng) -> list[Product]:
    data = yaml.safe_load(DATA.read_text("utf-8"))["categories"]
    categories = {}
    for index, c in enumerate(data):
        categories[c["code"]], _created = Category.objects.get_or_create(
            external_id=f"demo-{c['code']}",
            defaults={"name_en": c["en"], "name_ru": c["ru"], "sort_order": index},
        )
    rows = _catalogue_rows()
    existing = set(Product.objects.values_list("sku", flat=True))
    Product.objects.bulk_create(
        [
            Product(
                sku=r["sku"],
                name_en=r["en"],
                name_ru=r["ru"],
                category=categories[r["category"]],
                unit_of_measure=r["uom"],
                pack_size=r["pack"],
                min_qty=r["min"],
                vat_rate=r["vat"],
                description_ru="Поставка с центрального склада франчайзера.",
                description_en="Supplied from the franchisor's central warehouse.",
            )
            for r in rows
            if r["sku"] not in existing
        ]
    )
    products = {p.sku: p for p in Product.objects.filter(sku__in=[r["sku"] for r in rows])}
    start = ctx.today.replace(day=1) - timedelta(days=31 * MONTHS)
    base, _ = PriceList.objects.get_or_create(
        name="Базовый прайс-лист", defaults={"is_base": True, "valid_from": start}
    )
    regional, created = PriceList.objects.get_or_create(
        name="Поволжье: региональные цены", defaults={"valid_from": start}
    )
    if created:
        from franchise.models import Region

        regional.regions.set(Region.objects.order_by("pk")[:1])
    have = set(PriceListItem.objects.filter(price_list=base).values_list("product_id", flat=True))
    PriceListItem.objects.bulk_create(
        [
            PriceListItem(price_list=base, product=products[r["sku"]], price=r["price"])
            for r in rows
            if products[r["sku"]].pk not in have
        ]
    )
    if created:
        PriceListItem.objects.bulk_create(
            [
                PriceListItem(
                    price_list=regional,
                    product=products[r["sku"]],
                    price=round_money(r["price"] * Decimal("0.95")),
                )
                for r in rows
                if rng.random() < 0.4
            ]
        )
    return list(products.values())


def _seed_stock(ctx: DemoContext, rng, products) -> list[Warehouse]:
    central, _ = Warehouse.objects.get_or_create(
        code="msk",
        defaults={"name": "Центральный склад (Москва)", "address": "Москва, ул. Складская, 1"},
    )
    volga, created = Warehouse.objects.get_or_create(
        code="kzn", defaults={"name": "Склад Поволжье (Казань)", "sort_order": 1}
    )
    if created:
        from franchise.models import Region

        volga.regions.set(Region.objects.order_by("pk")[:1])
    have = set(Stock.objects.values_list("warehouse_id", "product_id"))
    rows = []
    scale = max(1, ctx.units // 20)
    for warehouse in (central, volga):
        for p in products:
            if (warehouse.pk, p.pk) in have:
                continue
            roll = rng.random()
            packs = (
                0 if roll < 0.05 else (rng.randint(1, 3) if roll < 0.12 else rng.randint(20, 200))
            )
            on_hand = p.pack_size * packs * scale
            rows.append(
                Stock(
                    warehouse=warehouse,
                    product=p,
                    on_hand=on_hand,
                    expected_on=ctx.today + timedelta(days=rng.randint(3, 20))
                    if packs == 0
                    else None,
                )
            )
    Stock.objects.bulk_create(rows, batch_size=2000)
    return [central, volga]


def _seed_details() -> None:
    details = FranchisorDetails.load()
    if details.pk and details.legal_name:
        return
    details.legal_name = "ООО «Хлебный путь»"
    details.inn = "7701234567"
    details.kpp = "770101001"
    details.ogrn = "1027700123456"
    details.address = "125009, Москва, ул. Тверская, д. 7"
    details.bank = "ПАО Сбербанк, г. Москва"
    details.bik = "044525225"
    details.account = "40702810938000012345"
    details.correspondent_account = "30101810400000000225"
    details.director = "Соколов А. В."
    details.chief_accountant = "Лебедева Н. П."
    details.save()


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_sequences() -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Order, OrderLine, Invoice]):
            cursor.execute(sql)


def _outcome(rng, age_days: int) -> str:
    if age_days < 3:
        return S.SUBMITTED
    if age_days < 7:
        return rng.choice([S.INVOICED, S.PAID, S.PARTIALLY_SHIPPED])
    if age_days < 10:
        return rng.choice([S.SHIPPED, S.DELIVERED])
    roll = rng.random()
    return S.REJECTED if roll < 0.03 else S.CANCELLED if roll < 0.05 else S.DELIVERED


def _seed_orders(ctx: DemoContext, rng, products, warehouses) -> int:
    units = [u for u in ctx.unit_objects if u.status == "active"] or list(ctx.unit_objects)
    done = set(Order.objects.filter(unit__in=units).values_list("unit_id", flat=True).distinct())
    units = [u for u in units if u.pk not in done]
    if not units:
        return 0
    prices = dict(
        PriceListItem.objects.filter(price_list__is_base=True).values_list("product_id", "price")
    )
    sellable = [p for p in products if p.pk in prices]
    volga_regions = set(warehouses[1].regions.values_list("pk", flat=True))
    order_id, line_id, invoice_id = _next_id(Order), _next_id(OrderLine), _next_id(Invoice)
    tz = timezone.get_current_timezone()
    orders, lines, events, invoices = [], [], [], []
    for unit in units:
        usual = rng.sample(sellable, k=min(len(sellable), rng.randint(4, 9)))
        warehouse = warehouses[1] if unit.region_id in volga_regions else warehouses[0]
        for month in range(MONTHS):
            day = ctx.today - timedelta(days=30 * (MONTHS - month) - rng.randint(0, 25))
            if day >= ctx.today or rng.random() < 0.1:
                continue
            submitted = datetime.combine(day, time(rng.randint(8, 19), rng.randint(0, 59)), tz)
            status = _outcome(rng, (ctx.today - day).days)
            promised = day + timedelta(days=rng.choice([2, 3, 4]))
            chosen = usual if rng.random() < 0.6 else rng.sample(sellable, k=rng.randint(2, 6))
            source = (
                OrderSource.REPEAT
                if month and rng.random() < 0.4
                else (OrderSource.USUAL if rng.random() < 0.2 else OrderSource.PORTAL)
            )
            confirm_hours = rng.choice([1, 2, 3, 5, 8, 20, 30])
            confirmed = submitted + timedelta(hours=confirm_hours)
            short = status in (S.DELIVERED, S.SHIPPED) and rng.random() < 0.06
            late = status == S.DELIVERED and rng.random() < 0.08
            total = vat_total = Decimal("0.00")
            for index, p in enumerate(chosen):
                qty = max(p.min_qty, p.pack_size * rng.randint(1, 4))
                price = prices[p.pk]
                amount = round_money(price * qty)
                vat = vat_included(amount, p.vat_rate)
                total, vat_total = total + amount, vat_total + vat
                shipped_qty = qty if status in (S.SHIPPED, S.DELIVERED) else Decimal("0")
                if short and index == 0:
                    shipped_qty = max(Decimal("0"), qty - p.pack_size)
                lines.append(
                    OrderLine(
                        id=line_id,
                        order_id=order_id,
                        product=p,
                        quantity_ordered=qty,
                        quantity=qty,
                        quantity_shipped=shipped_qty,
                        price=price,
                        vat_rate=p.vat_rate,
                        line_total=amount,
                        vat_amount=vat,
                    )
                )
                line_id += 1
            delivered = None
            if status == S.DELIVERED:
                delivered = datetime.combine(
                    promised + timedelta(days=rng.randint(1, 3) if late else 0), time(11), tz
                )
            orders.append(
                Order(
                    id=order_id,
                    unit=unit,
                    number=f"{day:%Y}-{order_id:06d}",
                    status=status,
                    source=source,
                    warehouse=warehouse,
                    delivery_date=promised,
                    total=total,
                    vat_total=vat_total,
                    created_at=submitted,
                    submitted_at=submitted,
                    confirmed_at=confirmed if status not in (S.SUBMITTED, S.REJECTED) else None,
                    delivered_at=delivered,
                    paid_at=confirmed + timedelta(days=2)
                    if status in (S.PAID, S.SHIPPED, S.DELIVERED)
                    else None,
                    cancel_reason="Нет в наличии основной позиции"
                    if status == S.REJECTED
                    else ("Отменён по просьбе франчайзи" if status == S.CANCELLED else ""),
                )
            )
            path = {
                S.SUBMITTED: [S.SUBMITTED],
                S.REJECTED: [S.SUBMITTED, S.REJECTED],
                S.CANCELLED: [S.SUBMITTED, S.CANCELLED],
                S.INVOICED: [S.SUBMITTED, S.CONFIRMED, S.INVOICED],
                S.PAID: [S.SUBMITTED, S.CONFIRMED, S.INVOICED, S.PAID],
                S.PARTIALLY_SHIPPED: [S.SUBMITTED, S.CONFIRMED, S.INVOICED, S.PARTIALLY_SHIPPED],
                S.SHIPPED: [S.SUBMITTED, S.CONFIRMED, S.INVOICED, S.PAID, S.SHIPPED],
                S.DELIVERED: [S.SUBMITTED, S.CONFIRMED, S.INVOICED, S.PAID, S.SHIPPED, S.DELIVERED],
            }[status]
            at, previous = submitted, S.DRAFT
            for step in path:
                events.append(
                    OrderEvent(order_id=order_id, from_status=previous, to_status=step, at=at)
                )
                previous, at = (
                    step,
                    (
                        confirmed
                        if step == S.SUBMITTED
                        else at + timedelta(hours=rng.randint(2, 30))
                    ),
                )
            if S.INVOICED in path:
                invoices.append(
                    Invoice(
                        id=invoice_id,
                        order_id=order_id,
                        unit=unit,
                        number=f"{day:%Y}-{order_id:06d}",
                        issued_on=confirmed.date(),
                        due_on=confirmed.date() + timedelta(days=5),
                        total=total,
                        vat_total=vat_total,
                    )
                )
                invoice_id += 1
            order_id += 1
        if len(lines) > 20000:
            _flush(orders, lines, events, invoices)
    _flush(orders, lines, events, invoices)
    _reset_sequences()
    return order_id


def _flush(orders, lines, events, invoices) -> None:
    Order.objects.bulk_create(orders, batch_size=2000)
    OrderLine.objects.bulk_create(lines, batch_size=2000)
    OrderEvent.objects.bulk_create(events, batch_size=2000)
    Invoice.objects.bulk_create(invoices, batch_size=2000)
    for batch in (orders, lines, events, invoices):
        batch.clear()


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    rng = ctx.rng_for("orders")
    products = _seed_catalogue(ctx, rng)
    warehouses = _seed_stock(ctx, rng, products)
    _seed_details()
    from django.contrib.auth import get_user_model

    from franchise import access

    supply = access.ensure_groups()[access.CATALOGUE_MANAGERS]
    supply.user_set.add(*get_user_model().objects.filter(username="editor"))
    units = list(ctx.unit_objects)
    have = set(DeliverySchedule.objects.values_list("unit_id", flat=True))
    DeliverySchedule.objects.bulk_create(
        [
            DeliverySchedule(
                unit=u, weekdays=rng.choice(["1,4", "2,5", "1,3,5"]), lead_days=rng.choice([1, 2])
            )
            for u in units
            if u.pk not in have
        ],
        batch_size=2000,
    )
    _seed_orders(ctx, rng, products, warehouses)
    get_search_backend().add_bulk(Product, Product.objects.all())
    ctx.log(f"orders: {Product.objects.count()} products, {Order.objects.count()} orders")
