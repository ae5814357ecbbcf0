"""At 1366×768 the header is two tidy rows whatever the role and language: the brand and the
tools (search, notices, unit switcher, language, user) on one, the menu on one line below it.
The unit switcher shows a unit's whole name, long e-mails stay inside their card, and dashboard
cards are as tall as their content. Checked on the demo network, whose names are long.
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

LAPTOP = {"width": 1366, "height": 768}

#: The header's rows: the bottom of each box, the tops of the menu links, the page's width.
HEADER = """() => {
  const box = s => document.querySelector(s).getBoundingClientRect();
  const links = [...document.querySelectorAll('.main-nav a')].map(a => a.getBoundingClientRect());
  return {
    brand: box('.brand'), tools: box('.site-header__tools'),
    linkTops: [...new Set(links.map(r => Math.round(r.top)))],
    linkRight: Math.max(...links.map(r => r.right)),
    width: document.documentElement.scrollWidth,
  };
}"""

#: Whether the selected unit's name fits its select (measured with the select's own font).
SWITCHER_FITS = """s => {
  const text = s.options[s.selectedIndex].text;
  const context = document.createElement('canvas').getContext('2d');
  context.font = getComputedStyle(s).font;
  return {text, need: context.measureText(text).width, room: s.clientWidth - 28};
}"""


def _browse(browser, live_server, role: str, language: str):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, role, DEMO_PASSWORD)
    page.locator(f"button[name=language][value={language}]").first.click()
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("role", ["owner", "manager", "lead"])
def test_header_fits_in_two_rows(browser, live_server, role, language):
    seed_demo_people()
    context, page = _browse(browser, live_server, role, language)
    try:
        for path in ["/dashboard/", "/network/" if role != "owner" else "/reports/"]:
            page.goto(path)
            expect(page.locator("main h1").first).to_be_visible()
            header = page.evaluate(HEADER)
            # Brand and tools share the first row; the menu is a single line under it.
            assert header["tools"]["top"] < header["brand"]["bottom"], (path, header)
            assert len(header["linkTops"]) == 1, (path, header["linkTops"])
            assert header["linkTops"][0] >= header["tools"]["bottom"] - 4, (path, header)
            assert header["linkRight"] <= LAPTOP["width"], (path, header)
            assert header["width"] <= LAPTOP["width"], (path, header)
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_unit_switcher_shows_the_whole_name(browser, live_server, language):
    seed_demo_people()
    context, page = _browse(browser, live_server, "owner", language)
    try:
        switcher = page.locator("#unit-switch")
        expect(switcher).to_be_visible()
        fits = switcher.evaluate(SWITCHER_FITS)
        assert fits["need"] <= fits["room"], fits
    finally:
        context.close()


def test_long_emails_stay_in_cards_and_cards_fit_their_content(browser, live_server):
    from franchise.models import Franchisee

    people = seed_demo_people()
    unit = Franchisee.objects.filter(memberships__user=people["owner"]).order_by("code").first()
    Franchisee.objects.filter(pk=unit.pk).update(
        email="accounts.payable.department.of.the.franchisee@very-long-domain-name.example"
    )
    context, page = _browse(browser, live_server, "owner", "en")
    try:
        page.goto("/dashboard/")
        card = page.locator(".dashboard-block--unit")
        email = card.locator("a[href^='mailto:']")
        expect(email).to_be_visible()
        box, link = card.bounding_box(), email.bounding_box()
        assert link["x"] + link["width"] <= box["x"] + box["width"], (link, box)
        # Every card ends just below its own content, not at the height of the row.
        slack = page.evaluate(
            """() => [...document.querySelectorAll('.dashboard-block')].map(card => {
                 const last = card.lastElementChild.getBoundingClientRect().bottom;
                 return card.getBoundingClientRect().bottom - last;
               })"""
        )
        assert slack and max(slack) < 40, slack
    finally:
        context.close()
