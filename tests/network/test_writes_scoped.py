"""The portfolio's lights and the report analytics under writes: a report saved for one unit
recomputes that unit's part only (the same figures as a full rebuild), and any other write to
what they read rebuilds them whole."""

import dataclasses

import pandas as pd
import pytest
from django.core.cache import cache
from django.urls import reverse

from franchise.dashboard_views import portfolio_lights
from franchise.models import Franchisee, UnitTask
from learning import services as learning_services
from portal import dashboard
from reporting import services, summaries
from reporting.network.scorecards import field_ranks
from reporting.network.scorecards import network as network_mod
from tests.learning.conftest import catalogue  # noqa: F401 - fixture
from tests.spies import calls_of

from .conftest import active, due_periods, report_all, today

pytestmark = pytest.mark.django_db
PORTFOLIO = reverse("franchise:portfolio")
ANALYTICS = reverse("reporting:network")


@pytest.fixture
def data(network, sales, client_for):
    """KZN-001 (the manager's) misses its newest report, EKB-001 sent all; both seen today."""
    report_all(network.unit, sales, skip=(0,), revenue=100, receipts=10)
    report_all(network.other_unit, sales, revenue=90, receipts=10)
    active(network.owner, network.unit)
    active(network.other_member, network.other_unit)
    client_for(network.owner).get("/dashboard/", follow=True)
    return network


@pytest.fixture
def lights_read(monkeypatch):
    """The unit codes each status provider was asked about, one list per portfolio build."""
    calls = []
    real = dashboard.status_providers

    def spying(provider):
        def statuses(units):
            calls.append(sorted(units.values_list("code", flat=True)))
            return provider.statuses(units)

        return dataclasses.replace(provider, statuses=statuses)

    monkeypatch.setattr(dashboard, "status_providers", lambda: [spying(p) for p in real()])
    return calls


@pytest.fixture
def frames_read(monkeypatch):
    """The unit codes each load of the analytics' frames read."""
    calls = []
    real = summaries.overview_frames

    def spy(units, template, **kwargs):
        calls.append(sorted(units.values_list("code", flat=True)))
        return real(units, template, **kwargs)

    monkeypatch.setattr(summaries, "overview_frames", spy)
    return calls


def _submit(unit, template, user, revenue):
    newest = due_periods(template)[0]
    submission = services.submission_open(unit=unit, template=template, period=newest)
    services.submission_save(
        submission=submission,
        data={"revenue": revenue, "receipts": 12},
        user=user,
        submit=True,
    )


def _lights(units):
    revision, rows = portfolio_lights(units)
    return {row.unit_id: row.lights for row in rows().values()}


def test_a_report_recomputes_that_units_lights_only(data, client_for, lights_read, sales):
    lead = client_for(data.lead)
    before = lead.get(PORTFOLIO).content.decode()
    assert lead.get(PORTFOLIO).content.decode() == before
    assert "overdue" in before
    lights_read.clear()
    _submit(data.unit, sales, data.owner, 120)
    after = lead.get(PORTFOLIO).content.decode()
    providers = len(dashboard.status_providers())
    assert lights_read == [["KZN-001"]] * providers
    assert "overdue" not in after
    patched = _lights(Franchisee.objects.all())
    cache.clear()
    assert _lights(Franchisee.objects.all()) == patched  # a full rebuild agrees


def test_a_report_outside_the_portfolio_reads_nothing(data, client_for, lights_read, sales):
    manager = client_for(data.manager)  # KZN-001's manager
    first = manager.get(PORTFOLIO).content.decode()
    lights_read.clear()
    _submit(data.other_unit, sales, data.other_member, 99)
    assert manager.get(PORTFOLIO).content.decode() == first
    assert lights_read == []


def test_a_draft_that_changes_no_light_keeps_the_rendered_portfolio(
    data, client_for, lights_read, sales, monkeypatch
):
    from franchise import dashboard_views

    renders = calls_of(monkeypatch, dashboard_views, "render_to_string")
    manager = client_for(data.manager)
    first = manager.get(PORTFOLIO).content.decode()
    rendered = len(renders)
    lights_read.clear()
    newest = due_periods(sales)[0]
    draft = services.submission_open(unit=data.unit, template=sales, period=newest)
    services.submission_save(submission=draft, data={"revenue": 5}, user=data.owner, submit=False)
    again = manager.get(PORTFOLIO).content.decode()
    assert lights_read  # the unit's lights were read again...
    assert len(renders) == rendered  # ...found the same, so the page was not rendered again
    assert again.split("csrfmiddlewaretoken")[0] == first.split("csrfmiddlewaretoken")[0]


