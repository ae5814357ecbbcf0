"""Ranked full-text hits read straight from Wagtail's search index table, in one query.

Wagtail's database backend ranks every row of the queryset it is given (on SQLite through a
correlated full-text subquery per row) and searches one field (`fields=["title"]`) with a
vector built at query time, outside the index: at 50,000 documents a search took 0.4–2 s.
Here the index's own full-text index finds the matches, the caller's queryset only filters
them, title matches come first and relevance orders the rest. The rows are the ones Wagtail
writes (`IndexEntry`, and its FTS5 twin on SQLite), so indexing stays Wagtail's.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

#: Weights of the FTS5 columns (autocomplete, body, title) on SQLite: a title hit counts 3×.
_SQLITE_WEIGHTS = "0.0, 1.0, 3.0"


def ranked_ids(scope: QuerySet, words: list[str], *, limit: int) -> list[int]:
    """Ids of the objects of `scope` whose indexed text holds every word, at most `limit`:
    those with every word in the title first, each group by relevance."""
    if not words:
        return []
    content_type = ContentType.objects.get_for_model(scope.model).pk
    if connection.vendor == "postgresql":
        scope_sql = scope.order_by().values("pk").query.sql_with_params()
        sql, params = _postgres(words, content_type, scope_sql, limit)
    else:
        ids = scope.order_by().annotate(_sid=Cast("pk", CharField())).values("_sid")
        sql, params = _sqlite(words, content_type, ids.query.sql_with_params(), limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(row[0]) for row in cursor.fetchall()]


def _postgres(words, content_type, scope, limit):
    """Matches from the GIN indexes first (a materialized CTE: the planner cannot fold the
    scope into it), then the scope filters them by primary key, then only the rows left are
    ranked. `body @@ q OR title @@ q` uses Wagtail's GIN indexes on each column (an expression
    `title || body` uses none); the indexed body holds the title's words too (`search_text`),
    so this finds what `title || body` found."""
    config = get_search_backend().config
    query = "plainto_tsquery(%s::regconfig, %s)" if config else "plainto_tsquery(%s)"
    q = [config, " ".join(words)] if config else [" ".join(words)]
    entries = IndexEntry._meta.db_table
    sql = f"""
        WITH q AS MATERIALIZED (SELECT {query} AS q),
        m AS MATERIALIZED (
            SELECT e.id AS eid, e.object_id::bigint AS oid FROM {entries} e, q
            WHERE e.content_type_id = %s AND (e.body @@ q.q OR e.title @@ q.q)
        ),
        s AS MATERIALIZED (SELECT m.eid FROM m WHERE m.oid IN ({scope[0]}))
        SELECT e.object_id FROM s JOIN {entries} e ON e.id = s.eid, q
        ORDER BY e.title @@ q.q DESC,
                 ts_rank(e.body, q.q) + ts_rank(e.title, q.q) * e.title_norm DESC,
                 e.id DESC
        LIMIT %s"""  # noqa: S608 - table names from the models, values as parameters
    return sql, [*q, content_type, *scope[1], limit]


def _sqlite(words, content_type, scope, limit):
    entries = IndexEntry._meta.db_table
    fts = f"{entries}_fts"
    terms = " AND ".join('"{}"'.format(w.replace('"', '""')) for w in words)
    sql = f"""
        SELECT e.object_id FROM {fts} f JOIN {entries} e ON e.id = f.rowid
        WHERE {fts} MATCH %s AND e.content_type_id = %s AND e.object_id IN ({scope[0]})
        ORDER BY e.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s) DESC,
                 bm25({fts}, {_SQLITE_WEIGHTS}), e.id DESC
        LIMIT %s"""  # noqa: S608 - table names from the models, values as parameters
    return sql, [
        f"{{title body}} : ({terms})",
        content_type,
        *scope[1],
        f"title : ({terms})",
        limit,
    ]
