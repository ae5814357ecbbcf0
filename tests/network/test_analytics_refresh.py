"""The report analytics a manager asked for today are brought up to date once a unit's write
commits, and their cards are rendered once per revision, not by every reader."""

import pytest

from reporting import summaries
from reporting.tasks import analytics_refresh_task
from tests.spies import calls_of

from .test_writes_scoped import _submit, data  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
ANALYTICS = "/reports/network/"


@pytest.fixture
def computed(monkeypatch):
    """One entry per overview computed from its frames."""
    return calls_of(monkeypatch, summaries, "_overview")


@pytest.fixture
def rendered(monkeypatch):
    """One entry per rendering of the analytics cards."""
    return calls_of(monkeypatch, summaries, "render_to_string")


def test_a_report_refreshes_the_asked_analytics_when_it_commits(
    data,  # noqa: F811
    client_for,
    sales,
    computed,
    rendered,
    django_capture_on_commit_callbacks,
):
    manager = client_for(data.manager)
    first = manager.get(ANALYTICS)
    assert first.status_code == 200 and "555" not in first.content.decode()
    assert len(computed) == 1 and len(rendered) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _submit(data.unit, sales, data.owner, revenue=555)
    assert callbacks
    assert len(computed) == 2 and len(rendered) == 2  # done when the write committed...
    response = manager.get(ANALYTICS)
    assert response.status_code == 200
    assert "555" in response.content.decode()
    assert len(computed) == 2 and len(rendered) == 2  # ...so the reader computed nothing


def test_a_warm_page_renders_no_card_again(data, client_for, computed, rendered):  # noqa: F811
    manager = client_for(data.manager)
    first = manager.get(ANALYTICS).content.decode()
    again = manager.get(ANALYTICS).content.decode()
    assert len(computed) == 1 and len(rendered) == 1
    # Only the CSRF token of the PDF form differs between two views.
    assert (
        first.split('name="csrfmiddlewaretoken"')[0] == again.split('name="csrfmiddlewaretoken"')[0]
    )
    assert again.count("<section") == first.count("<section") == 4


def test_each_language_keeps_its_own_cards(data, client_for, rendered):  # noqa: F811
    manager = client_for(data.manager)
    assert "Ranking" in manager.get(ANALYTICS).content.decode()
    manager.cookies["django_language"] = "ru"
    assert "Рейтинг" in manager.get(ANALYTICS, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert len(rendered) == 2


def test_analytics_nobody_asked_for_are_not_computed_by_a_write(
    data,  # noqa: F811
    sales,
    computed,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(data.unit, sales, data.owner, revenue=555)
    assert computed == []


def test_a_failed_refresh_is_logged_not_raised(monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("cache down")

    monkeypatch.setattr(summaries, "refresh_kept", broken)
    assert analytics_refresh_task.delay().get() == 0
    assert "could not refresh the kept report analytics" in caplog.text
