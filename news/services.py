"""Writes about news: read marks. Idempotent, safe against double clicks and races."""

from __future__ import annotations

from django.db import transaction

from portal.translations import default_locale_q

from .models import NewsIndexPage, NewsPage, NewsRead


@transaction.atomic
def news_mark_read(*, user, page: NewsPage) -> bool:
    """Record that `user` has read `page`; True if it was unread until now."""
    # get_or_create retries the read inside its own savepoint if two requests race.
    _, created = NewsRead.objects.get_or_create(user=user, page=page)
    return created


@transaction.atomic
def news_mark_all_read(*, user) -> int:
    """Mark every news item visible to `user` as read; returns how many were unread."""
    from .selectors import news_visible_to

    unread = list(news_visible_to(user).exclude(read_marks__user=user).values_list("pk", flat=True))
    NewsRead.objects.bulk_create(
        [NewsRead(user=user, page_id=pk) for pk in unread], ignore_conflicts=True, batch_size=500
    )
    return len(unread)


@transaction.atomic
def news_index_setup(*, title: str = "News") -> NewsIndexPage:
    """The news section under the home page, signed-in users only, writable by Editors.

    Idempotent: an existing index keeps its title; missing pieces are added.
    """
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission, PageViewRestriction

    from franchise import access
    from portal.models import HomePage

    index = NewsIndexPage.objects.first()
    if index is None:
        index = NewsIndexPage(title=title, slug="news")
        HomePage.objects.get(default_locale_q()).add_child(instance=index)
        index.save_revision().publish()
    if not PageViewRestriction.objects.filter(page=index).exists():
        PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    editors = access.ensure_groups()[access.EDITORS]
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore",
        codename__in=["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ):
        GroupPagePermission.objects.get_or_create(group=editors, page=index, permission=permission)
    return index


def news_announce(*, page_id: int) -> int:
    """Tell the news item's audience about it (in-app, and e-mail as each person prefers).

    Once per item: a second call finds the notices already there and sends nothing.
    Returns the number of people told.
    """
    from franchise import access
    from franchise.models import Notification
    from franchise.notifications import notify

    page = NewsPage.objects.live().filter(pk=page_id).first()
    if page is None:
        return 0
    url = page.url or ""
    with transaction.atomic():
        if Notification.objects.filter(kind="news", url=url).exists():
            return 0
        return len(
            notify(
                recipients=access.audience_members(page),
                kind="news",
                title=page.title,
                body=page.summary,
                url=url,
            )
        )
