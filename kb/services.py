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


@transaction.atomic
def editor_permissions_grant(*, index, collection) -> None:
    """Let the Editors group write the knowledge base: pages under the index, files in its
    collection. Wagtail's own permission tables, so the page tree and choosers honour them."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    from franchise import access

    group = access.ensure_groups()[access.EDITORS]
    page_perms = Permission.objects.filter(
        content_type__app_label="wagtailcore",
        codename__in=["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    )
    for permission in page_perms:
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    file_perms = Permission.objects.filter(
        codename__in=[
            "add_kbdocument",
            "change_kbdocument",
            "choose_document",
            "add_image",
            "change_image",
            "choose_image",
        ],
        content_type__app_label__in=["kb", "wagtailimages"],
    )
    for permission in file_perms:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="kb", codename="view_articlefeedback")
    )


def review_reminders_send(*, today, months: int) -> int:
    """Mail every content owner the list of their articles due for review; once a week each.

    Returns the number of e-mails sent.
    """
    import datetime
    from collections import defaultdict

    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    from portal.translations import translations_of

    from .models import ReviewReminder
    from .selectors import articles_due_for_review

    week = today - datetime.timedelta(days=today.weekday())
    due = defaultdict(list)
    for article in articles_due_for_review(today, months).filter(article_owner__isnull=False):
        due[article.article_owner].append(article)
    # The titles in every owner's language: one query per language besides the default.
    titles: dict[str, dict[int, str]] = {}
    for language in {_language_of(owner) for owner in due}:
        with translation.override(language):
            found = translations_of([a for articles in due.values() for a in articles], ArticlePage)
        titles[language] = {pk: page.title for pk, page in found.items()}
    sent = 0
    for owner, articles in due.items():
        if not owner.email or not owner.is_active:
            continue
        language = _language_of(owner)
        with transaction.atomic():
            _, created = ReviewReminder.objects.get_or_create(
                user=owner, week=week, defaults={"articles": len(articles)}
            )
            if not created:
                continue
            with translation.override(language):
                context = {
                    "owner": owner,
                    "months": months,
                    "articles": [
                        {
                            "title": titles[language].get(a.pk, a.title),
                            "last_reviewed_on": a.last_reviewed_on,
                            "edit_url": settings.PORTAL_BASE_URL
                            + reverse("wagtailadmin_pages:edit", args=[a.pk]),
                        }
                        for a in articles
                    ],
                }
                subject = render_to_string("kb/email/review_reminder_subject.txt", context)
                body = render_to_string("kb/email/review_reminder.txt", context)
            send_mail(" ".join(subject.split()), body, None, [owner.email])
            sent += 1
    return sent


def _language_of(user) -> str:
    from django.conf import settings

    return user.preferred_language or settings.LANGUAGE_CODE


DOCUMENT_TEXT_LIMIT = 200_000


def document_text_extract(*, document_id: int) -> int:
    """Read the text of a PDF or plain-text attachment into the search index.

    Also re-indexes the live articles that use the file, whose search entry includes it.
    Returns the number of characters stored.
    """
    import io

    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex
    from wagtail.search.index import insert_or_update_object

    from .models import KBDocument

    document = KBDocument.objects.filter(pk=document_id).first()
    if document is None:
        return 0
    extension = document.file_extension.lower()
    text = ""
    try:
        with document.open_file() as handle:
            data = handle.read()
    except OSError:
        return 0
    if extension == "pdf":
        import pypdf

        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            text = "\n".join((page.extract_text() or "") for page in reader.pages[:100])
        except (pypdf.errors.PdfReadError, ValueError):
            text = ""
    elif extension in ("txt", "csv"):
        text = data.decode("utf-8", errors="replace")
    text = " ".join(text.split())[:DOCUMENT_TEXT_LIMIT]
    KBDocument.objects.filter(pk=document.pk).update(text=text)
    document.text = text
    insert_or_update_object(document)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    for article in ArticlePage.objects.live().filter(pk__in=[int(pk) for pk in page_ids]):
        insert_or_update_object(article)
    return len(text)
