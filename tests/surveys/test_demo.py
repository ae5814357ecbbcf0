"""The demo: four closed quarters of answers, a pulse open today; a second run changes nothing."""

import io
from datetime import date

from django.apps import apps
from django.urls import reverse

from franchise import demo as franchise_demo
from portal.demo import DemoContext
from surveys import demo
from surveys.models import Round, Survey

TODAY = date(2026, 11, 25)


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("surveys").get_models()}


def _seed(units=30):
    ctx = DemoContext(units=units, stdout=io.StringIO(), today=TODAY)
    franchise_demo.seed(ctx)
    demo.seed(ctx)
    return ctx


def test_demo_quarters_and_idempotence(db, client_for):
    ctx = _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    survey = Survey.objects.get(slug="franchisee-satisfaction")
    rounds = Round.objects.filter(survey=survey).order_by("opens_on")
    assert [r.label for r in rounds] == ["Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026"]
    assert all(r.responses.count() > 5 for r in rounds)
    lead = client_for(ctx.people["lead"])
    html = lead.get(reverse("surveys:results", args=[survey.slug])).content.decode()
    assert "Q3 2026" in html and "Москва" in html
    assert Round.objects.get(survey__slug="support-pulse").is_open(TODAY)
