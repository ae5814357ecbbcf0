"""Another unit's report and another portfolio's review: 404; anonymous: login."""

import pytest

from franchise.models import AuditEvent
from reporting import services
from reporting.models import ExportJob, Submission

from .conftest import form_url, report


@pytest.fixture
def submitted(network, sales, period):
    return report(network.unit, sales, period, revenue=100, receipts=2, staff=1)


def unit_urls(unit, template, period):
    base = form_url(unit, template, period)
    return [
        f"/reports/u/{unit.code}/",
        f"/reports/u/{unit.code}/analytics/",
        base,
        base + "pdf/",
        base + "template.csv",
    ]


def test_other_units_people_and_managers_get_404(network, client_for, sales, period, submitted):
    for user in (network.other_member, network.other_manager, network.stranger, network.editor):
        client = client_for(user)
        for url in unit_urls(network.unit, sales, period):
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(form_url(network.unit, sales, period), {"action": "save"}).status_code
            == 404
        )
        assert client.get(f"/reports/review/{submitted.pk}/").status_code == 404
        assert (
            client.post(f"/reports/review/{submitted.pk}/", {"decision": "approve"}).status_code
            == 404
        )
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert AuditEvent.objects.filter(action="access_denied").exists()


def test_anonymous_is_sent_to_login(network, client_for, sales, period, submitted):
    client = client_for(None)
    urls = unit_urls(network.unit, sales, period) + [
        "/reports/",
        "/reports/review/",
        f"/reports/review/{submitted.pk}/",
        "/reports/network/",
        "/reports/late/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_review_queue_shows_only_own_portfolio(network, client_for, sales, period, submitted):
    other = report(network.other_unit, sales, period, revenue=5)
    mine = client_for(network.manager).get("/reports/review/").content.decode()
    theirs = client_for(network.other_manager).get("/reports/review/").content.decode()
    assert f"/reports/review/{submitted.pk}/" in mine and f"/reports/review/{other.pk}/" not in mine
    assert f"/reports/review/{other.pk}/" in theirs
    assert f"/reports/review/{submitted.pk}/" not in theirs
    assert client_for(network.owner).get("/reports/review/").status_code == 404
    assert client_for(network.owner).get("/reports/network/").status_code == 404


def test_staff_member_can_work_but_manager_only_reads(network, client_for, sales, period):
    url = form_url(network.unit, sales, period)
    manager = client_for(network.manager)
    assert manager.get(url).status_code == 200
    assert "Submit report" not in manager.get(url).content.decode()
    assert manager.post(url, {"revenue": "1", "action": "save"}).status_code == 404
    lead = client_for(network.lead)
    assert lead.get(url).status_code == 200
    assert lead.post(url, {"revenue": "1", "action": "save"}).status_code == 404
    assert not Submission.objects.exists()


def test_export_job_is_private_to_its_owner(
    network, client_for, sales, period, submitted, django_capture_on_commit_callbacks
):
    client = client_for(network.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/network/pdf/", {"template": "sales"})
    job = ExportJob.objects.get()
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert client.get(f"/reports/jobs/{job.pk}/download/")["Cache-Control"].startswith("private")
    for user in (network.other_manager, network.owner):
        assert client_for(user).get(f"/reports/jobs/{job.pk}/").status_code == 404
        assert client_for(user).get(f"/reports/jobs/{job.pk}/download/").status_code == 404


def test_manager_can_review_own_portfolio(network, client_for, submitted):
    client = client_for(network.manager)
    assert client.get(f"/reports/review/{submitted.pk}/").status_code == 200
    services.submission_approve(submission=submitted, user=network.manager)
    submitted.refresh_from_db()
    assert submitted.status == "approved"
