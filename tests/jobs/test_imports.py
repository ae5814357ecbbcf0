"""Background imports (jobs): the preview runs as a job and shows on the status page, a
confirmation writes once, a failing file writes nothing, only the job's own user (while they
may still import) sees it, the user is notified, the status page has a fixed query count."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from finance.models import BankStatement, Payment
from franchise import access
from franchise.models import Notification
from jobs import services
from jobs.models import ImportJob
from orders import price_import
from orders.models import PriceListItem
from reporting.exports import xlsx_bytes
from tests import factories
from tests.finance.test_bank_import import UNIT_INN, doc, one_c

pytestmark = pytest.mark.django_db

#: The status page: the session, the user, the job, the user's permissions (the kind's right),
#: the header's unread notices; the same for 1 and for 50 preview rows.
QUERIES = 5


def _supply(username="supply", language="en"):
    user = factories.UserFactory(username=username, preferred_language=language)
    user.groups.add(access.ensure_groups()[access.CATALOGUE_MANAGERS])
    return user


def _post(client, url, data, capture):
    """A POST whose on-commit work (queuing the job; eager Celery runs it) is executed."""
    with translation.override("en"), capture(execute=True):
        return client.post(url, data)


def _get(client, url):
    with translation.override("en"):
        return client.get(url)


def _price_upload(client, shop, capture, rows=None, name="prices.xlsx"):
    rows = rows or [["FL-1", 58], ["CP-1", 8]]
    data = xlsx_bytes(["SKU", "Price"], rows) if name.endswith(".xlsx") else rows
    upload = SimpleUploadedFile(name, data)
    response = _post(
        client,
        reverse("orders_price_import"),
        {"price_list": shop.base.pk, "file": upload},
        capture,
    )
    assert response.status_code == 302
    return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _price(shop, product) -> Decimal:
    return PriceListItem.objects.get(price_list=shop.base, product=product).price


def test_price_preview_runs_as_a_job_and_shows_on_the_status_page(
    network, shop, client_for, capture
):
    user = _supply()
    client = client_for(user)
    job = _price_upload(client, shop, capture)
    assert job.status == ImportJob.Status.WAITING and job.progress == 100
    assert job.result["changed"] == 2 and job.result["can_apply"] is True
    page = _get(client, reverse("jobs:status", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 changed" in html and "Wheat flour" in html and "58.00" in html
    assert reverse("jobs:confirm", args=[job.pk]) in html
    assert "Write 2 prices</button>" in html  # the button says what it writes
    assert 'http-equiv="refresh"' not in html  # nothing running: no refresh
    assert _price(shop, shop.flour) == Decimal("55.50")  # a preview writes nothing


def test_a_queued_job_page_refreshes_itself_without_script(network, shop, client_for):
    user = _supply()
    job = services.job_create(
        kind="price_import", user=user, name="p.csv", data=b"SKU,Price\n", params={}
    )  # not captured: the job stays queued
    html = _get(client_for(user), reverse("jobs:status", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "<progress" in html and "<script" not in html.split("</header>")[-1]


def test_double_confirm_writes_once(network, shop, client_for, capture):
    user = _supply()
    client = client_for(user)
    job = _price_upload(client, shop, capture, rows=[["FL-1", 58]])
    confirm = reverse("jobs:confirm", args=[job.pk])
    first = _post(client, confirm, {}, capture)
    second = _post(client, confirm, {}, capture)
    assert first.status_code == second.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.confirmed_at is not None
    assert job.result["applied"]["written"] == 1
    assert _price(shop, shop.flour) == Decimal("58.00")
    assert PriceListItem.objects.filter(price_list=shop.base).count() == 3
    assert not services._upload_file(job)  # the upload is gone once written
    html = _get(client, reverse("jobs:status", args=[job.pk])).content.decode()
    assert "prices written" in html and "already confirmed" in html
    assert confirm not in html
    # A GET never confirms anything.
    assert _get(client, confirm).status_code == 405


def test_double_confirm_of_a_bank_statement_adds_the_payments_once(books, client_for, capture):
    client = client_for(books.books)
    data = one_c(doc("101", "1000", UNIT_INN), doc("102", "20", "7799999999"))
    url = reverse("finance:payment_import")
    response = _post(
        client,
        url,
        {"file": SimpleUploadedFile("bank.txt", data)},
        capture,
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("jobs:status", args=[job.pk])
    html = _get(client, response["Location"]).content.decode()
    assert "New payments: 2" in html and "line 24: no unit has INN 7799999999" in html
    assert "Import 2 payments</button>" in html
    assert not Payment.objects.exists()
    confirm = reverse("jobs:confirm", args=[job.pk])
    for _twice in range(2):
        _post(client, confirm, {}, capture)
    assert Payment.objects.count() == 2 and BankStatement.objects.count() == 1
    html = _get(client, reverse("jobs:status", args=[job.pk])).content.decode()
    assert "2 payments (1 matched, 1 in the queue)" in html
    # The same file again: checked, nothing to write, nothing added.
    _post(client, url, {"file": SimpleUploadedFile("b.txt", data)}, capture)
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert again.status == ImportJob.Status.DONE and again.confirmed_at is None
    html = _get(client, reverse("jobs:status", args=[again.pk])).content.decode()
    assert "already imported" in html and reverse("jobs:confirm", args=[again.pk]) not in html
    assert _post(client, reverse("jobs:confirm", args=[again.pk]), {}, capture).status_code == 302
    assert Payment.objects.count() == 2


def test_two_confirmed_jobs_of_one_file_add_it_once(books, client_for, capture):
    client = client_for(books.books)
    data = one_c(doc("101", "1000", UNIT_INN))
    url = reverse("finance:payment_import")
    for name in ("a.txt", "b.txt"):  # both previewed before either is written
        _post(
            client,
            url,
            {"file": SimpleUploadedFile(name, data)},
            capture,
        )
    first, second = ImportJob.objects.order_by("pk")
    for job in (first, second):
        _post(client, reverse("jobs:confirm", args=[job.pk]), {}, capture)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ImportJob.Status.DONE
    assert second.status == ImportJob.Status.FAILED and "already imported" in second.error
    assert Payment.objects.count() == 1


def test_a_file_with_bad_lines_fails_with_line_numbers(network, shop, client_for, capture):
    user = _supply()
    client = client_for(user)
    job = _price_upload(
        client,
        shop,
        capture,
        rows=b"SKU,Price\nFL-1,58\nCP-1,x\nNOPE-9,3\n",
        name="prices.csv",
    )
    assert job.status == ImportJob.Status.FAILED
    assert job.result["errors"] == [[3, "x is not a price."], [4, "No product has SKU NOPE-9."]]
    html = _get(client, reverse("jobs:status", args=[job.pk])).content.decode()
    assert "2 lines have errors; nothing was written." in html
    assert "<td>3</td><td>x is not a price.</td>" in html
    assert reverse("jobs:confirm", args=[job.pk]) not in html
    assert _price(shop, shop.flour) == Decimal("55.50")
    assert not services._upload_file(job)


def test_a_write_that_breaks_halfway_leaves_nothing_behind(
    network, shop, client_for, capture, monkeypatch
):
    user = _supply()
    client = client_for(user)
    job = _price_upload(client, shop, capture)
    real = price_import.price_list_apply

    def broken(**kwargs):
        real(**kwargs)  # the prices are written ...
        raise RuntimeError("disk full")  # ... then the job breaks

    monkeypatch.setattr("orders.price_jobs.price_list_apply", broken)
    _post(client, reverse("jobs:confirm", args=[job.pk]), {}, capture)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "nothing was written" in job.error
    assert "disk full" not in job.error  # the cause is logged, not shown
    assert _price(shop, shop.flour) == Decimal("55.50")
    assert _price(shop, shop.cups) == Decimal("7.00")


def test_a_file_that_changed_under_the_preview_fails_and_writes_nothing(
    network, shop, client_for, capture
):
    user = _supply()
    client = client_for(user)
    job = _price_upload(client, shop, capture)
    shop.cups.sku = "CP-2"  # the catalogue changes between the preview and the write
    shop.cups.save()
    _post(client, reverse("jobs:confirm", args=[job.pk]), {}, capture)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.result["errors"] == [[3, "No product has SKU CP-1."]]
    assert _price(shop, shop.flour) == Decimal("55.50")


def test_an_unreadable_file_fails_with_a_clear_message(books, client_for, capture):
    client = client_for(books.books)
    _post(
        client,
        reverse("finance:payment_import"),
        {"file": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 JFIF")},
        capture,
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "not a bank statement" in job.error
    html = _get(client, reverse("jobs:status", args=[job.pk])).content.decode()
    assert "not a bank statement" in html


def test_another_users_job_is_404(network, shop, client_for, capture):
    job = _price_upload(client_for(_supply()), shop, capture)
    colleague = _supply("colleague")  # the same right, not the same person
    for user in (colleague, network.owner, network.manager, network.lead, network.stranger):
        client = client_for(user)
        assert _get(client, reverse("jobs:status", args=[job.pk])).status_code == 404
        assert client.post(reverse("jobs:confirm", args=[job.pk])).status_code == 404
    assert _get(client_for(None), reverse("jobs:status", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.WAITING and job.confirmed_at is None


def test_a_user_who_lost_the_right_gets_404_and_the_job_does_not_run(
    network, shop, client_for, capture
):
    user = _supply()
    job = _price_upload(client_for(user), shop, capture)
    user.groups.clear()
    client = client_for(user)
    assert _get(client, reverse("jobs:status", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:confirm", args=[job.pk])).status_code == 404
    # Confirmed just before the right went: the write refuses to run.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.QUEUED, confirmed_at=timezone.now()
    )
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "no longer have the right" in job.error
    assert _price(shop, shop.flour) == Decimal("55.50")


def test_a_finance_job_needs_finance_staff(books, client_for, capture):
    client = client_for(books.books)
    data = one_c(doc("101", "1000", UNIT_INN))
    _post(
        client,
        reverse("finance:payment_import"),
        {"file": SimpleUploadedFile("bank.txt", data)},
        capture,
    )
    job = ImportJob.objects.get()
    assert _get(client, reverse("jobs:status", args=[job.pk])).status_code == 200
    books.books.groups.clear()
    assert _get(client_for(books.books), reverse("jobs:status", args=[job.pk])).status_code == 404


def test_the_user_is_notified_in_their_language(network, shop, client_for, capture):
    user = _supply(language="ru")
    client = client_for(user)
    job = _price_upload(client, shop, capture)
    notice = Notification.objects.get(user=user)
    assert notice.kind == "import" and notice.url == reverse("jobs:status", args=[job.pk])
    assert "prices.xlsx" in notice.title
    with translation.override("ru"):
        expected = str(services.kind_of("price_import").title)
    assert notice.title.startswith(expected)
    _post(client, reverse("jobs:confirm", args=[job.pk]), {}, capture)
    assert Notification.objects.filter(user=user).count() == 2


def test_a_repeated_task_changes_nothing(network, shop, client_for, capture):
    user = _supply()
    job = _price_upload(client_for(user), shop, capture)
    assert services.job_run(job_id=job.pk) is None  # waiting, not queued: left alone
    job.refresh_from_db()
    assert job.status == ImportJob.Status.WAITING


@pytest.mark.parametrize("rows", [1, 50])
def test_status_page_query_count_is_fixed(
    network, shop, client_for, capture, django_assert_num_queries, rows
):
    user = _supply()
    client = client_for(user)
    job = _price_upload(client, shop, capture)
    job.result = {**job.result, "changes": job.result["changes"][:1] * rows}
    job.save(update_fields=["result"])
    url = reverse("jobs:status", args=[job.pk])
    _get(client, url)
    with django_assert_num_queries(QUERIES):
        assert _get(client, url).status_code == 200


def test_stale_unconfirmed_jobs_and_their_uploads_are_deleted(network, shop, client_for, capture):
    from portal.tasks import stale_uploads_delete_task

    user = _supply()
    client = client_for(user)
    stale = _price_upload(client, shop, capture)
    fresh = _price_upload(client, shop, capture)
    done = _price_upload(client, shop, capture)
    _post(client, reverse("jobs:confirm", args=[done.pk]), {}, capture)
    day_ago = timezone.now() - timedelta(hours=25)
    ImportJob.objects.filter(pk__in=[stale.pk, done.pk]).update(created_at=day_ago)
    path = services._upload_file(stale)
    assert path is not None
    assert stale_uploads_delete_task.delay().get() == 1
    assert not path.exists()
    assert set(ImportJob.objects.values_list("pk", flat=True)) == {fresh.pk, done.pk}
    assert services._upload_file(fresh) is not None


def test_a_job_left_running_by_a_lost_worker_is_taken_up_again(network, shop, client_for, capture):
    user = _supply()
    job = _price_upload(client_for(user), shop, capture)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, confirmed_at=timezone.now()
    )
    assert services.job_run(job_id=job.pk) is None  # running elsewhere: left alone
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    assert services.job_run(job_id=job.pk).status == ImportJob.Status.DONE
    assert _price(shop, shop.flour) == Decimal("58.00")
