"""A franchisee answers the satisfaction survey on a phone (390 px wide) from the menu."""

import pytest
from django.utils import timezone

from surveys.models import Participation, Response
from tests.surveys.helpers import make_round, make_survey

from .conftest import nav, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_answers_on_a_phone(page, shot, network):
    round_ = make_round(make_survey(), opens=timezone.localdate())
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, network.owner.username)
    page.goto(f"/surveys/u/{network.unit.code}/")
    page.get_by_role("link", name="Answer the survey").click()
    shot("form")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form scrolls sideways: {width}px"
    box = page.locator("label[for=id_nps_9]").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 36
    page.locator("label[for=id_nps_9]").click()
    page.get_by_label("Comment").fill("Поставки вовремя")
    page.get_by_role("button", name="Send answers").click()
    page.get_by_text("Your answers are saved").wait_for()
    shot("thanks")
    assert Response.objects.get(round=round_).nps == 9
    assert Participation.objects.filter(user=network.owner).exists()
    assert nav(page, "Surveys").count() == 1
