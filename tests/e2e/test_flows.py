"""Main flows in a real browser: sign in, switch language, open the unit, invite a person."""

import re

import pytest
from playwright.sync_api import expect

from franchise.models import Invitation
from tests.e2e.conftest import sign_in

pytestmark = [
    pytest.mark.e2e,
    # Live-server tests commit for real; keep the migrated site tree (home page) for each.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_anonymous_visitor_sees_the_landing_page_and_login(page, shot, network):
    page.goto("/")
    expect(page.locator("body")).to_be_visible()
    shot("landing")
    page.goto(f"/units/{network.unit.code}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    shot("login-required")
    assert page.csp_violations == []


def test_owner_signs_in_switches_language_and_invites_a_member(page, shot, network, mailoutbox):
    sign_in(page, "owner")
    expect(page).to_have_url(re.compile(rf"/units/{network.unit.code}/$"))
    expect(page.get_by_role("heading", name=network.unit.trading_name).first).to_be_visible()
    shot("unit-page")

    page.locator("button[name=language][value=ru]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("link", name=re.compile("Управление сотрудниками"))).to_be_visible()
    shot("russian")
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    network.owner.refresh_from_db()
    assert network.owner.preferred_language == "en"

    page.get_by_role("link", name=re.compile("Manage people")).click()
    expect(page).to_have_url(re.compile(rf"/units/{network.unit.code}/members/$"))
    page.get_by_label("E-mail").fill("new.baker@example.com")
    page.get_by_label("Full name").fill("Новый Пекарь")
    shot("invite-form")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to new.baker@example.com")).to_be_visible()
    shot("invited")

    invitation = Invitation.objects.get(unit=network.unit, email="new.baker@example.com")
    assert invitation.invited_by == network.owner
    assert [m.to for m in mailoutbox] == [["new.baker@example.com"]]
    assert page.csp_violations == []


def test_another_units_page_is_not_found_in_the_browser(page, shot, network):
    sign_in(page, "other_member")
    response = page.goto(f"/units/{network.unit.code}/")
    assert response.status == 404
    shot("not-found")


def test_manager_sees_the_portfolio_unit(page, shot, network):
    sign_in(page, "manager")
    page.goto("/units/")
    expect(page.get_by_text(network.unit.code).first).to_be_visible()
    expect(page.get_by_text(network.other_unit.code)).to_have_count(0)
    shot("unit-list")
