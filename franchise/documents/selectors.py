"""Reads of the document exchange; every one starts from what the user may see."""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from portal.search import query_words

from .. import access
from ..models import (
    Document,
    DocumentAcknowledgement,
    DocumentComment,
    DocumentFolder,
    Franchisee,
    Membership,
    Role,
)
from . import search


def documents_visible(user) -> QuerySet[Document]:
    return Document.objects.filter(access.documents_visible_q(user))


def _with_list_data(qs: QuerySet[Document], user) -> QuerySet[Document]:
    acknowledged = DocumentAcknowledgement.objects.filter(
        version_id=OuterRef("current_version_id"), user_id=user.pk
    )
    return (
        qs.select_related("unit", "category", "current_version", "current_version__uploaded_by")
        .prefetch_related("tags")
        .annotate(acknowledged=Exists(acknowledged))
    )


def search_q(q: str) -> Q:
    """Every word must appear in the name, description, tags, file name or text inside;
    words as `portal.search` reads them. `search_text` is stored lower-case, so a
    case-sensitive `LIKE` on the lower-cased words finds what `ILIKE` would, and can use the
    trigram index on the column (migration franchise/0006, PostgreSQL)."""
    words = query_words(q.lower())
    return reduce(and_, (Q(search_text__contains=w) for w in words), Q())


def substring_ids(scope: QuerySet[Document], q: str) -> list[int]:
    """Ids of the documents of `scope` holding each word as part of a word ("прайс" in
    "прайс-лист"), newest first, at most RESULT_CAP: a lean query of ids (no joins of the
    page), so neither a count of every match nor a misjudged join plan is paid for."""
    if not query_words(q):
        return []
    ids = scope.filter(search_q(q)).order_by("-updated_at", "-pk").values_list("pk", flat=True)
    return list(ids[: search.RESULT_CAP])


def document_list(
    user,
    *,
    unit: Franchisee | None = None,
    library: bool = False,
    folder: str = "",
    q: str = "",
    category=None,
    tag: str = "",
    must_read_pending: bool = False,
    updated_from=None,
    updated_to=None,
) -> QuerySet[Document]:
    """Documents for a listing or a search, with what the row needs: a fixed number of queries.

    `unit` limits to that unit's folders (the caller checked the unit), `library` to the
    network library; neither searches everything the user may see.
    """
    qs = documents_visible(user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    elif library:
        qs = qs.filter(unit__isnull=True)
    if folder:
        qs = qs.filter(folder=folder)
    if category:
        qs = qs.filter(category=category)
    if tag:
        qs = qs.filter(tags__name__iexact=tag)
    if updated_from:
        qs = qs.filter(updated_at__date__gte=updated_from)
    if updated_to:
        qs = qs.filter(updated_at__date__lte=updated_to)
    ranked = search.ranked_ids(qs, q) if q else []
    if q and not ranked and query_words(q):
        ranked = substring_ids(qs, q)  # parts of words ("прайс" in "прайс-лист"), unranked
        if not ranked:
            return qs.none()
    qs = _with_list_data(qs, user)
    if must_read_pending:
        qs = qs.filter(must_read=True, acknowledged=False, current_version__isnull=False)
    if ranked:
        return search.in_rank_order(qs, ranked)
    return qs.order_by("-updated_at", "-pk")


def document_for(user, pk: int) -> Document | None:
    """One document the user may see, or None (another unit's file looks like a missing one)."""
    return (
        _with_list_data(documents_visible(user), user)
        .select_related("created_by", "unit__account_manager")
        .prefetch_related("audience_regions", "audience_units")
        .filter(pk=pk)
        .first()
    )


def folder_counts(unit: Franchisee) -> dict[str, int]:
    rows = Document.objects.filter(unit=unit).values("folder").annotate(n=Count("pk")).order_by()
    return {row["folder"]: row["n"] for row in rows}


def unit_folders(unit: Franchisee) -> list[dict]:
    counts = folder_counts(unit)
    return [
        {"key": value, "label": label, "count": counts.get(value, 0)}
        for value, label in DocumentFolder.choices
        if value != DocumentFolder.LIBRARY
    ]


def document_versions(document: Document):
    return document.versions.select_related("uploaded_by").order_by("-number")


def document_comments(user, document: Document) -> QuerySet[DocumentComment]:
    """On a library document a unit's comments are seen by that unit and the franchisor."""
    qs = document.comments.select_related("author", "unit")
    if document.unit_id is None and not access.sees_whole_library(user):
        qs = qs.filter(Q(unit__isnull=True) | Q(unit__in=access.units_visible_to(user)))
    return qs


def commenting_units(user, document: Document) -> list[Franchisee]:
    """The units the user may speak for on this document (the current unit first)."""
    if document.unit_id is not None:
        return [document.unit] if access.can(user, "work", document.unit) else []
    return list(
        access.units_visible_to(user, "work").filter(
            pk__in=access.document_audience_units(document).values("pk")
        )[:20]
    )


def acknowledgement_report(user, document: Document) -> QuerySet[Membership]:
    """Each person of the audience's units the viewer oversees, with when they acknowledged."""
    units = access.acknowledgement_units(user, document)
    acknowledged_at = DocumentAcknowledgement.objects.filter(
        version_id=document.current_version_id, user_id=OuterRef("user_id")
    ).values("acknowledged_at")[:1]
    return (
        Membership.objects.filter(unit__in=units, role__in=[Role.OWNER, Role.MEMBER])
        .select_related("user", "unit")
        .annotate(acknowledged_at=Subquery(acknowledged_at))
        .order_by("unit__code", "user__full_name", "pk")
    )


def must_read_to_acknowledge(user, unit: Franchisee, limit: int = 5) -> list[Document]:
    """For the dashboard: the latest must-read documents of the unit and the library."""
    qs = (
        documents_visible(user)
        .filter(Q(unit=unit) | Q(unit__isnull=True))
        .filter(must_read=True, current_version__isnull=False)
    )
    # Only what the block shows (title, date, library or unit): one query, no joins or tags.
    acknowledged = DocumentAcknowledgement.objects.filter(
        version_id=OuterRef("current_version_id"), user_id=user.pk
    )
    qs = (
        qs.only("pk", "title", "updated_at", "unit_id", "current_version_id")
        .annotate(acknowledged=Exists(acknowledged))
        .filter(acknowledged=False)
        .order_by("-updated_at", "-pk")
    )
    return list(qs[:limit])
