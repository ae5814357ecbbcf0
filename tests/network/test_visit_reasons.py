"""Visits in the scorecards: a failed last visit is a red reason, overdue corrective tasks an
amber one; the last visit's score and its trend come with the unit."""

import datetime
import math
from datetime import timedelta

import pytest

from franchise.models import Franchisee, UnitTask
from reporting.network import scorecards
from tests.visits.helpers import make_checklist, photo
from visits import selectors, services
from visits.photos import check_photo

from .conftest import active, today

pytestmark = pytest.mark.django_db

GOOD = {"floor": "yes", "door": "5", "fridge": "3", "hands": "yes"}


def _visit(network, answers, photos=None):
    template = make_checklist() if not hasattr(network, "template") else network.template
    network.template = template
    visit = services.visit_plan(
        unit=network.unit, template=template, planned_date=today(), by=network.manager
    )
    services.visit_answers_save(visit=visit, by=network.manager, answers=answers, photos=photos)
    return services.visit_submit(visit=visit, by=network.manager)


def _row(code="KZN-001"):
    table = scorecards.network_table(Franchisee.objects.all(), today=today()).set_index("code")
    return table.loc[code]


def _failed_visit(network):
    # The fridge (critical, photo when failed) at 9 °C fails the visit.
    return _visit(network, {**GOOD, "fridge": "9"}, photos={"fridge": check_photo(photo())})


def test_failed_visit_is_a_red_reason(network):
    active(network.owner, network.unit)
    visit = _failed_visit(network)
    assert visit.passed is False
    row = _row()
    assert row["status"] == "red"
    assert "Failed the last visit" in row["reasons"]
    assert row["visit_failed"] == 1
    assert row["visit_score"] == pytest.approx(float(visit.score))
    # The corrective task is not overdue yet: no amber reason for it.
    assert "corrective" not in row["reasons"]
    assert _row("EKB-001")["visit_failed"] == 0


def test_overdue_corrective_tasks_are_an_amber_reason(network):
    active(network.owner, network.unit)
    _failed_visit(network)
    _visit(network, GOOD)  # the next visit passes: only the open task remains
    UnitTask.objects.filter(unit=network.unit).update(due_date=today() - timedelta(days=1))
    row = _row()
    assert "failed the last visit" not in row["reasons"].lower()
    # The corrective task is named once, not again as "1 task overdue".
    assert row["reasons"] == "1 corrective task overdue"
    assert row["status"] == "amber"
    # A task done is no reason any more; a task that is not a visit's never was one.
    UnitTask.objects.filter(unit=network.unit).update(status=UnitTask.Status.DONE)
    UnitTask.objects.create(
        unit=network.unit,
        title="Other",
        due_date=today() - timedelta(days=3),
        created_by=network.manager,
    )
    row = _row()
    assert row["overdue_corrective"] == 0
    assert row["reasons"] == "1 task overdue"


def test_last_visit_score_trend(network):
    assert selectors.unit_summary(network.unit)["trend"] is None
    first = _failed_visit(network)
    assert math.isnan(_row()["visit_trend"])  # one visit: no trend yet
    second = _visit(network, GOOD)
    summary = selectors.unit_summary(network.unit)
    assert summary["last"] == second
    assert summary["trend"] == second.score - first.score > 0
    assert [v.pk for v in summary["recent"]] == [first.pk, second.pk]
    row = _row()
    assert row["visit_score"] == pytest.approx(float(second.score))
    # The portfolio's trend column: the last score minus the one before.
    assert row["visit_trend"] == pytest.approx(float(second.score - first.score))
    assert math.isnan(_row("EKB-001")["visit_trend"])
    assert "visit_trend" in scorecards.MEASURES


def test_visit_write_refreshes_the_cached_scorecards(network):
    active(network.owner, network.unit)
    assert _row()["visit_failed"] == 0  # cached now
    _failed_visit(network)
    assert _row()["visit_failed"] == 1


def test_planned_visit_counts_for_nothing(network):
    services.visit_plan(
        unit=network.unit,
        template=make_checklist(),
        planned_date=datetime.date(2030, 1, 1),
        by=network.manager,
    )
    row = _row()
    assert row["visit_failed"] == 0 and row["overdue_corrective"] == 0
