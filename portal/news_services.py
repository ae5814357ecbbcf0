"""Writes about news: read marks. Idempotent, safe against double clicks and races."""

from __future__ import annotations

from django.db import transaction

from .news import NewsPage, NewsRead


@transaction.atomic
def news_mark_read(*, user, page: NewsPage) -> bool:
    """Record that `user` has read `page`; True if it was unread until now."""
    # get_or_create retries the read inside its own savepoint if two requests race.
    _, created = NewsRead.objects.get_or_create(user=user, page=page)
    return created


@transaction.atomic
def news_mark_all_read(*, user) -> int:
    """Mark every news item visible to `user` as read; returns how many were unread."""
    from .news_selectors import news_visible_to

    unread = list(news_visible_to(user).exclude(read_marks__user=user).values_list("pk", flat=True))
    NewsRead.objects.bulk_create(
        [NewsRead(user=user, page_id=pk) for pk in unread], ignore_conflicts=True, batch_size=500
    )
    return len(unread)
