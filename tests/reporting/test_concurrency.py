"""Two tabs submitting at once make one report (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import close_old_connections, connection

from reporting import services
from reporting.models import ChangeLog, Submission


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_make_one_report(network, sales, period):
    barrier = threading.Barrier(2)
    errors, results = [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            sub = services.submission_open(unit=network.unit, template=sales, period=period)
            results.append(
                services.submission_save(
                    submission=sub,
                    data={"revenue": 100, "receipts": 2, "staff": 3},
                    user=network.owner,
                    submit=True,
                )
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert Submission.objects.count() == 1
    assert sorted(changed for _, changed in results) == [False, True]
    assert ChangeLog.objects.filter(field_key="status", new="submitted").count() == 1
