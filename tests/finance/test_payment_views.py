"""The finance staff's payment pages: entry, import (preview, then confirm), queue, list with
filters and a fixed number of queries; everyone else gets 404."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from finance import payments as P
from finance.models import Balance, Payment
from franchise import access
from tests import factories

from .test_bank_import import DAY, UNIT_INN, doc, one_c

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(network):
    from .conftest import make_agreement

    network.unit.inn = UNIT_INN
    network.unit.save()
    make_agreement(network.unit)
    user = factories.UserFactory(username="accountant")
    user.groups.add(access.ensure_groups()[access.FINANCE])
    network.books = user
    return network


def page(client, url, data=None, **kwargs):
    with translation.override("en"):
        if data is None and not kwargs:
            return client.get(url)
        return client.post(url, data or {}, **kwargs)


def test_entry_form_records_and_matches(books, client_for):
    client = client_for(books.books)
    form = page(client, "/finance/payments/new/")
    assert form.status_code == 200 and 'name="payer_inn"' in form.content.decode()
    response = page(
        client,
        "/finance/payments/new/",
        {"paid_on": DAY.isoformat(), "amount": "1250.50", "payer_inn": UNIT_INN, "purpose": "x"},
        follow=True,
    )
    assert "Payment of 1,250.50" in response.content.decode()
    payment = Payment.objects.get()
    assert payment.unit == books.unit and payment.created_by == books.books
    assert Balance.objects.get(unit=books.unit).amount == Decimal("-1250.50")


@pytest.mark.parametrize(
    ("amount", "inn", "error"),
    [
        ("-5", UNIT_INN, "greater than or equal to 0.01"),
        ("99999999999", UNIT_INN, "less than or equal to"),
        ("12,5,0", UNIT_INN, "Enter a number"),
        ("10", "12ab", "An INN has 10 or 12 digits"),
    ],
)
def test_entry_form_refuses_bad_input(books, client_for, amount, inn, error):
    response = page(
        client_for(books.books),
        "/finance/payments/new/",
        {"paid_on": DAY.isoformat(), "amount": amount, "payer_inn": inn},
    )
    assert response.status_code == 200 and error in response.content.decode()
    assert not Payment.objects.exists()


def _import(client, capture, data, name="bank.txt"):
    """Upload a statement: the preview runs as a background job (jobs); its status page."""
    with capture(execute=True):
        response = page(
            client, "/finance/payments/import/", {"file": SimpleUploadedFile(name, data)}
        )
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    return response["Location"]


def test_import_preview_then_confirm(books, client_for, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    client = client_for(books.books)
    data = one_c(doc("101", "1000", UNIT_INN), doc("102", "20", "7799999999"))
    status = _import(client, capture, data)
    preview = page(client, status)
    html = preview.content.decode()
    assert preview.status_code == 200 and "New payments: 2" in html
    assert "line 24: no unit has INN 7799999999" in html
    assert not Payment.objects.exists()  # a preview writes nothing
    other = client_for(books.lead)  # a job is only its own user's
    assert page(other, status + "confirm/", {}).status_code == 404
    assert page(other, status).status_code == 404
    with capture(execute=True):
        page(client, status + "confirm/", {})
    html = page(client, status).content.decode()
    assert "2 payments (1 matched, 1 in the queue)" in html and "/finance/payments/queue/" in html
    assert Payment.objects.count() == 2
    again = page(client, _import(client, capture, data, "b.txt")).content.decode()
    assert "already imported" in again
    assert "confirm/" not in again


def test_import_with_errors_shows_them_and_offers_no_import(
    books, client_for, django_capture_on_commit_callbacks
):
    client = client_for(books.books)
    data = one_c(doc("101", "12,5,0", UNIT_INN))
    html = page(client, _import(client, django_capture_on_commit_callbacks, data)).content.decode()
    assert "line 13: amount “12,5,0” is not a number" in html
    assert "confirm/" not in html and not Payment.objects.exists()


def test_unreadable_file_is_reported(books, client_for, django_capture_on_commit_callbacks):
    client = client_for(books.books)
    status = _import(client, django_capture_on_commit_callbacks, b"\xff\xd8\xff\xe0 JFIF", "x.jpg")
    response = page(client, status)
    assert response.status_code == 200 and "not a bank statement" in response.content.decode()


def test_queue_assigns_a_unit(books, client_for):
    books.other_unit.legal_name = "ООО «Плательщик»"
    books.other_unit.save()
    payment = P.payment_enter(
        paid_on=DAY,
        amount=Decimal("70"),
        payer_inn="7799999999",
        payer_name="ООО «Плательщик»",
        user=None,
    )
    client = client_for(books.books)
    queue = page(client, "/finance/payments/queue/").content.decode()
    assert "7799999999" in queue and f'value="{books.other_unit.code}"' in queue
    bad = page(client, f"/finance/payments/{payment.pk}/assign/", {"unit": "NOPE"}, follow=True)
    assert "No unit has this code or INN." in bad.content.decode()
    page(client, f"/finance/payments/{payment.pk}/assign/", {"unit": books.unit.code})
    payment.refresh_from_db()
    assert payment.unit == books.unit
    assert Balance.objects.get(unit=books.unit).amount == Decimal("-70.00")
    assert "7799999999" not in page(client, "/finance/payments/queue/").content.decode()
    twice = page(client, f"/finance/payments/{payment.pk}/assign/", {"unit": books.unit.code})
    assert twice.status_code == 302 and Balance.objects.get(unit=books.unit).amount == Decimal(
        "-70.00"
    )


def _payments(unit, count, start=date(2026, 1, 1), inn=UNIT_INN):
    for i in range(count):
        P.payment_enter(
            paid_on=start + timedelta(days=i % 28),
            amount=Decimal(i + 1),
            payer_inn=inn,
            number=f"{unit.code}-{i}",
            user=None,
        )


def test_list_filters(books, client_for):
    _payments(books.unit, 3)
    _payments(books.unit, 2, start=date(2025, 6, 1), inn="7799999999")
    client = client_for(books.books)
    everything = page(client, "/finance/payments/")
    assert everything.context["page"].paginator.count == 5
    assert everything.context["total"] == Decimal(9)

    def count(**query):
        with translation.override("en"):
            return client.get("/finance/payments/", query).context["page"].paginator.count

    assert count(state="unmatched") == 2
    assert count(state="matched") == 3
    assert count(unit=books.unit.code) == 3
    assert count(start="2026-01-02") == 2
    assert count(end="2025-12-31") == 2
    assert count(unit="NO-SUCH") == 5  # an invalid filter is shown as an error, not applied
    assert (
        "No unit has this code." in page(client, "/finance/payments/?unit=NO-SUCH").content.decode()
    )


#: Shell (session, user, groups' permissions, navigation) plus the count, the page and the sum.
LIST_QUERIES = 9
QUEUE_QUERIES = 8


@pytest.mark.parametrize("count", [1, 50])
def test_list_query_count_is_fixed(books, client_for, django_assert_num_queries, count):
    _payments(books.unit, count)
    _payments(books.other_unit, count, inn="7799999999")
    client = client_for(books.books)
    client.get("/finance/payments/")  # warm the session and rights caches
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/finance/payments/")
    assert len(response.context["page"].object_list) == min(2 * count, 50)


@pytest.mark.parametrize("count", [1, 50])
def test_queue_query_count_is_fixed(books, client_for, django_assert_num_queries, count):
    _payments(books.other_unit, count, inn="7799999999")
    client = client_for(books.books)
    client.get("/finance/payments/queue/")
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get("/finance/payments/queue/")


@pytest.mark.parametrize("role", ["owner", "member", "manager", "lead", "editor", "stranger"])
def test_only_finance_staff_get_in(books, client_for, role):
    client = client_for(getattr(books, role))
    for url in ("/finance/payments/", "/finance/payments/new/", "/finance/payments/queue/"):
        assert client.get(url).status_code == 404
    upload = SimpleUploadedFile("bank.txt", one_c(doc("1", "10", UNIT_INN)))
    assert client.post("/finance/payments/import/", {"file": upload}).status_code == 404
    assert not Payment.objects.exists()


def test_navigation_shows_payments_to_finance_staff_only(books, client_for):
    def menu(user):
        return client_for(user).get("/dashboard/", follow=True).content.decode()

    assert 'href="/finance/payments/"' in menu(books.books)
    assert 'href="/finance/payments/"' not in menu(books.owner)


@pytest.mark.parametrize(
    "value", ["'\"", "\x00", "x" * 10_000, "-1", "2026-13-45", '😀 а"б', "9" * 30]
)
def test_hostile_queries_never_fail(books, client_for, value):
    client = client_for(books.books)
    for url in ("/finance/payments/", "/finance/payments/queue/"):
        for name in ("start", "end", "unit", "state", "page"):
            assert client.get(url, {name: value}).status_code == 200
