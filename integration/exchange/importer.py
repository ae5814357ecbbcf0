"""Apply a CommerceML package: read it all and check every element first, then write in one
transaction. Rows are matched by 1C's Ид (`external_id`) and written only where a value
differs, so the same package a second time changes nothing (not even `updated_at`)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from orders.models import Category, PriceList, PriceListItem, Product, Stock, Warehouse

from ..models import PriceTypeLink
from . import commerceml as cml

MAX_ERRORS = 50
Progress = Callable[[int], None]


class PackageInvalid(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:MAX_ERRORS]))
        self.errors = errors


def _upsert(model, rows: dict[str, dict], fields: list[str], now) -> tuple[int, int]:
    """Create missing rows and update changed ones, keyed by external_id (the stored values
    are compared as tuples: no model object per existing row)."""
    stored = model.objects.filter(external_id__in=list(rows))
    existing = {ext: rest for ext, *rest in stored.values_list("external_id", "pk", *fields)}
    fresh, changed = [], []
    for ext, values in rows.items():
        current = existing.get(ext)
        if current is None:
            fresh.append(model(external_id=ext, **values))
        elif current[1:] != [values[f] for f in fields]:
            changed.append(model(pk=current[0], external_id=ext, updated_at=now, **values))
    model.objects.bulk_create(fresh, batch_size=1000)
    if changed:
        model.objects.bulk_update(changed, [*fields, "updated_at"], batch_size=1000)
    return len(fresh), len(changed)


def catalogue_import(path, *, progress: Progress = lambda p: None) -> dict:
    groups: dict[str, dict] = {}
    products: dict[str, dict] = {}
    errors: list[str] = []
    for n, item in enumerate(cml.read_import(path), start=1):
        if not item["id"]:
            errors.append(f"{item['kind']} #{n}: no Ид")
        elif item["kind"] == "group":
            groups[item["id"]] = item
        else:
            products[item["id"]] = item
            if not item["name"]:
                errors.append(f"product {item['id']}: no Наименование")
            if item["group"] and item["group"] not in groups:
                if not Category.objects.filter(external_id=item["group"]).exists():
                    errors.append(f"product {item['id']}: unknown group {item['group']}")
            if (
                item["vat"]
                and item["vat"].lower() not in ("без ндс",)
                and cml.number(item["vat"]) is None
            ):
                errors.append(f"product {item['id']}: VAT rate {item['vat']!r} is not a number")
        if n % 2000 == 0:
            progress(min(40, n // 500))
    skus: dict[str, str] = {}
    for ext, item in products.items():
        sku = (item["sku"] or ext)[:40]
        if skus.setdefault(sku, ext) != ext:
            errors.append(f"product {ext}: SKU {sku} also used by {skus[sku]}")
        item["sku"] = sku
    taken = Product.objects.filter(sku__in=list(skus)).exclude(external_id__in=list(products))
    errors += [
        f"SKU {sku} belongs to another portal product"
        for sku in taken.values_list("sku", flat=True)
    ]
    if errors:
        raise PackageInvalid(errors)
    progress(50)
    now = timezone.now()
    with transaction.atomic():
        counts = {}
        counts["groups"] = _upsert(
            Category,
            {
                ext: {"name_ru": g["name"][:200], "name_en": g["name"][:200]}
                for ext, g in groups.items()
            },
            ["name_ru", "name_en"],
            now,
        )
        ids = dict(
            Category.objects.filter(external_id__isnull=False).values_list("external_id", "pk")
        )
        parents = [
            Category(pk=ids[ext], parent_id=ids.get(g["parent"])) for ext, g in groups.items()
        ]
        current = dict(
            Category.objects.filter(pk__in=[c.pk for c in parents]).values_list("pk", "parent_id")
        )
        moved = [c for c in parents if current[c.pk] != c.parent_id]
        Category.objects.bulk_update(moved, ["parent_id"], batch_size=1000)
        fallback = (
            _fallback_category(ids) if any(not p["group"] for p in products.values()) else None
        )
        rows = {}
        for ext, p in products.items():
            vat = cml.number(p["vat"]) if p["vat"] else None
            rows[ext] = {
                "sku": p["sku"],
                "name_ru": p["name"][:255],
                "name_en": p["name"][:255],
                "description_ru": p["description"],
                "category_id": ids.get(p["group"]) or fallback,
                "unit_of_measure": p["unit"] or "pcs",
                "vat_rate": vat
                if vat is not None
                else Decimal("0.00")
                if p["vat"]
                else Decimal("20.00"),
                "is_active": not p["deleted"],
            }
        counts["products"] = _upsert(Product, rows, list(next(iter(rows.values()), {})), now)
    progress(100)
    return {k: {"created": c, "updated": u} for k, (c, u) in counts.items()}


def _fallback_category(ids: dict) -> int:
    category, _ = Category.objects.get_or_create(
        external_id="1c-uncategorised", defaults={"name_en": "Other", "name_ru": "Прочее"}
    )
    return category.pk


def offers_import(path, *, progress: Progress = lambda p: None) -> dict:
    price_types: dict[str, str] = {}
    warehouses: dict[str, str] = {}
    offers: list[dict] = []
    errors: list[str] = []
    for item in cml.read_offers(path):
        if item["kind"] == "price_type":
            price_types[item["id"]] = item["name"]
        elif item["kind"] == "warehouse":
            warehouses[item["id"]] = item["name"]
        else:
            offers.append(item)
    products = dict(
        Product.objects.filter(external_id__in=[o["id"] for o in offers]).values_list(
            "external_id", "pk"
        )
    )
    known_wh = set(
        Warehouse.objects.filter(external_id__in=list(warehouses)).values_list(
            "external_id", flat=True
        )
    )
    prices: dict[tuple[str, int], Decimal] = {}
    stock: dict[tuple[str, int], Decimal] = {}
    for offer in offers:
        pid = products.get(offer["id"])
        if pid is None:
            errors.append(f"offer {offer['id']}: no such product (send import.xml first)")
            continue
        for type_id, value in offer["prices"]:
            price = cml.number(value)
            if (
                type_id not in price_types
                and not PriceTypeLink.objects.filter(external_id=type_id).exists()
            ):
                errors.append(f"offer {offer['id']}: unknown price type {type_id}")
            elif price is None or price < 0:
                errors.append(f"offer {offer['id']}: price {value!r} is not a non-negative number")
            else:
                prices[(type_id, pid)] = price.quantize(Decimal("0.01"))
        per_wh = offer["stock"] or ([("", offer["quantity"])] if offer["quantity"] else [])
        for wh, value in per_wh:
            qty = cml.number(value)
            if qty is None or qty < 0:
                errors.append(
                    f"offer {offer['id']}: quantity {value!r} is not a non-negative number"
                )
            elif wh and wh not in warehouses and wh not in known_wh:
                errors.append(f"offer {offer['id']}: unknown warehouse {wh}")
            else:
                stock[(wh, pid)] = qty
    if errors:
        raise PackageInvalid(errors)
    progress(50)
    now = timezone.now()
    with transaction.atomic():
        _warehouses(warehouses, now)
        lists = _price_lists(price_types)
        counts = {"prices": _write_prices(prices, lists, now), "stock": _write_stock(stock, now)}
    progress(100)
    return counts


def _warehouses(warehouses: dict[str, str], now) -> None:
    existing = {
        w.external_id: w for w in Warehouse.objects.filter(external_id__in=list(warehouses))
    }
    for ext, name in warehouses.items():
        warehouse = existing.get(ext)
        if warehouse is None:
            code = "1c-" + hashlib.sha256(ext.encode()).hexdigest()[:12]
            Warehouse.objects.create(external_id=ext, name=name[:200] or ext, code=code)
        elif name and warehouse.name != name[:200]:
            Warehouse.objects.filter(pk=warehouse.pk).update(name=name[:200], updated_at=now)


def _price_lists(price_types: dict[str, str]) -> dict[str, int]:
    links = dict(PriceTypeLink.objects.values_list("external_id", "price_list_id"))
    for ext, name in price_types.items():
        if ext not in links:
            is_base = not PriceList.objects.filter(is_base=True).exists()
            price_list = PriceList.objects.create(name=name[:200] or ext, is_base=is_base)
            PriceTypeLink.objects.create(external_id=ext, price_list=price_list)
            links[ext] = price_list.pk
    return links


def _write_prices(prices, lists, now) -> dict:
    wanted = {(lists[t], pid): price for (t, pid), price in prices.items()}
    stored = PriceListItem.objects.filter(
        price_list__in=set(lists.values()), product__in={pid for _, pid in wanted}
    ).values_list("price_list_id", "product_id", "pk", "price")
    existing = {(list_id, pid): (pk, price) for list_id, pid, pk, price in stored}
    fresh, changed = [], []
    for (list_id, pid), price in wanted.items():
        item = existing.get((list_id, pid))
        if item is None:
            fresh.append(PriceListItem(price_list_id=list_id, product_id=pid, price=price))
        elif item[1] != price:
            changed.append(PriceListItem(pk=item[0], price=price, updated_at=now))
    PriceListItem.objects.bulk_create(fresh, batch_size=1000)
    PriceListItem.objects.bulk_update(changed, ["price", "updated_at"], batch_size=1000)
    return {"created": len(fresh), "updated": len(changed)}


def _write_stock(stock, now) -> dict:
    """On hand from 1C; the portal's reservations stay (the CHECK refuses on hand < reserved,
    which is reported instead of half-writing)."""
    default = Warehouse.objects.filter(is_active=True).order_by("sort_order", "pk").first()
    ids = dict(Warehouse.objects.filter(external_id__isnull=False).values_list("external_id", "pk"))
    wanted = {}
    for (wh, pid), qty in stock.items():
        wh_id = ids.get(wh) if wh else (default.pk if default else None)
        if wh_id is None:
            raise PackageInvalid(["offers without a warehouse, and the portal has none"])
        wanted[(wh_id, pid)] = qty
    stored = Stock.objects.filter(product__in={pid for _, pid in wanted}).values_list(
        "warehouse_id", "product_id", "pk", "on_hand", "reserved"
    )
    existing = {(wh_id, pid): rest for wh_id, pid, *rest in stored}
    fresh, changed, short = [], [], []
    for (wh_id, pid), qty in wanted.items():
        row = existing.get((wh_id, pid))
        if row is None:
            fresh.append(Stock(warehouse_id=wh_id, product_id=pid, on_hand=qty))
        elif row[1] != qty:
            pk, _on_hand, reserved = row
            if qty < reserved:
                short.append(f"product {pid}: on hand {qty} is below the {reserved} reserved")
            changed.append(Stock(pk=pk, on_hand=qty, updated_at=now))
    if short:
        raise PackageInvalid(short)
    Stock.objects.bulk_create(fresh, batch_size=1000)
    Stock.objects.bulk_update(changed, ["on_hand", "updated_at"], batch_size=1000)
    return {"created": len(fresh), "updated": len(changed)}
