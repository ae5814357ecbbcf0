"""Loading a whole price list from XLSX or CSV: a dry run first, then all or nothing.

The file has a header row naming an SKU column ("SKU", "Артикул") and a price column
("Price", "Цена"); other columns are ignored. The preview lists what changes (new prices,
changed prices, products not on the list yet) and every bad line by its number; applying
re-reads the same stored file and writes it in one transaction, so a second run changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from portal.money import round_money
from portal.safe_files import Limits, UnsafeFile, clip, csv_rows, xlsx_rows

from .models import PriceList, PriceListItem, Product

SKU_NAMES = {"sku", "артикул", "код"}
PRICE_NAMES = {"price", "цена", "цена, ₽", "цена, руб."}
MAX_ROWS = 100_000
MAX_BYTES = 20 * 2**20
HEADER_SEARCH_ROWS = 10


class PriceFileError(ValueError):
    """The file as a whole cannot be read (wrong type, no header, too large)."""


@dataclass
class Change:
    line: int
    product: Product
    old: Decimal | None
    new: Decimal


@dataclass
class Preview:
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def added(self) -> list[Change]:
        return [c for c in self.changes if c.old is None]

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if c.old is not None]


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def read_rows(name: str, data: bytes) -> list[tuple[int, str, str]]:
    """(line number, SKU, price text) of every data row; PriceFileError for a bad file.

    Read through the guarded reader (`portal.safe_files`): zip bombs, entity expansion, huge
    sheets and cells are refused before and while parsing."""
    limits = Limits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS, max_cols=50)
    if data[:2] == b"PK":
        reader = xlsx_rows
    elif name.lower().endswith((".csv", ".txt")):
        reader = csv_rows
    else:
        raise PriceFileError(_("Upload an XLSX or CSV file."))
    try:
        out, sku_col, price_col = [], None, None
        for number, row in enumerate(reader(data, limits=limits), start=1):
            cells = ["" if v is None else str(v).strip() for v in row]
            if sku_col is None:
                names = [c.lower() for c in cells]
                sku_col = next((i for i, n in enumerate(names) if n in SKU_NAMES), None)
                price_col = next((i for i, n in enumerate(names) if n in PRICE_NAMES), None)
                if sku_col is None or price_col is None:
                    if number >= HEADER_SEARCH_ROWS:
                        break
                    sku_col = None
                continue
            if not any(cells):
                continue
            if len(out) >= MAX_ROWS:
                raise PriceFileError(_("The file has more than 100,000 rows."))
            out.append((number, _cell(cells, sku_col), _cell(cells, price_col)))
    except UnsafeFile as error:
        raise PriceFileError(error.message) from error
    if sku_col is None:
        raise PriceFileError(
            _('No header row with "SKU" and "Price" columns in the first ten rows.')
        )
    return out


def _price(text: str) -> Decimal | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("₽", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def price_list_preview(*, price_list: PriceList, rows: list[tuple[int, str, str]]) -> Preview:
    preview = Preview()
    products = Product.objects.in_bulk([sku for _n, sku, _p in rows], field_name="sku")
    current = dict(
        PriceListItem.objects.filter(price_list=price_list).values_list("product_id", "price")
    )
    seen: dict[str, int] = {}
    for number, sku, raw in rows:
        product, price = products.get(sku), _price(raw)
        if not sku:
            preview.errors.append((number, _("The SKU is empty.")))
        elif sku in seen:
            preview.errors.append(
                (
                    number,
                    _("SKU %(sku)s is already on line %(line)s.")
                    % {"sku": clip(sku), "line": seen[sku]},
                )
            )
        elif product is None:
            preview.errors.append((number, _("No product has SKU %(sku)s.") % {"sku": clip(sku)}))
        elif price is None or price < 0 or price > Decimal("999999999"):
            preview.errors.append(
                (number, _("%(value)s is not a price.") % {"value": clip(raw) or "—"})
            )
        else:
            price = round_money(price)
            old = current.get(product.pk)
            if old == price:
                preview.unchanged += 1
            else:
                preview.changes.append(Change(number, product, old, price))
        seen.setdefault(sku, number)
    return preview


@transaction.atomic
def price_list_apply(*, price_list: PriceList, rows: list[tuple[int, str, str]]) -> Preview:
    """Write the file's prices if it has no error at all; returns the preview either way."""
    PriceList.objects.select_for_update().filter(pk=price_list.pk).first()
    preview = price_list_preview(price_list=price_list, rows=rows)
    if preview.errors:
        return preview
    PriceListItem.objects.bulk_create(
        [
            PriceListItem(price_list=price_list, product=c.product, price=c.new)
            for c in preview.changes
        ],
        update_conflicts=True,
        unique_fields=["price_list", "product"],
        update_fields=["price", "updated_at"],
        batch_size=2000,
    )
    price_list.save(update_fields=["updated_at"])
    return preview
