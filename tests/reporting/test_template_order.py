"""Lists of report templates sort by the name the reader sees (the Russian one in Russian,
the English one where nobody gave a Russian name), and the template a page opens with when
none is asked for is the same in both languages."""

import pytest
from django.utils import translation

from reporting import selectors

from .conftest import make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates(db):
    """English order: Sales, Stock count, Чек-лист открытия (typed into the English name);
    Russian order: Инвентаризация, Продажи, Чек-лист открытия."""
    sales = make_template(slug="sales", name="Sales")
    sales.name_ru = "Продажи"
    sales.save()
    stock = make_template(slug="stock", name="Stock count")
    stock.name_ru = "Инвентаризация"
    stock.save()
    checklist = make_template(slug="checklist", name="Чек-лист открытия")
    return sales, stock, checklist


def _names(templates):
    return [str(t.name) for t in templates]


def test_unit_lists_sort_by_the_shown_name(network, templates):
    with translation.override("en"):
        assert _names(selectors.templates_for_unit(network.unit)) == [
            "Sales",
            "Stock count",
            "Чек-лист открытия",
        ]
        assert [r.template.slug for r in selectors.unit_report_rows(network.unit, today=_today())][
            :1
        ] == ["sales"]
    with translation.override("ru"):
        assert _names(selectors.templates_for_unit(network.unit)) == [
            "Инвентаризация",
            "Продажи",
            "Чек-лист открытия",
        ]
        assert _names(selectors.templates_visible(network.manager)) == [
            "Инвентаризация",
            "Продажи",
            "Чек-лист открытия",
        ]


def test_yo_sorts_with_ye(network, templates):
    yolka = make_template(slug="yolka", name="New year")
    yolka.name_ru = "Ёлочный базар"
    yolka.save()
    with translation.override("ru"):
        names = _names(selectors.templates_for_unit(network.unit))
    assert names == ["Ёлочный базар", "Инвентаризация", "Продажи", "Чек-лист открытия"]


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _russian(client):
    client.cookies["django_language"] = "ru"
    return client


def test_the_default_template_does_not_depend_on_the_language(network, templates, client_for):
    url = f"/reports/u/{network.unit.code}/analytics/"
    english = client_for(network.owner).get(url)
    russian = _russian(client_for(network.owner)).get(url)
    assert english.context["template"].slug == russian.context["template"].slug == "sales"
    assert _names(russian.context["templates"]) == [
        "Инвентаризация",
        "Продажи",
        "Чек-лист открытия",
    ]
    for page in ("/reports/late/", "/reports/network/"):
        english = client_for(network.lead).get(page)
        russian = _russian(client_for(network.lead)).get(page)
        assert english.context["template"].slug == russian.context["template"].slug == "sales"


def test_admin_list_sorts_by_the_shown_name(network, templates, client_for):
    listing = "/admin/snippets/reporting/reporttemplate/"
    page = _russian(client_for(network.editor)).get(listing).content.decode()
    places = [page.index(name) for name in ("Инвентаризация", "Продажи", "Чек-лист открытия")]
    assert places == sorted(places)
    page = _russian(client_for(network.editor)).get(listing, {"ordering": "-name"}).content.decode()
    places = [page.index(name) for name in ("Чек-лист открытия", "Продажи", "Инвентаризация")]
    assert places == sorted(places)
    page = client_for(network.editor).get(listing).content.decode()
    places = [page.index(name) for name in ("Sales", "Stock count", "Чек-лист открытия")]
    assert places == sorted(places)
