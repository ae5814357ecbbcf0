"""Surveys' rows of the adoption page's before/after table: response rate and NPS of the last
closed round against the previous one, under the anonymity rule."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from franchise.models import Franchisee, Role
from reporting.network import adoption
from surveys import adoption as survey_adoption
from surveys.models import Response, Round
from tests import factories

from .helpers import make_survey

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _round(survey, days_ago, label):
    opens = _today() - timedelta(days=days_ago)
    return Round.objects.create(
        survey=survey, label=label, opens_on=opens, closes_on=opens + timedelta(days=20)
    )


def _answers(round_, unit, marks):
    Response.objects.bulk_create(
        Response(round=round_, region_id=unit.region_id, manager_id=unit.account_manager_id, nps=m)
        for m in marks
    )


@pytest.fixture
def people(network):
    """11 people asked: the unit's owner, member and 8 more staff, the other unit's owner."""
    for i in range(8):
        factories.member_of(network.unit, Role.MEMBER, username=f"staff{i}")
    return network


def _rows(units=None):
    rows = adoption.before_after_rows(units or Franchisee.objects.all(), _today())
    return {r["key"]: r for r in rows if r["source"] == "surveys"}


def test_rate_and_nps_last_round_against_previous(people, client_for):
    survey = make_survey(slug="pulse")
    _answers(_round(survey, 200, "Q1"), people.unit, [10, 10, 9, 5, 7])
    _answers(_round(survey, 100, "Q2"), people.unit, [10, 10, 10, 9, 8, 2])
    _round(survey, 2, "Q3")  # open: not counted yet
    rows = _rows()
    rate, nps = rows["pulse-rate"], rows["pulse-nps"]
    assert rate["before"] == pytest.approx(5 / 11) and rate["after"] == pytest.approx(6 / 11)
    assert (nps["before"], nps["after"], nps["change"]) == (40, 50, 10)
    assert (rate["before_label"], rate["after_label"]) == ("Q1", "Q2")

    html = client_for(people.lead).get(reverse("network:adoption")).content.decode()
    assert "Before and after" in html
    assert "Pulse: response rate" in html and "Pulse: NPS" in html
    row = html.split('data-row="surveys-pulse-rate"')[1].split("</tr>")[0]
    assert "45 %" in row and "55 %" in row and "+9 pt" in row
    row = html.split('data-row="surveys-pulse-nps"')[1].split("</tr>")[0]
    assert ">40" in row and ">50" in row and "+10" in row


@pytest.mark.parametrize("answers, counted", [(4, False), (5, True)])
def test_groups_under_five_are_left_out(people, answers, counted):
    survey = make_survey(slug="pulse")
    _answers(_round(survey, 200, "Q1"), people.unit, [10] * 5)
    last = _round(survey, 100, "Q2")
    _answers(last, people.unit, [0] * answers)
    # A second cell (the other unit's) of 4 answers is always held back.
    _answers(last, people.other_unit, [10] * 4)
    rows = _rows()
    if counted:
        assert rows["pulse-nps"]["after"] == -100
        assert rows["pulse-rate"]["after"] == pytest.approx(5 / 11)
    else:
        assert rows["pulse-nps"]["after"] is None
        assert rows["pulse-rate"]["after"] == 0
        assert rows["pulse-nps"]["change_text"] == "—"


def test_named_survey_counts_small_groups(people):
    survey = make_survey(slug="named", anonymous=False)
    _answers(_round(survey, 100, "Q2"), people.unit, [10, 10])
    assert _rows()["named-nps"]["after"] == 100


def test_no_earlier_round(people, client_for):
    survey = make_survey(slug="pulse")
    _answers(_round(survey, 100, "Q2"), people.unit, [9] * 5)
    rows = _rows()
    assert rows["pulse-nps"]["before"] is None and rows["pulse-nps"]["after"] == 100
    assert str(rows["pulse-nps"]["note"]) == "no earlier round"
    html = client_for(people.lead).get(reverse("network:adoption")).content.decode()
    assert "no earlier round" in html
    table = [
        r
        for r in adoption.adoption(Franchisee.objects.all(), today=_today(), include_staff=True)[
            "before_after"
        ]
        if r["source"] == "surveys"
    ]
    assert [r["change_text"] for r in table] == ["—", "—"]


def test_manager_sees_his_portfolio_cells_only(people):
    from reporting.network.scorecards import units_in_scope

    survey = make_survey(slug="pulse")
    last = _round(survey, 100, "Q2")
    _answers(last, people.unit, [10] * 5)
    _answers(last, people.other_unit, [0] * 5)
    assert _rows()["pulse-nps"]["after"] == 0
    mine = _rows(units_in_scope(people.manager))
    assert mine["pulse-nps"]["after"] == 100
    assert mine["pulse-rate"]["after"] == pytest.approx(5 / 10)


def test_query_count_does_not_grow(people):
    def count():
        with CaptureQueriesContext(connection) as queries:
            survey_adoption.load_rows(Franchisee.objects.all(), _today())
        return len(queries)

    survey = make_survey(slug="pulse")
    _answers(_round(survey, 100, "Q2"), people.unit, [9] * 5)
    few = count()
    for s in range(3):
        other = make_survey(slug=f"s{s}")
        for age in (300, 200, 100):
            _answers(_round(other, age, f"R{age}"), people.unit, [7, 8, 9, 10, 3, 6])
    for i in range(5):
        unit = factories.UnitFactory(code=f"X-{i}", region=people.region)
        factories.member_of(unit, Role.OWNER, username=f"x{i}")
    many = count()
    assert few == many == 5
