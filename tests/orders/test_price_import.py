"""Loading a price list: dry run, line-numbered errors, all or nothing, idempotent."""

from decimal import Decimal

import pytest

from orders.models import PriceListItem
from orders.price_import import PriceFileError, price_list_apply, price_list_preview, read_rows
from reporting.exports import xlsx_bytes


def _prices(shop):
    return dict(
        PriceListItem.objects.filter(price_list=shop.base).values_list("product__sku", "price")
    )


def test_xlsx_preview_then_apply_then_nothing_more(network, shop):
    data = xlsx_bytes(
        ["Артикул", "Наименование", "Цена"],
        [["FL-1", "Мука", 60], ["CP-1", "Стаканы", "7,00"], ["BG-1", "Пакеты", 1.3]],
    )
    rows = read_rows("prices.xlsx", data)
    assert rows == [(2, "FL-1", "60"), (3, "CP-1", "7,00"), (4, "BG-1", "1.3")]
    preview = price_list_preview(price_list=shop.base, rows=rows)
    assert [(c.product.sku, c.old, c.new) for c in preview.changed] == [
        ("FL-1", Decimal("55.50"), Decimal("60.00")),
        ("BG-1", Decimal("1.25"), Decimal("1.30")),
    ]
    assert preview.unchanged == 1 and preview.errors == []
    assert _prices(shop)["FL-1"] == Decimal("55.50")  # a preview writes nothing
    price_list_apply(price_list=shop.base, rows=rows)
    assert _prices(shop) == {
        "FL-1": Decimal("60.00"),
        "CP-1": Decimal("7.00"),
        "BG-1": Decimal("1.30"),
    }
    again = price_list_apply(price_list=shop.base, rows=rows)
    assert again.changes == [] and again.unchanged == 3


def test_any_bad_line_blocks_the_whole_file(network, shop):
    csv = "SKU;Price\nFL-1;61\nNOPE;5\nCP-1;-3\nCP-1;abc\n;4\nBG-1;" + "9" * 300 + "\n"
    rows = read_rows("prices.csv", csv.encode("cp1251"))
    result = price_list_apply(price_list=shop.base, rows=rows)
    assert [line for line, _m in result.errors] == [3, 4, 5, 6, 7]
    assert "NOPE" in result.errors[0][1]
    assert "already on line 4" in result.errors[2][1]
    assert all(len(m) < 200 for _l, m in result.errors)  # a long value is quoted short
    assert _prices(shop)["FL-1"] == Decimal("55.50")


def test_regional_list_gets_new_products(network, shop):
    rows = read_rows("p.csv", b"sku,price\nCP-1,6.50\n")
    preview = price_list_apply(price_list=shop.regional, rows=rows)
    assert [(c.product.sku, c.old) for c in preview.added] == [("CP-1", None)]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("p.pdf", b"%PDF-1.4", "XLSX or CSV"),
        ("p.csv", b"name,cost\nx,1\n", "header row"),
        ("p.xlsx", b"PK\x03\x04broken", "not a readable XLSX workbook"),
        ("p.csv", b"\xff\xfe\x00\x81\x98" * 3, "not plain text"),
        ("p.csv", "sku;price\nТОРТ;1\n".encode("utf-16-le"), "not plain text"),
    ],
)
def test_unreadable_files_get_a_clear_message(name, data, message):
    with pytest.raises(PriceFileError, match=message):
        read_rows(name, data)
