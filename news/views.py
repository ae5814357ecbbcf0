"""The news block of the unit dashboard and the "News" navigation entry."""

from __future__ import annotations

from portal.translations import default_locale_q, with_shown

from .models import NewsPage
from .selectors import news_index, news_index_url, unread_news

#: How many unread items the dashboard block lists.
DASHBOARD_NEWS = 5


def nav_url(request) -> str | None:
    """The "News" entry appears once the news index is published."""
    return news_index_url(request)


def dashboard_block(request, unit) -> dict | None:
    """The reader's unread news, pinned first (three queries whatever the amount of news)."""
    index = news_index(request)
    if index is None:
        return None
    items, unread_count = unread_news(request.user, limit=DASHBOARD_NEWS)
    return {
        "news_items": with_shown(items, NewsPage),
        "unread_count": unread_count,
        "more_count": max(unread_count - len(items), 0),
        "news_url": index.get_url(request),
        "mark_read_url": index.get_url(request) + index.reverse_subpage("mark_read"),
    }


def queue_announcement(sender, instance, revision=None, **kwargs):
    """`page_published` receiver: a news item published for the first time is announced.

    Only queues the task, after the publishing transaction commits. A translation is the
    same item in another language: its audience has been told already.
    """
    if not NewsPage.objects.filter(default_locale_q(), pk=instance.pk).exists():
        return
    if instance.first_published_at and instance.first_published_at == instance.last_published_at:
        from .tasks import announce_news

        announce_news.delay_on_commit(instance.pk)
