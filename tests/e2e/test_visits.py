"""A field visit on a phone (390 × 844): the manager plans it, answers with autosave, fails the
critical fridge item with a camera photo and submits; the unit owner then sees the failed
visit, the photo and the corrective task."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from franchise.models import TaskAttachment, UnitTask
from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.visits.helpers import make_checklist
from visits.models import Visit, VisitAnswer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 390, "height": 844}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px"


def _tap_targets(page) -> None:
    labels = page.locator("label.visit-choice")
    assert labels.count() >= 3
    for i in range(labels.count()):
        box = labels.nth(i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box


def test_failed_visit_on_a_phone(page, shot, browser, live_server, network):
    template = make_checklist()
    page.set_viewport_size(PHONE)
    sign_in(page, network.manager.username)

    page.goto("/visits/")
    _fits_the_phone(page)
    page.get_by_label("Unit code").fill(network.unit.code)
    page.get_by_label("Checklist").select_option(str(template.pk))
    page.get_by_label("Date").fill("2026-12-10")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.get_by_text("Visit planned.")).to_be_visible()
    visit = Visit.objects.get()
    page.get_by_role("link", name="Start the visit").click()

    # Section 1 (Hall): each answer is saved at once; a reload keeps it.
    expect(page.get_by_role("heading", name=re.compile("Hall"))).to_be_visible()
    _fits_the_phone(page)
    _tap_targets(page)
    shot("hall")
    floor = page.locator("fieldset[data-item=floor]")
    floor.locator("label.visit-choice", has_text="Yes").click()
    expect(floor.locator(".visit-status")).to_have_text("✓")
    assert VisitAnswer.objects.get(visit=visit, item_key="floor").passed is True
    page.reload()
    expect(page.locator("input[name=a-floor][value=yes]")).to_be_checked()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DRAFT
    door = page.locator("fieldset[data-item=door]")
    door.locator("label.visit-choice--mark", has_text="5").click()
    expect(door.locator(".visit-status")).to_have_text("✓")
    page.get_by_role("button", name=re.compile("Save and next")).click()

    # Section 2 (Kitchen): the fridge is too warm (critical), with a camera photo.
    expect(page.get_by_role("heading", name=re.compile("Kitchen"))).to_be_visible()
    _fits_the_phone(page)
    _tap_targets(page)
    fridge = page.locator("fieldset[data-item=fridge]")
    camera = fridge.locator("input[type=file]")
    assert camera.get_attribute("capture") == "environment"
    assert camera.get_attribute("accept") == "image/*"
    assert fridge.locator("input.visit-number").bounding_box()["height"] >= 44
    fridge.locator("input.visit-number").fill("9")
    fridge.get_by_label("Comment").fill("9 °C at 10:00")
    camera.set_input_files({"name": "fridge.png", "mimeType": "image/png", "buffer": _png()})
    expect(fridge.locator(".visit-status")).to_have_text("✓")
    saved = VisitAnswer.objects.get(visit=visit, item_key="fridge")
    assert saved.passed is False and saved.photo_type == "image/png"
    page.locator("fieldset[data-item=hands]").locator("label.visit-choice", has_text="Yes").click()
    shot("kitchen")
    page.get_by_role("button", name="Save and check").click()

    # Review and submit: locked, scored (2 + 1 + 1 of 7), failed by the critical item.
    expect(page.get_by_role("heading", name="Check and submit")).to_be_visible()
    _fits_the_phone(page)
    page.get_by_label("Summary for the unit").fill("Repair the fridge")
    page.get_by_role("button", name="Submit the visit").click()
    expect(page.get_by_text("Visit submitted.")).to_be_visible()
    shot("submitted")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.SUBMITTED and visit.passed is False
    assert str(visit.score) == "57.1"
    task = UnitTask.objects.get(unit=network.unit)
    assert TaskAttachment.objects.get(task=task).content_type == "image/png"
    expect(page.get_by_role("link", name="Continue the visit")).to_have_count(0)

    # The unit owner, on a phone too.
    owner = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    phone = owner.new_page()
    phone.set_default_timeout(15_000)
    sign_in(phone, network.owner.username)
    phone.goto(f"/visits/u/{network.unit.code}/")
    expect(phone.get_by_text("57.1 %").first).to_be_visible()
    phone.get_by_role("link", name="10 Dec 2026").first.click()
    expect(phone.locator(".visit-result--failed")).to_contain_text("Failed: 57.1 %")
    expect(phone.get_by_text("Repair the fridge")).to_be_visible()
    expect(phone.get_by_text("9 °C at 10:00")).to_be_visible()
    row = phone.locator("#item-fridge")
    with phone.expect_response(re.compile(r"/photo/fridge/$")) as photo_info:
        phone.evaluate(
            "url => fetch(url).then(r => r.status)",
            row.get_by_role("link", name="Photo").get_attribute("href"),
        )
    response = photo_info.value
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "visits-owner-sees-the-failed-visit.png"), full_page=True)
    row.get_by_role("link", name=task.get_status_display()).click()
    expect(phone.get_by_text("Fix: Fridge temperature").first).to_be_visible()
    expect(phone.get_by_text("Check the fridge.")).to_be_visible()
    assert page.csp_violations == []
    owner.close()
