"""The kept network frame is patched once a unit's write commits, not by its next reader."""

import logging

import pytest
from django.urls import reverse

from reporting.network import tasks
from reporting.network.scorecards import network as network_mod
from tests.spies import calls_of

from .test_writes_scoped import _submit, data  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
NETWORK = reverse("network:home")


@pytest.fixture
def patches(monkeypatch):
    """The units each patch of the network frame read again, one set per patch."""
    calls = []
    real = network_mod._patched

    def spy(state, changed, today, seq):
        calls.append(set(changed))
        return real(state, changed, today, seq)

    monkeypatch.setattr(network_mod, "_patched", spy)
    return calls


@pytest.fixture
def rebuilds(monkeypatch):
    calls = []
    real = network_mod._network_base

    def spy(today, seq=None):
        calls.append(today)
        return real(today, seq)

    monkeypatch.setattr(network_mod, "_network_base", spy)
    return calls


def test_a_report_patches_the_kept_frame_when_it_commits(
    data,  # noqa: F811
    client_for,
    sales,
    patches,
    rebuilds,
    django_capture_on_commit_callbacks,
):
    manager = client_for(data.manager)
    assert manager.get(NETWORK).status_code == 200
    assert len(rebuilds) == 1 and patches == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _submit(data.unit, sales, data.owner, revenue=555)
    assert callbacks  # the refresh was queued on commit...
    assert patches == [{data.unit.pk}]  # ...and patched the unit written, before any reader
    response = manager.get(NETWORK)
    assert response.status_code == 200
    assert patches == [{data.unit.pk}] and len(rebuilds) == 1  # the reader patched nothing
    assert "555" in response.content.decode()


def test_a_frame_nobody_asked_for_is_not_built_by_a_write(
    data,  # noqa: F811
    sales,
    rebuilds,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(data.unit, sales, data.owner, revenue=555)
    assert rebuilds == []


def test_a_failed_refresh_is_logged_not_raised(monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("cache down")

    monkeypatch.setattr("reporting.network.scorecards.refresh_kept", broken)
    with caplog.at_level(logging.ERROR):
        assert tasks.network_frame_refresh_task.delay().get() == []
    assert "could not refresh the kept network frame" in caplog.text


@pytest.fixture
def page_renders(monkeypatch):
    """One entry each time a part of the network page is rendered."""
    from reporting.network import views

    return calls_of(monkeypatch, views, "render_to_string")


def test_a_write_that_changes_no_figure_keeps_the_rendered_page(
    data,  # noqa: F811
    client_for,
    sales,
    page_renders,
    django_capture_on_commit_callbacks,
):
    from reporting import services

    from .conftest import due_periods

    manager = client_for(data.manager)
    first = manager.get(NETWORK).content.decode()
    assert len(page_renders) == 2  # the top and the table
    newest = due_periods(sales)[0]
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.submission_open(unit=data.unit, template=sales, period=newest)
        services.submission_save(
            submission=draft, data={"revenue": 777}, user=data.owner, submit=False
        )
    again = manager.get(NETWORK).content.decode()
    assert len(page_renders) == 2  # a draft is in no figure: the page was not rendered again
    assert again.split("csrfmiddlewaretoken")[0] == first.split("csrfmiddlewaretoken")[0]

    with django_capture_on_commit_callbacks(execute=True):
        _submit(data.unit, sales, data.owner, revenue=555)
    after = manager.get(NETWORK).content.decode()
    assert len(page_renders) == 4 and "555" in after  # a report is: rendered with its figure
