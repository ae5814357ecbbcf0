"""Fee lines name the report's field in the reader's language: an accrual stores the field's
label in every language the report's version has (the ledger is append-only, so the line
keeps them), and the ledger page, the statement download and the API's explanation show
the reader's. Lines stored before keep their one (English) label."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from finance import services
from finance.fees import explain
from finance.models import Entry
from reporting.models import ReportField, Submission

from .conftest import approved, make_agreement

pytestmark = pytest.mark.django_db

URL = "/finance/u/{}/"


@pytest.fixture
def russian_sales(sales):
    ReportField.objects.filter(template=sales, key="revenue").update(label_ru="Выручка")
    return sales


def _russian(client):
    client.cookies["django_language"] = "ru"
    return client


def test_accrual_keeps_both_labels(network, russian_sales, period):
    make_agreement(network.unit, royalty="6", marketing="2")
    approved(network.unit, russian_sales, period, network.manager, revenue=1000000)
    for entry in Entry.objects.filter(unit=network.unit):
        assert entry.details["label"] == "Revenue"
        assert entry.details["label_ru"] == "Выручка"


def test_ledger_page_and_xlsx_in_the_reader_language(network, russian_sales, period, client_for):
    make_agreement(network.unit, royalty="6", marketing=None)
    approved(network.unit, russian_sales, period, network.manager, revenue=1000000)
    url = URL.format(network.unit.code)
    english = client_for(network.owner).get(url).content.decode()
    assert "Revenue" in english and "Выручка" not in english
    russian = _russian(client_for(network.owner)).get(url).content.decode()
    assert "Выручка" in russian and "Revenue" not in russian

    start = period.start.isoformat()
    xlsx = _russian(client_for(network.owner)).get(url + "statement.xlsx", {"from": start})
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert any("Выручка" in c for c in cells) and not any("Revenue" in c for c in cells)


def test_many_at_once_keeps_both_labels(network, russian_sales, period):
    make_agreement(network.unit, royalty="6", marketing=None)
    from tests.reporting.conftest import report

    sub = report(network.unit, russian_sales, period, status="approved", revenue=1000)
    services.accruals_post_many(submissions=Submission.objects.filter(pk=sub.pk))
    entry = Entry.objects.get(unit=network.unit)
    assert (entry.details["label"], entry.details["label_ru"]) == ("Revenue", "Выручка")


def test_field_without_russian_label_and_old_lines(network, sales, period):
    make_agreement(network.unit, royalty="6", marketing=None)
    approved(network.unit, sales, period, network.manager, revenue=1000)
    entry = Entry.objects.get(unit=network.unit)
    assert "label_ru" not in entry.details  # no Russian text was given
    with translation.override("ru"):
        assert explain(entry.details).startswith("Revenue")
    # A line stored before there were two labels reads as it always did.
    old = {k: v for k, v in entry.details.items() if not k.startswith("label_")}
    with translation.override("ru"):
        assert explain({**old, "label": "Revenue"}).startswith("Revenue")
        assert explain({**old, "label": "Revenue", "label_ru": "Выручка"}).startswith("Выручка")
    with translation.override("en"):
        assert explain({**old, "label": "Revenue", "label_ru": "Выручка"}).startswith("Revenue")