def test_a_report_patches_the_shown_portfolios_when_it_commits(
    data, client_for, lights_read, sales, django_capture_on_commit_callbacks
):
    manager = client_for(data.manager)
    assert "overdue" in manager.get(PORTFOLIO).content.decode()
    lights_read.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(data.unit, sales, data.owner, 120)
    providers = len(dashboard.status_providers())
    assert lights_read == [["KZN-001"]] * providers  # patched when the write committed...
    after = manager.get(PORTFOLIO).content.decode()
    assert lights_read == [["KZN-001"]] * providers  # ...so the reader read no lights
    assert "overdue" not in after


def test_a_portfolio_nobody_looked_at_is_not_built_by_a_write(
    data, lights_read, sales, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(data.unit, sales, data.owner, 120)
    assert lights_read == []


def test_a_failed_portfolio_refresh_is_logged_not_raised(monkeypatch, caplog):
    from franchise import tasks

    def broken(**kwargs):
        raise RuntimeError("cache down")

    monkeypatch.setattr("franchise.dashboard_views.refresh_kept", broken)
    assert tasks.portfolio_refresh_task.delay().get() == 0
    assert "could not refresh the kept portfolio lights" in caplog.text


def test_another_write_rebuilds_the_lights(data, client_for, lights_read):
    lead = client_for(data.lead)
    lead.get(PORTFOLIO)
    lights_read.clear()
    UnitTask.objects.create(unit=data.other_unit, title="Fix", due_date=today())
    lead.get(PORTFOLIO)
    assert lights_read and all(codes == ["EKB-001", "KZN-001"] for codes in lights_read)


def _overview(user, sales):
    return summaries.network_overview(user, sales, field=None, period_key=None, today=today())


def test_a_report_reloads_that_units_figures_only(data, client_for, frames_read, sales):
    lead = client_for(data.lead)
    assert lead.get(ANALYTICS).status_code == 200
    assert frames_read == [["EKB-001", "KZN-001"]]
    lead.get(ANALYTICS)
    assert len(frames_read) == 1
    _submit(data.unit, sales, data.owner, 120)
    html = lead.get(ANALYTICS).content.decode()
    assert frames_read[1:] == [["KZN-001"]]
    assert "120" in html
    patched = _overview(data.lead, sales)
    cache.clear()
    fresh = _overview(data.lead, sales)
    assert frames_read[-1] == ["EKB-001", "KZN-001"]
    for key in ("units_reporting", "trend_rows", "ranking_rows", "outlier_rows", "period"):
        assert patched[key] == fresh[key], key


def test_a_report_outside_the_scope_leaves_the_analytics(data, frames_read, sales):
    first = _overview(data.manager, sales)
    _submit(data.other_unit, sales, data.other_member, 99)
    assert _overview(data.manager, sales)["ranking_rows"] == first["ranking_rows"]
    assert frames_read == [["KZN-001"]]


def test_a_review_recomputes_that_units_lights_only(data, client_for, lights_read, sales):
    _submit(data.unit, sales, data.owner, 120)
    lead = client_for(data.lead)
    lead.get(PORTFOLIO)
    lights_read.clear()
    submission = data.unit.submissions.get(template=sales, period_start=due_periods(sales)[0].start)
    services.submission_return(submission=submission, user=data.manager, comment="Check it")
    assert "returned" in lead.get(PORTFOLIO).content.decode()
    assert lights_read == [["KZN-001"]] * len(dashboard.status_providers())


def test_a_quiz_attempt_or_a_notice_rebuilds_no_light(data, client_for, lights_read, catalogue):  # noqa: F811
    lead = client_for(data.lead)
    first = lead.get(PORTFOLIO).content.decode()
    lights_read.clear()
    learning_services.lesson_complete(user=data.owner, lesson=catalogue.lesson1)
    attempt = learning_services.attempt_start(user=data.owner, page=catalogue.lesson2)
    learning_services.attempt_submit(attempt=attempt, answers={"q-single": "s-a"})
    assert lead.get(PORTFOLIO).content.decode() == first
    assert lights_read == []


def test_a_sign_in_rebuilds_no_light(data, client_for, lights_read):
    lead = client_for(data.lead)
    lead.get(PORTFOLIO)
    lights_read.clear()
    client_for(data.manager)  # a sign-in writes the user table (last_login)
    assert "KZN-001" in lead.get(PORTFOLIO).content.decode()
    assert lights_read == []


def test_all_fields_ranked_at_once_equal_each_field_ranked_apart(data, sales):
    key = network_mod.load_key_figures(today())
    assert len(key.definitions) >= 2 and not key.frame.empty
    apart = pd.concat(
        [field_ranks(key, d["key"]).assign(field=d["key"]) for d in key.definitions],
        ignore_index=True,
    )
    together = network_mod._figures(key)
    assert len(together) == len(apart) > 0
    pd.testing.assert_frame_equal(
        together[apart.columns], apart, check_dtype=False, check_like=False
    )
