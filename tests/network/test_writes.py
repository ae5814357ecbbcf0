"""A write updates only what it changes: writes no figure reads (audit rows, notifications,
quiz attempts) leave the cached network alone, and a report saved for one unit recomputes
that unit's row only, with the same figures as a full rebuild."""

import pandas as pd
import pytest
from django.core.cache import cache
from django.urls import reverse

from franchise.models import Franchisee, UnitTask
from franchise.notifications import notify
from learning import services as learning_services
from reporting import services
from reporting.network import scorecards
from reporting.network.scorecards import network as network_mod
from tests.franchise.test_documents import unit_document  # noqa: F401 - fixture
from tests.learning.conftest import catalogue  # noqa: F401 - fixture

from .conftest import active, assign, due_periods, report_all, today
from .test_cache import get, row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(network, sales):
    report_all(network.unit, sales, skip=(0,), revenue=100, receipts=10)
    report_all(network.other_unit, sales, revenue=90, receipts=10)
    active(network.owner, network.unit)
    active(network.other_member, network.other_unit)
    return network


@pytest.fixture
def loads(monkeypatch):
    """The unit codes each `load_sources` of the network frame read, in order."""
    calls = []
    real = network_mod.load_sources

    def spy(units, **kwargs):
        calls.append(sorted(units.values_list("code", flat=True)))
        return real(units, **kwargs)

    monkeypatch.setattr(network_mod, "load_sources", spy)
    return calls


@pytest.fixture
def owner(data, client_for):
    """The owner's client, signed in (a sign-in writes the user table) and seen today."""
    client = client_for(data.owner)
    assert client.get("/dashboard/", follow=True).status_code == 200
    return client


@pytest.fixture
def lead(data, owner, client_for):
    """The lead's client with the network table cached, and the number of queries a warm
    request of the table runs."""
    client = client_for(data.lead)
    get(client, "/network/")
    get(client, "/network/")
    client.warm = get(client, "/network/")[1]
    return client


#: The tables the network frame's parts read.
FRAME_TABLES = (
    "reporting_",
    "learning_",
    "franchise_unittask",
    "franchise_unitrequest",
    "activity",
)


def test_a_download_leaves_the_cache_warm(data, owner, unit_document, lead, loads):  # noqa: F811
    response = owner.get(reverse("documents:download", args=[unit_document.pk, 1]))
    assert response.status_code == 200
    assert get(lead, "/network/")[1] == lead.warm
    assert loads == []


def test_a_notification_reads_no_figure_again(data, owner, lead, loads):
    notify(recipients=[data.owner], kind="report_due", title="Due", unit=data.unit)
    _html, queries = get(lead, "/network/", sql=True)
    assert not [q for q in queries if any(t in q for t in FRAME_TABLES)], queries
    assert loads == []


def test_a_quiz_attempt_leaves_the_cache_warm(data, owner, catalogue, lead, loads):  # noqa: F811
    learning_services.lesson_complete(user=data.owner, lesson=catalogue.lesson1)
    attempt = learning_services.attempt_start(user=data.owner, page=catalogue.lesson2)
    learning_services.attempt_save(attempt=attempt, answers={"q-tf": True})
    learning_services.attempt_submit(attempt=attempt, answers={"q-single": "s-a"})
    assert get(lead, "/network/")[1] == lead.warm
    assert loads == []


def test_a_draft_saved_recomputes_that_units_row_only(data, sales, lead, loads):
    newest = due_periods(sales)[0]
    submission = services.submission_open(unit=data.unit, template=sales, period=newest)
    services.submission_save(submission=submission, data={"revenue": 1}, user=data.owner)
    html = get(lead, "/network/")[0]
    assert loads == [["KZN-001"]]
    assert "1 report missing" in row_of(html, "KZN-001")  # a draft is not a report sent


def test_a_report_submitted_shows_the_new_figure_and_new_ranks(data, sales, lead, loads):
    before = scorecards.network_table(Franchisee.objects.all(), today=today())
    other = before.set_index("code").loc["EKB-001"]
    assert (other["key_rank"], other["key_of"]) == (1, 1)
    newest = due_periods(sales)[0]
    submission = services.submission_open(unit=data.unit, template=sales, period=newest)
    services.submission_save(
        submission=submission, data={"revenue": 120, "receipts": 12}, user=data.owner, submit=True
    )
    row = row_of(get(lead, "/network/")[0], "KZN-001")
    assert "report missing" not in row and "120" in row
    assert loads == [["KZN-001"]]
    patched = scorecards.network_table(Franchisee.objects.all(), today=today())
    other = patched.set_index("code").loc["EKB-001"]
    assert (other["key_rank"], other["key_of"]) == (2, 2)  # every unit's rank moved
    cache.clear()
    fresh = scorecards.network_table(Franchisee.objects.all(), today=today())
    pd.testing.assert_frame_equal(patched, fresh, check_dtype=False)
    assert loads[-1] == ["EKB-001", "KZN-001"]  # the clear made one full rebuild


def test_a_certificate_recomputes_the_learners_units_only(data, lead, food_safety, loads):
    assign(food_safety, data.unit)
    get(lead, "/network/")  # an assignment is an ordinary write: a full rebuild
    loads.clear()
    assert "overdue" in row_of(get(lead, "/network/")[0], "KZN-001")
    for person in (data.owner, data.member):
        learning_services.certificate_issue(user=person, course=food_safety)
    row = row_of(get(lead, "/network/")[0], "KZN-001")
    assert loads == [["KZN-001"]]
    assert "overdue" not in row


def test_a_write_outside_a_declared_unit_rebuilds_everything(data, lead, loads):
    UnitTask.objects.create(unit=data.other_unit, title="Fix", due_date=today())
    get(lead, "/network/")
    assert loads == [["EKB-001", "KZN-001"]]
