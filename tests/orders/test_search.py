"""Catalogue search: ranking, what is left out, pages, and a query count that does not grow
with the number of hits (runs on SQLite and on PostgreSQL's russian configuration)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders import selectors
from orders.models import PriceListItem, Product, Stock
from tests.orders.conftest import make_product


def _priced(shop, sku, name, **kw):
    product = make_product(shop.food, sku, name, **kw)
    PriceListItem.objects.create(price_list=shop.base, product=product, price=Decimal("3.00"))
    Stock.objects.create(warehouse=shop.warehouse, product=product, on_hand=Decimal("9"))
    return product


def _skus(page) -> list[str]:
    return [p.sku for p in page]


def test_search_ranks_name_above_description_and_sku_first(network, shop):
    body = _priced(shop, "DS-1", "Sugar", description_en="Goes well with rye bread")
    title = _priced(shop, "RY-1", "Rye bread")
    sku = _priced(shop, "RYE", "Something else entirely")
    ranked = _skus(selectors.catalogue(network.unit, query="rye bread")[:50])
    assert ranked.index(title.sku) < ranked.index(body.sku)
    assert _skus(selectors.catalogue(network.unit, query="rye")[:1]) == [sku.sku]
    first = selectors.catalogue(network.unit, query="rye")[:50][0]
    assert first.price == Decimal("3.00") and first.available == Decimal("9")


def test_search_leaves_out_unpriced_inactive_and_other_categories(network, shop):
    _priced(shop, "OK-1", "Crispy rusk")
    make_product(shop.food, "NP-1", "Crispy rusk without price")
    _priced(shop, "IN-1", "Crispy rusk old", is_active=False)
    other = make_product(shop.pack, "PK-9", "Crispy rusk box")
    PriceListItem.objects.create(price_list=shop.base, product=other, price=Decimal("1.00"))
    found = _skus(selectors.catalogue(network.unit, query="crispy rusk")[:50])
    assert sorted(found) == ["OK-1", "PK-9"]
    assert _skus(selectors.catalogue(network.unit, category=shop.food, query="crispy")[:50]) == [
        "OK-1"
    ]


def test_search_pages_keep_the_ranking(network, shop, client_for):
    for i in range(55):
        _priced(shop, f"BIS-{i:02d}", f"Biscuit {i}")
    c = client_for(network.owner)
    url = reverse("orders:catalogue", args=[network.unit.code])
    first = c.get(url, {"q": "biscuit"}).context["page"]
    second = c.get(url, {"q": "biscuit", "page": 2}).context["page"]
    assert first.paginator.count == 55 and len(first) == 50 and len(second) == 5
    assert not set(_skus(first)) & set(_skus(second))


def _search_queries(c, url, word) -> int:
    c.get(url, {"q": word})  # settings rows, the session and per-process caches exist
    c.get(url, {"q": word})  # after two visits
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url, {"q": word}).status_code == 200
    return len(ctx)


def test_search_page_queries_do_not_grow_with_hits(network, shop, client_for):
    c = client_for(network.owner)
    url = reverse("orders:catalogue", args=[network.unit.code])
    _priced(shop, "WF-0", "Waffle 0")
    few = _search_queries(c, url, "waffle")
    for i in range(1, 70):
        _priced(shop, f"WF-{i}", f"Waffle {i}")
    assert _search_queries(c, url, "waffle") == few
    assert few <= 25


@pytest.mark.parametrize("typed", ["ООО «Ромашка»", 'ООО "Ромашка"', "«Ромашка»", "Ромашка"])
def test_a_supplier_named_in_quotes_is_found_whichever_quotes_are_typed(network, shop, typed):
    _priced(shop, "RM-1", "Tea", name_ru='Чай ООО "Ромашка"')
    _priced(shop, "RM-2", "Tea green", name_ru="Чай зелёный ООО «Ромашка»")
    assert sorted(_skus(selectors.catalogue(network.unit, query=typed)[:50])) == ["RM-1", "RM-2"]


@pytest.mark.postgres
def test_postgres_search_uses_russian_and_english_forms_and_the_stored_vector(network, shop):
    """On PostgreSQL the search reads `Product.search_vector` (a trigger writes it)."""
    flour = _priced(shop, "MK-1", "Rye flours", name_ru="Мука ржаная обдирная")
    assert _skus(selectors.catalogue(network.unit, query="муки ржаной")[:50]) == ["MK-1"]
    assert _skus(selectors.catalogue(network.unit, query="flour rye")[:50]) == ["MK-1"]
    # An update rewrites the vector: the old name is no longer found, the new one is.
    flour.name_ru = "Крупа гречневая"
    flour.save()
    assert _skus(selectors.catalogue(network.unit, query="ржаная")[:50]) == []
    assert _skus(selectors.catalogue(network.unit, query="гречневой крупы")[:50]) == ["MK-1"]
    # Bulk writes (the CommerceML import) go through the trigger too.
    Product.objects.filter(pk=flour.pk).update(description_ru="Для блинов")
    assert _skus(selectors.catalogue(network.unit, query="блины")[:50]) == ["MK-1"]
    new = Product.objects.bulk_create(
        [Product(sku="MK-2", name_en="Semolina", name_ru="Манка", category=shop.food)]
    )
    PriceListItem.objects.create(price_list=shop.base, product=new[0], price=Decimal("2.00"))
    assert _skus(selectors.catalogue(network.unit, query="манку")[:50]) == ["MK-2"]


@pytest.mark.postgres
def test_postgres_search_ranks_a_name_above_a_description_and_caps_the_hits(
    network, shop, monkeypatch
):
    body = _priced(shop, "DS-9", "Sugar", description_ru="Хорошо к ржаному хлебу")
    name = _priced(shop, "RY-9", "Bread", name_ru="Хлеб ржаной")
    assert _skus(selectors.catalogue(network.unit, query="ржаной хлеб")[:50]) == [
        name.sku,
        body.sku,
    ]
    monkeypatch.setattr(selectors, "SEARCH_CAP", 1)
    assert len(selectors.catalogue(network.unit, query="хлеб")) == 1
