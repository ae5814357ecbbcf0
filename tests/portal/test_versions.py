"""Data versions and the fragments cached under them: every kind of write invalidates, nothing
else does, and a cached page never shows another person's or an older state."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from franchise.models import Notification, Region
from kb.models import SearchLog
from portal import versions
from tests.news.helpers import make_news, news_index

pytestmark = pytest.mark.django_db


def _dashboard(unit):
    return reverse("franchise:unit_detail", args=[unit.code])


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _log(query="hours"):
    return SearchLog(query=query, result_count=0)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda: _log().save(), id="save"),
        pytest.param(lambda: SearchLog.objects.update(result_count=2), id="queryset-update"),
        pytest.param(lambda: SearchLog.objects.bulk_create([_log("a")]), id="bulk-create"),
        # SQLite writes these as INSERT OR IGNORE INTO (M2M add() too).
        pytest.param(
            lambda: SearchLog.objects.bulk_create([_log("b")], ignore_conflicts=True),
            id="bulk-create-ignore-conflicts",
        ),
        pytest.param(lambda: SearchLog.objects.all().delete(), id="queryset-delete"),
        pytest.param(
            lambda: connection.cursor().execute("UPDATE kb_searchlog SET result_count = 3"),
            id="raw-sql",
        ),
    ],
)
def test_every_kind_of_write_bumps_its_app_and_model_only(write):
    _log().save()
    labels = ("kb", "kb.SearchLog", "kb.ArticlePage", "franchise")
    before = {label: versions.token([label]) for label in labels}
    write()
    after = {label: versions.token([label]) for label in labels}
    assert after["kb"] != before["kb"]
    assert after["kb.SearchLog"] != before["kb.SearchLog"]
    assert after["kb.ArticlePage"] == before["kb.ArticlePage"]
    assert after["franchise"] == before["franchise"]


def test_a_write_bumps_again_when_its_transaction_commits(
    settings, django_capture_on_commit_callbacks
):
    settings.DATA_VERSIONS_BUMP_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Region.objects.create(code="r", name="R")
        during = versions.token(["franchise"])
    for callback in callbacks:
        callback()
    assert versions.token(["franchise"]) != during


def test_reads_do_not_bump():
    token = versions.token(["franchise"])
    list(Region.objects.all())
    assert versions.token(["franchise"]) == token


def test_second_dashboard_view_reuses_fragments_and_a_write_refreshes_them(network, client_for):
    news_index()
    make_news("First")
    client = client_for(network.member)
    cold, html = _queries(client, _dashboard(network.unit))
    warm, again = _queries(client, _dashboard(network.unit))
    assert warm < cold
    assert again.count("First") == html.count("First") >= 1

    make_news("Second news")  # a page published: wagtailcore's version moves
    _, html = _queries(client, _dashboard(network.unit))
    assert "Second news" in html


def test_a_write_in_an_app_a_block_does_not_read_keeps_the_cache(network, client_for):
    client = client_for(network.member)
    _queries(client, _dashboard(network.unit))  # also records today's activity (a write)
    _queries(client, _dashboard(network.unit))
    warm, _ = _queries(client, _dashboard(network.unit))
    SearchLog.objects.create(query="hours", result_count=0)
    after, _ = _queries(client, _dashboard(network.unit))
    assert after == warm


def test_fragments_are_per_person(network, client_for):
    news_index()
    make_news("For everyone")
    member, owner = client_for(network.member), client_for(network.owner)
    member.get(_dashboard(network.unit))
    index = news_index()
    member.post(index.url + index.reverse_subpage("mark_read"), {"next": _dashboard(network.unit)})
    assert "No unread news" in member.get(_dashboard(network.unit)).content.decode()
    assert "For everyone" in owner.get(_dashboard(network.unit)).content.decode()


def test_bell_count_follows_new_notifications(network, client_for):
    client = client_for(network.member)
    assert (
        "header-notifications__count" not in client.get(_dashboard(network.unit)).content.decode()
    )
    Notification.objects.create(
        user=network.member, unit=network.unit, kind="test", title="Price list updated"
    )
    html = client.get(_dashboard(network.unit)).content.decode()
    assert 'header-notifications__count">1<' in html


def test_forms_in_cached_fragments_carry_the_current_csrf_secret(network):
    """After signing in again (a new CSRF secret) the cached header's forms still post."""
    news_index()
    make_news("One")
    first = Client(enforce_csrf_checks=True)
    first.force_login(network.member)
    first.get(_dashboard(network.unit))
    second = Client(enforce_csrf_checks=True)
    second.force_login(network.member)
    html = second.get(_dashboard(network.unit)).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = second.post(
        reverse("set_language"),
        {"language": "ru", "next": "/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_anonymous_landing_page_has_no_personal_header(network, client_for):
    client_for(network.member).get(_dashboard(network.unit))
    html = Client().get("/").content.decode()
    assert network.member.get_full_name() not in html


def test_every_label_a_cached_part_depends_on_names_a_real_app_or_model():
    from franchise.access import RIGHTS_LABELS
    from franchise.views import UNIT_LIST_LABELS
    from portal import dashboard
    from portal.auth_backends import PERMISSION_LABELS
    from portal.templatetags.cabinet import FOOTER_DATA
    from reporting.network.scorecards.measures import ACTIVITY_LABELS, MANAGER_LABELS
    from reporting.network.scorecards.network import frame_labels
    from reporting.summaries import OVERVIEW_LABELS
    from reporting.views import REVIEW_LABELS

    known = {key for keys, _label in versions._labels_of_tables().values() for key in keys}
    labels = {*dashboard.status_labels(), *FOOTER_DATA, *RIGHTS_LABELS, *frame_labels()}
    labels.update(
        PERMISSION_LABELS,
        ACTIVITY_LABELS,
        MANAGER_LABELS,
        OVERVIEW_LABELS,
        REVIEW_LABELS,
        UNIT_LIST_LABELS,
    )
    for block in dashboard._registry.values():
        labels.update(block.depends_on)
    assert {label for label in labels if versions._key(label) not in known} == set()


def test_cached_many_reads_all_at_once_and_recomputes_only_what_a_write_touched():
    calls = []

    def compute(name):
        def run():
            calls.append(name)
            return f"<{name}>"

        return run

    items = [
        (("a",), ["kb"], compute("a")),
        (("b",), ["franchise"], compute("b")),
        (("c",), ["kb", "franchise"], compute("c")),
    ]
    assert versions.cached_many(items) == ["<a>", "<b>", "<c>"]
    assert versions.cached_many(items) == ["<a>", "<b>", "<c>"] and calls == ["a", "b", "c"]
    # The same entries as one-by-one `cached` would use.
    assert versions.cached(("b",), ["franchise"], compute("not called")) == "<b>"
    Region.objects.create(code="r2", name="R2")  # a franchise write
    assert versions.cached_many(items) == ["<a>", "<b>", "<c>"]
    assert calls == ["a", "b", "c", "b", "c"]


def test_cached_page_keeps_only_requests_with_known_parameters(rf):
    calls = []

    def page(request):
        return versions.cached_page(
            request, "list", "scope", ["q", "page"], ["kb"], lambda: calls.append(1) or "html"
        )

    page(rf.get("/x/?q=a&page=2"))
    page(rf.get("/x/?page=2&q=a"))  # same parameters: served from the cache
    assert len(calls) == 1
    page(rf.get("/x/?q=a&page=2&utm=1"))  # an unknown parameter: rendered, not kept
    page(rf.get("/x/?q=a&page=2&utm=1"))
    assert len(calls) == 3
    page(rf.get("/x/?q=b"))
    assert len(calls) == 4


def test_a_burst_of_writes_queues_one_refresh():
    queued = []

    class Task:
        @staticmethod
        def delay():
            queued.append(1)

    versions.queue_once(Task, key="burst")
    versions.queue_once(Task, key="burst")
    assert queued == [1]  # the second write found one queued and not started
    versions.refresh_started("burst")
    versions.queue_once(Task, key="burst")
    assert queued == [1, 1]  # a write during the run queues the next one
