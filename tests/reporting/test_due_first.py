"""The unit's report list shows what is due first, and the demo leaves its owner a report to
try at once (issue 17, "How it looks and reads")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.urls import reverse

from reporting import periods as P
from reporting import selectors, services
from reporting.models import Submission
from tests.portal.crawl import client_of, follow, seed_demo_people

from .conftest import make_template


def test_open_reports_come_first_soonest_due_on_top(network):
    monthly = make_template()
    today = date(2026, 12, 6)
    periods = P.recent_periods("monthly", today, 4)  # Nov, Oct, Sep, Aug
    # August is approved, October submitted; September (overdue) and November (due) are open.
    for period, status in ((periods[3], "approved"), (periods[1], "submitted")):
        opened = services.submission_open(unit=network.unit, template=monthly, period=period)
        Submission.objects.filter(pk=opened.pk).update(status=status)
    rows = selectors.unit_report_rows(network.unit, today=today)
    keys = [(row.period.start, row.state) for row in rows]
    assert keys == [
        (periods[2].start, "overdue"),
        (periods[0].start, "overdue" if today > periods[0].due_date(monthly.due_days) else "due"),
        (periods[1].start, "submitted"),
        (periods[3].start, "approved"),
    ]
    assert rows[0].due_date < rows[1].due_date


def test_the_demo_owner_can_submit_a_report_at_once(db):
    people = seed_demo_people()
    client = client_of(people["owner"])
    landed, response = follow(client, reverse("reporting:home"))
    html = response.content.decode()
    assert response.status_code == 200 and "/reports/u/" in landed
    # The first row is open, with its "Fill in" button.
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S).group(1)
    assert "Fill in" in first_row
    form_url = re.search(r'href="(/reports/u/[^"]+/)"', first_row).group(1)
    data = {
        "action": "submit",
        "revenue": "1250000",
        "receipts": "4100",
        "staff": "9",
        "complaints": "1",
    }
    if "quarterly" in form_url:
        data = {"action": "submit", "mystery_score": "88", "hygiene_passed": "yes", "nps": "40"}
    answer = client.post(form_url, data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    code, slug, key = form_url.strip("/").split("/")[2:5]
    submission = Submission.objects.get(unit__code=code, template__slug=slug, period_start=key)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.submitted_by == people["owner"]
    assert submission.due_date >= submission.period_end - timedelta(days=1)
