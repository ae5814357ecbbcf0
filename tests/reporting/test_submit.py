"""The form: drafts, submit, computed fields, read-only after submit, replays, warnings."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reporting import services
from reporting.models import ChangeLog, Submission, Value

from .conftest import form_url, make_template, report

GOOD = {"revenue": "120000.50", "receipts": "300", "staff": "7", "open_sundays": "yes"}


def _values(submission):
    return {v.field_key: v for v in Value.objects.filter(submission=submission)}


def test_submit_stores_values_and_computed_field(network, client_for, sales, period):
    client = client_for(network.owner)
    response = client.post(form_url(network.unit, sales, period), {**GOOD, "action": "submit"})
    assert response.status_code == 302
    sub = Submission.objects.get(unit=network.unit, template=sales, period_start=period.start)
    assert sub.status == "submitted" and sub.submitted_by == network.owner
    values = _values(sub)
    assert float(values["revenue"].number) == pytest.approx(120000.50)
    assert float(values["average_check"].number) == pytest.approx(400.0017, abs=1e-4)
    assert values["open_sundays"].number == 1
    assert sub.version.fields[2]["formula"] == "revenue / receipts"
    page = client.get(form_url(network.unit, sales, period)).content.decode()
    assert "Report submitted" in page and "Submit report" not in page  # read-only now


def test_errors_shown_next_to_fields_and_nothing_saved(network, client_for, sales, period):
    client = client_for(network.owner)
    response = client.post(
        form_url(network.unit, sales, period),
        {"revenue": "abc", "receipts": "-1", "staff": "", "action": "submit"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a number." in html and "Must be at least 0." in html and "Fill in Staff." in html
    assert 'class="field__error"' in html
    assert not Submission.objects.exists()


def test_draft_then_submit_keeps_one_row(network, client_for, sales, period):
    client = client_for(network.member)
    url = form_url(network.unit, sales, period)
    client.post(url, {"revenue": "1000", "action": "save"})
    sub = Submission.objects.get()
    assert sub.status == "draft" and _values(sub)["revenue"].number == 1000
    client.post(url, {**GOOD, "action": "submit"})
    assert Submission.objects.count() == 1
    sub.refresh_from_db()
    assert sub.status == "submitted"
    change = ChangeLog.objects.get(submission=sub, field_key="revenue", new="120000.5")
    assert change.old == "1000" and change.user == network.member


def test_replayed_post_and_edit_after_submit_change_nothing(network, client_for, sales, period):
    client = client_for(network.owner)
    url = form_url(network.unit, sales, period)
    client.post(url, {**GOOD, "action": "submit"})
    first = Submission.objects.get()
    changes = ChangeLog.objects.count()
    replay = client.post(url, {**GOOD, "action": "submit"}, follow=True)
    assert "already been submitted" in replay.content.decode()
    tamper = client.post(url, {**GOOD, "revenue": "1", "action": "save"}, follow=True)
    assert "can no longer be changed" in tamper.content.decode()
    assert Submission.objects.count() == 1
    assert Submission.objects.get().submitted_at == first.submitted_at
    assert float(_values(first)["revenue"].number) == pytest.approx(120000.5)
    assert ChangeLog.objects.count() == changes


def test_service_submit_is_idempotent(network, sales, period):
    sub = services.submission_open(unit=network.unit, template=sales, period=period)
    again = services.submission_open(unit=network.unit, template=sales, period=period)
    assert sub.pk == again.pk
    data = {"revenue": 10, "receipts": 2, "staff": 1}
    services.submission_save(submission=sub, data=data, user=network.owner, submit=True)
    _, changed = services.submission_save(
        submission=sub, data=data, user=network.owner, submit=True
    )
    assert changed is False and Submission.objects.count() == 1


def test_template_edit_does_not_change_submitted_version(network, client_for, sales, period):
    client = client_for(network.owner)
    client.post(form_url(network.unit, sales, period), {**GOOD, "action": "submit"})
    sales.fields.filter(key="revenue").update(label="Gross revenue")
    sub = Submission.objects.get()
    assert sub.version.fields[0]["label"] == "Revenue"
    page = client.get(form_url(network.unit, sales, period)).content.decode()
    assert "Gross revenue" not in page and "Revenue" in page
    new_sub = services.submission_open(unit=network.unit, template=sales, period=period.previous())
    assert new_sub.version.number == sub.version.number + 1
    assert new_sub.version.fields[0]["label"] == "Gross revenue"


def test_returned_report_is_editable_again_with_comment(network, client_for, sales, period):
    owner = client_for(network.owner)
    url = form_url(network.unit, sales, period)
    owner.post(url, {**GOOD, "action": "submit"})
    sub = Submission.objects.get()
    services.submission_return(submission=sub, user=network.manager, comment="Receipts look low")
    page = owner.get(url).content.decode()
    assert "Receipts look low" in page and "Submit report" in page
    owner.post(url, {**GOOD, "receipts": "600", "action": "submit"})
    sub.refresh_from_db()
    assert sub.status == "submitted" and _values(sub)["receipts"].number == 600


def test_form_shows_last_period_and_network_median_and_warns(network, client_for, sales, period):
    from tests.factories import UnitFactory

    previous = period.previous()
    report(network.unit, sales, previous, revenue=1000, receipts=10, staff=5)
    for revenue in (2000, 3000):
        report(UnitFactory(region=network.region), sales, previous, revenue=revenue)
    for n in range(2, 6):
        report(network.unit, sales, period.shifted(-n), revenue=1000 + n, receipts=10, staff=5)
    client = client_for(network.owner)
    html = client.get(form_url(network.unit, sales, period)).content.decode()
    assert "1\u202f000" in html or ">1000<" in html  # last period's revenue
    assert "2\u202f000" in html  # network median of 1000, 2000, 3000
    response = client.post(
        form_url(network.unit, sales, period),
        {"revenue": "90000", "receipts": "10", "staff": "5", "action": "save"},
    )
    page = client.get(form_url(network.unit, sales, period)).content.decode()
    assert "far from your unit" in page  # a warning, not an error
    assert Submission.objects.get(unit=network.unit, period_start=period.start).status == "draft"
    assert response.status_code == 302


def test_reports_page_lists_states(network, client_for, sales, period):
    make_template(slug="quality", kind="quarterly", due_days=10, name="Quality")
    report(network.unit, sales, period.previous(), status="approved", revenue=1)
    returned = report(network.unit, sales, period.shifted(-2), revenue=1)
    Submission.objects.filter(pk=returned.pk).update(status="returned", review_comment="Fix it")
    html = client_for(network.owner).get(f"/reports/u/{network.unit.code}/").content.decode()
    assert "Sales" in html and "Quality" in html
    assert "badge--approved" in html and "badge--returned" in html and "Fix it" in html
    assert ("badge--due" in html) or ("badge--overdue" in html)


def test_future_period_and_unknown_template_are_404(network, client_for, sales, period):
    client = client_for(network.owner)
    future = period.next()
    assert client.get(form_url(network.unit, sales, future)).status_code == 404
    assert client.get(f"/reports/u/{network.unit.code}/nope/{period.key}/").status_code == 404
    bad = period.start + timedelta(days=3)
    assert client.get(f"/reports/u/{network.unit.code}/sales/{bad}/").status_code == 404


def test_reports_home_redirects_by_role(network, client_for, sales):
    assert client_for(network.owner).get("/reports/")["Location"] == (
        f"/reports/u/{network.unit.code}/"
    )
    assert client_for(network.manager).get("/reports/")["Location"] == "/reports/review/"
    assert client_for(network.lead).get("/reports/")["Location"] == "/reports/network/"
    assert client_for(network.stranger).get("/reports/").status_code == 404


def test_is_late(network, sales, period):
    sub = report(network.unit, sales, period)
    sub.submitted_at = timezone.now()
    assert sub.is_late == (timezone.localdate() > sub.due_date)
