"""Other apps add columns and reasons to the scorecards without editing them."""

import pandas as pd
import pytest

from franchise.models import Franchisee
from portal.dashboard import RED
from reporting.network import scorecards
from reporting.network.scorecards import reasons, sources

from .conftest import active, report_all, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_visits(network):
    """A 'visits' source: the unit failed its last visit; and the reason it gives."""

    def load(units, day):
        ids = list(units.filter(pk=network.unit.pk).values_list("pk", flat=True))
        return pd.DataFrame({"unit_id": ids, "visits_failed": [1] * len(ids)})

    def reason(row, ctx):
        if row["visits_failed"]:
            yield RED, "failed visit"

    # The visits app's own source goes back afterwards (other tests read its columns).
    real = sources.COLUMN_SOURCES.get("visits")
    real_measures = dict(scorecards.MEASURES)
    scorecards.register_columns(
        "visits",
        load=load,
        defaults={"visits_failed": 0},
        labels=("franchise.Franchisee",),
        measures={"visits_failed": ("Failed visits", "int")},
    )
    scorecards.register_reason("failed_visit", reason, order=15)
    yield
    sources.COLUMN_SOURCES.pop("visits")
    if real is not None:
        sources.COLUMN_SOURCES["visits"] = real
    reasons._PROVIDERS.pop("failed_visit")
    scorecards.MEASURES.clear()
    scorecards.MEASURES.update(real_measures)


def test_a_registered_source_and_reason_show_in_the_table(network, sales, failed_visits):
    report_all(network.unit, sales, revenue=100, receipts=10)
    report_all(network.other_unit, sales, revenue=100, receipts=10)
    active(network.owner, network.unit)
    active(network.other_member, network.other_unit)
    table = scorecards.network_table(Franchisee.objects.all(), today=today()).set_index("code")
    failed, fine = table.loc["KZN-001"], table.loc["EKB-001"]
    assert failed["visits_failed"] == 1 and failed["status"] == RED
    assert failed["reasons"] == "Failed visit" and failed["score"] == 3
    assert fine["visits_failed"] == 0 and fine["status"] == "green" and fine["reasons"] == ""
