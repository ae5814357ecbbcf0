"""Writes of the knowledge base: visits, feedback, the search log, demo setup helpers."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import ArticleFeedback, ArticlePage, ArticleVisit, SearchLog


def article_visit_record(*, article: ArticlePage, user) -> None:
    """Count one view: a single UPDATE in the common case, an INSERT on the first read."""
    now = timezone.now()
    updated = ArticleVisit.objects.filter(article=article, user=user).update(
        views=F("views") + 1, last_viewed_at=now
    )
    if updated:
        return
    try:
        with transaction.atomic():
            ArticleVisit.objects.create(article=article, user=user, views=1, last_viewed_at=now)
    except IntegrityError:  # a parallel first view won the insert
        ArticleVisit.objects.filter(article=article, user=user).update(
            views=F("views") + 1, last_viewed_at=now
        )


@transaction.atomic
def article_feedback_submit(
    *, article: ArticlePage, user, helpful: bool, comment: str = ""
) -> ArticleFeedback:
    """One vote per reader and article; voting again replaces the earlier vote."""
    feedback, _ = ArticleFeedback.objects.update_or_create(
        article=article,
        user=user,
        defaults={"helpful": helpful, "comment": comment.strip()},
    )
    return feedback


def search_log_create(
    *, query: str, result_count: int, user, role: str, language: str
) -> SearchLog:
    return SearchLog.objects.create(
        query=query.lower(),
        result_count=result_count,
        user=user if user and user.is_authenticated else None,
        role=role,
        language=language or "",
    )


def search_click_record(*, log: SearchLog, article: ArticlePage) -> None:
    """The first result opened from a search is the one that answered it."""
    SearchLog.objects.filter(pk=log.pk, clicked_article__isnull=True).update(
        clicked_article=article, clicked_at=timezone.now()
    )
