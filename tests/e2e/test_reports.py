"""Reports in the browser: an owner submits from the form and from a spreadsheet; a manager
approves one from the review queue and exports tables."""

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from franchise.models import AuditEvent
from reporting.models import Submission, Value
from tests.e2e.conftest import content, download, nav, sign_in
from tests.reporting.conftest import report

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def values_of(submission) -> dict:
    return {
        v.field_key: v.number if v.number is not None else v.text
        for v in Value.objects.filter(submission=submission)
    }


def open_report_form(page, unit, period):
    """From "Reports" in the navigation to the form of `period`."""
    nav(page, "Reports").click()
    expect(page).to_have_url(re.compile(rf"/reports/u/{unit.code}/$"))
    row = page.get_by_role("row").filter(has_text="Sales").filter(has_text=period.label)
    row.get_by_role("link", name="Fill in").click()
    expect(page).to_have_url(re.compile(rf"/reports/u/{unit.code}/sales/{period.key}/$"))
    expect(page.get_by_role("heading", name=f"Sales · {period.label}")).to_be_visible()


def test_owner_submits_a_report_from_the_form(page, shot, network, sales, period):
    sign_in(page, "owner")
    open_report_form(page, network.unit, period)
    shot("empty-form")

    # Submitting with a required figure missing: a message next to the field, nothing saved.
    page.get_by_label("Revenue").fill("150000")
    page.get_by_label("Receipts").fill("600")
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_text("Fill in Staff.")).to_be_visible()
    expect(page.get_by_label("Revenue")).to_have_value("150000")
    assert not Submission.objects.exists()
    shot("missing-field")

    page.get_by_label("Staff").fill("7")
    page.get_by_label("Format").select_option("Kiosk")
    page.get_by_label("Comment").fill("Новый кассир с 5-го числа")
    shot("filled")
    page.get_by_role("button", name="Submit report").click()

    expect(page.get_by_text("Report submitted. Thank you!")).to_be_visible()
    expect(page.locator(".page-head .badge")).to_have_text("Submitted")
    sub = Submission.objects.get(unit=network.unit, template=sales)
    assert sub.status == "submitted" and sub.submitted_by == network.owner
    values = values_of(sub)
    assert values["revenue"] == 150000 and values["receipts"] == 600 and values["staff"] == 7
    assert values["average_check"] == 250  # computed by the formula
    assert values["format"] == "Kiosk" and values["comment"] == "Новый кассир с 5-го числа"
    expect(page.get_by_role("button", name="Submit report")).to_have_count(0)  # read-only now
    shot("submitted")
    assert page.csp_violations == []


def test_owner_submits_a_report_from_a_spreadsheet(page, shot, network, sales, period, tmp_path):
    sign_in(page, "owner")
    open_report_form(page, network.unit, period)
    # A draft typed in the form first: the upload must not wipe what the file leaves blank.
    page.get_by_label("Comment").fill("Ремонт витрины")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    # The template the page offers: one line per field to fill, computed ones left out.
    template, response = download(page, page.get_by_role("link", name="XLSX"))
    assert template.suggested_filename == f"sales-{period.key}-{network.unit.code}.xlsx".lower()
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(content(template))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["key", "label", "unit", "value"]
    keys = [r[0] for r in rows[1:]]
    assert "revenue" in keys and "average_check" not in keys

    figures = {"revenue": 98765.5, "receipts": 410, "staff": 5, "open_sundays": "yes"}
    filled = Workbook()
    for row in rows:
        filled.active.append([*row[:3], figures.get(row[0], row[3])])
    path = tmp_path / "sales.xlsx"
    filled.save(path)

    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(path)
    shot("file-chosen")
    page.get_by_role("button", name="Upload", exact=True).click()
    loaded = page.get_by_text("4 figures loaded from the file. Check them and submit.")
    expect(loaded).to_be_visible()
    expect(page.get_by_label("Revenue")).to_have_value(re.compile(r"^98765[.,]50?$"))
    expect(page.get_by_label("Receipts")).to_have_value("410")
    expect(page.get_by_label("Comment")).to_have_value("Ремонт витрины")
    sub = Submission.objects.get(unit=network.unit, template=sales)
    assert sub.status == "draft"
    shot("loaded")

    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_text("Report submitted. Thank you!")).to_be_visible()
    sub.refresh_from_db()
    assert sub.status == "submitted"
    values = values_of(sub)
    assert values["revenue"] == Decimal("98765.50") and values["receipts"] == 410
    assert values["open_sundays"] == 1 and round(values["average_check"], 2) == Decimal("240.89")
    assert values["comment"] == "Ремонт витрины"
    shot("submitted")
    assert page.csp_violations == []


def test_manager_approves_from_the_queue_and_exports_tables(page, shot, network, sales, period):
    sub = report(
        network.unit, sales, period, user=network.owner, revenue=120000, receipts=480, staff=6
    )
    sign_in(page, "manager")
    nav(page, "Reports").click()
    expect(page).to_have_url(re.compile(r"/reports/review/$"))
    expect(page.get_by_role("heading", name=re.compile("Reports to review"))).to_be_visible()
    shot("queue")

    # The queue as CSV: the unit's report is waiting.
    queue_csv, response = download(page, page.locator(".exports").get_by_role("link", name="CSV"))
    assert queue_csv.suggested_filename == "review-queue.csv"
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "private, no-store"
    lines = list(csv.reader(io.StringIO(content(queue_csv).decode("utf-8-sig"))))
    assert lines[0][:3] == ["Unit", "Region", "Report"]
    assert [line[0] for line in lines[1:]] == [f"{network.unit.code} {network.unit.trading_name}"]

    row = page.get_by_role("row").filter(has_text=network.unit.code)
    row.get_by_role("link", name="Review").click()
    expect(page).to_have_url(re.compile(rf"/reports/review/{sub.pk}/$"))
    expect(page.get_by_role("row", name=re.compile("Revenue"))).to_contain_text("120")
    shot("review")
    page.get_by_role("button", name="Approve").click()

    expect(page.get_by_text("Report approved.")).to_be_visible()
    expect(page.locator(".page-head .badge").first).to_have_text("Approved")
    sub.refresh_from_db()
    assert sub.status == "approved" and sub.reviewed_by == network.manager
    assert AuditEvent.objects.filter(action="approve", actor=network.manager).count() == 1
    shot("approved")

    page.get_by_role("link", name="Reports to review").click()
    expect(page.get_by_text("Nothing waiting for review.")).to_be_visible()
    page.get_by_role("link", name=re.compile("Portfolio analytics")).click()
    expect(page).to_have_url(re.compile(r"/reports/network/"))
    shot("analytics")

    # The ranking as XLSX: the approved figure of the manager's unit, and no other unit.
    ranking = page.locator("section", has=page.get_by_role("heading", name="Ranking", exact=True))
    xlsx, response = download(page, ranking.get_by_role("link", name="XLSX"))
    assert xlsx.suggested_filename.endswith("-ranking.xlsx")
    assert response.headers["cache-control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(content(xlsx))).active
    table = [[c.value for c in r] for r in sheet.iter_rows()]
    assert table[0][:3] == ["Unit", "Region", "Value"]
    assert len(table) == 2 and network.unit.code in str(table[1][0])
    assert float(table[1][2]) == 120000
    shot("exported")
    assert page.csp_violations == []
