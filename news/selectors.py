"""Reads about news, always through the audience rule of `franchise.access`."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from franchise import access
from portal.translations import default_locale_q

from .models import NewsIndexPage, NewsPage, NewsRead

#: Pinned first, then the newest.
NEWS_ORDER = ("-pinned", "-date", "-first_published_at", "-pk")


def news_visible_to(user) -> QuerySet[NewsPage]:
    """Live news whose audience includes `user` (nothing for anonymous visitors).

    Default-locale pages only: a translation is the same item's text, not another item.
    """
    if not (user and user.is_authenticated and user.is_active):
        return NewsPage.objects.none()
    return NewsPage.objects.live().filter(default_locale_q(), access.audience_q(user, NewsPage))


def _read_by(user):
    return Exists(NewsRead.objects.filter(user=user, page=OuterRef("pk")))


def news_list(user, *, unread_only: bool = False) -> QuerySet[NewsPage]:
    """The news list: every visible item with `is_read`, pinned first."""
    items = news_visible_to(user).annotate(is_read=_read_by(user))
    if unread_only:
        items = items.filter(is_read=False)
    return items.select_related("image").order_by(*NEWS_ORDER)


def unread_news(user, *, limit: int = 5) -> tuple[list[NewsPage], int]:
    """The first `limit` unread items (pinned first) and how many are unread: two queries."""
    unread = news_visible_to(user).exclude(_read_by(user))
    # Always count, even when the first page tells: the dashboard's query count stays fixed.
    return list(unread.order_by(*NEWS_ORDER)[:limit]), unread.count()


def news_index(request) -> NewsIndexPage | None:
    """The live news index (one query, remembered for the rest of the request)."""
    if not hasattr(request, "_news_index"):
        request._news_index = NewsIndexPage.objects.live().filter(default_locale_q()).first()
    return request._news_index


def news_index_url(request) -> str | None:
    """The news index's URL (remembered for the rest of the request, like the index)."""
    if not hasattr(request, "_news_index_url"):
        index = news_index(request)
        request._news_index_url = index.get_url(request) if index else None
    return request._news_index_url
