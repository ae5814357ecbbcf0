"""The managers' weekly digest shows each survey's last round: NPS from groups of at least five,
the share who took part; a smaller group is not shown."""

from datetime import timedelta

import pytest

from franchise.models import Role
from reporting.network.digest import digest_for
from reporting.network.scorecards import units_in_scope
from surveys.services import response_submit
from tests import factories

from .helpers import INSIDE, make_round, make_survey

pytestmark = pytest.mark.django_db


def _answers(network, marks):
    survey = make_survey()
    round_ = make_round(survey)
    for i, mark in enumerate(marks):
        unit = factories.UnitFactory(code=f"KZN-1{i:02d}", region=network.region)
        unit.account_manager = network.manager
        unit.save(update_fields=["account_manager"])
        owner = factories.member_of(unit, Role.OWNER)
        response_submit(round_=round_, user=owner, unit=unit, nps=mark, answers={}, today=INSIDE)
    return round_


def _section(network, round_):
    today = round_.closes_on + timedelta(days=1)
    data = digest_for(units_in_scope(network.manager), today=today, user=network.manager)
    return [s for s in data["sections"] if s["title"] == "Satisfaction surveys"]


def test_the_digest_shows_nps_of_a_group_of_five(network):
    round_ = _answers(network, [10, 9, 9, 7, 3])
    (section,) = _section(network, round_)
    # 3 promoters, 1 detractor of 5: NPS 40; 5 of the 7 people of the portfolio answered
    # (the fixture's unit has an owner and a member who did not).
    assert section["lines"] == ["Pulse, Q4 2026: NPS 40 from 5 answers; 71% took part."]


def test_a_group_below_five_is_not_shown(network):
    round_ = _answers(network, [10, 9, 0, 3])
    (section,) = _section(network, round_)
    assert "NPS" not in section["lines"][0]
    assert "too few answers to show" in section["lines"][0]
