"""Search across the documents a person may see: ranked full text (Wagtail search, the same
approach as the knowledge base) with a substring fallback for parts of words, highlighted
snippets from the text inside the file, and "did you mean" for a misspelt word."""

from __future__ import annotations

import difflib
import re

from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr

from portal import search_index
from portal.search import highlight, query_terms, query_words, significant_words

from ..models import Document

#: Enough ranked hits for any page a person reads; the rest of a huge match is not ranked.
RESULT_CAP = 500
#: "Did you mean" learns words from the newest documents in scope (only on an empty result).
VOCABULARY_DOCUMENTS = 1000
VOCABULARY_CHARS = 1500
_WORD = re.compile(r"\w{3,}")


def ranked_ids(scope: QuerySet[Document], query: str) -> list[int]:
    """Ids of matching documents, title matches first, each group in relevance order."""
    return search_index.ranked_ids(scope, significant_words(query).split(), limit=RESULT_CAP)


def in_rank_order(qs: QuerySet[Document], ids: list[int]) -> QuerySet[Document]:
    """`qs` limited to `ids`, in their order. On PostgreSQL one `array_position` (a CASE of
    500 branches cost ~25 ms of query building per page); elsewhere a CASE."""
    if connection.vendor == "postgresql":
        column = f'"{Document._meta.db_table}"."id"'
        rank = RawSQL(f"array_position(%s::bigint[], {column})", (ids,))  # noqa: S611
    else:
        rank = Case(
            *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), output_field=IntegerField()
        )
    return qs.filter(pk__in=ids).order_by(rank)


def did_you_mean(scope: QuerySet[Document], query: str) -> str:
    """The query with each unknown word replaced by the closest word of the documents in scope,
    or "" when nothing close is found (so a stranger's files never suggest anything)."""
    words = query_words(query)
    if not words:
        return ""
    vocabulary: set[str] = set()
    texts = (
        scope.order_by("-updated_at")
        .annotate(head=Substr("search_text", 1, VOCABULARY_CHARS))
        .values_list("head", flat=True)[:VOCABULARY_DOCUMENTS]
    )
    for text in texts:
        vocabulary.update(_WORD.findall(text))
    suggested, changed = [], False
    for word in words:
        lower = word.lower()
        close = [] if lower in vocabulary or len(lower) < 4 else None
        if close is None:
            close = difflib.get_close_matches(lower, vocabulary, n=1, cutoff=0.75)
        if close:
            suggested.append(close[0])
            changed = True
        else:
            suggested.append(word)
    return " ".join(suggested) if changed else ""


def add_snippets(documents, query: str) -> None:
    """Set `snippet` on each document of a page: its description and file text around the
    first match, with the query's words marked."""
    terms = query_terms(query)
    for document in documents:
        version = document.current_version
        text = " ".join(p for p in (document.description, version.text if version else "") if p)
        document.snippet = highlight(" ".join(text.split()), terms) if text else ""
