"""The strict Content-Security-Policy in a real browser: no page is broken by it.

Chromium reports every blocked inline script, style element or style attribute on the console
("Refused to ... because it violates the following Content Security Policy directive"); the
`page` fixture collects those messages. The demo network gives the pages real charts and bars.
"""

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.portal.crawl import seed_demo_people

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_dashboard_and_chart_pages_raise_no_csp_violation(page, shot):
    seed_demo_people()
    sign_in(page, "lead", DEMO_PASSWORD)
    for path in ["/dashboard/", "/network/charts/", "/network/adoption/", "/reports/network/"]:
        page.goto(path)
        expect(page.locator("main h1").first).to_be_visible()
        shot(path.strip("/").replace("/", "-"))
    # The bars are drawn from their value attribute: a meter at 0 % is narrower than its track.
    meter = page.locator("meter.progress").first
    expect(meter).to_be_visible()
    assert meter.bounding_box()["width"] > 50
    assert page.csp_violations == []


def test_learning_progress_and_header_search_work_under_the_policy(page, shot):
    seed_demo_people()
    sign_in(page, "staff", DEMO_PASSWORD)
    page.goto("/learn/")
    expect(page.locator("main h1").first).to_be_visible()
    page.locator("#header-q").fill("касс")  # kb/autocomplete.js fetches suggestions
    page.wait_for_timeout(600)
    shot("learning")
    assert page.csp_violations == []
