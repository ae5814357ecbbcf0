"""Two confirmations at the same moment write once (PostgreSQL, threads; transactional, so
the on-commit queuing and the eager Celery tasks run for real)."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from finance.models import BankStatement, Payment
from franchise import access
from jobs import services
from jobs.models import ImportJob
from orders.models import PriceListItem
from tests import factories
from tests.finance.test_bank_import import UNIT_INN, doc, one_c


def _together(calls) -> list:
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            outcomes.append(call())
        except Exception as error:  # noqa: BLE001  (the test reports it)
            outcomes.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_of_one_job_write_once(network, shop):
    user = factories.UserFactory(username="supply", preferred_language="en")
    user.groups.add(access.ensure_groups()[access.CATALOGUE_MANAGERS])
    job = services.job_create(
        kind="price_import",
        user=user,
        name="prices.csv",
        data=b"SKU,Price\nFL-1,58\n",
        params={"price_list": shop.base.pk},
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.WAITING  # the preview ran on commit
    outcomes = _together([lambda: services.job_confirm(job=job, user=user)] * 2)
    assert sorted(outcomes) == [False, True]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.result["applied"]["written"] == 1
    item = PriceListItem.objects.get(price_list=shop.base, product=shop.flour)
    assert item.price == Decimal("58.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_jobs_of_one_statement_confirmed_together_add_it_once(network):
    from tests.finance.conftest import make_agreement

    network.unit.inn = UNIT_INN
    network.unit.save()
    make_agreement(network.unit)
    user = factories.UserFactory(username="accountant", preferred_language="en")
    user.groups.add(access.ensure_groups()[access.FINANCE])
    data = one_c(doc("101", "1000", UNIT_INN))
    jobs = [
        services.job_create(kind="bank_statement", user=user, name=name, data=data)
        for name in ("a.txt", "b.txt")
    ]
    outcomes = _together([lambda j=j: services.job_confirm(job=j, user=user) for j in jobs])
    assert outcomes == [True, True]
    statuses = sorted(ImportJob.objects.values_list("status", flat=True))
    assert statuses == [ImportJob.Status.DONE, ImportJob.Status.FAILED]
    assert Payment.objects.count() == 1 and BankStatement.objects.count() == 1
