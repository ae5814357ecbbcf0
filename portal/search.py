"""One place that turns what a user typed into a search box into something every search
backend accepts.

Full-text backends give quotes, `*`, `:`, `(`, `-` and AND/OR/NOT their own meaning, so a
query such as `а"б` or `">` is a syntax error in SQLite FTS5 (a 500), and PostgreSQL refuses
NUL in any string. Search here is by words: punctuation (quotes of every kind included) only
separates them, so ООО «Ромашка» and ООО "Ромашка" both search for the words ООО and Ромашка
and find the company whichever quotes its name was stored with.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.db.models import Q

#: Letters and digits (any script), joined by inner hyphens or dots ("KZN-001", "3.5").
_WORD = re.compile(r"\w+(?:[-./]\w+)*")
#: Words a full-text backend would read as operators.
_OPERATORS = frozenset({"and", "or", "not", "near"})

MAX_LENGTH = 200
MAX_WORDS = 10


def query_words(raw: str | None, *, max_length: int = MAX_LENGTH) -> list[str]:
    """The words of a typed query, at most MAX_WORDS of them, from its first `max_length`
    characters; no punctuation, control characters or operator words survive."""
    text = (raw or "")[: max_length * 4]
    words = [w for w in _WORD.findall(text.replace("_", " ")) if w.lower() not in _OPERATORS]
    kept, length = [], 0
    for word in words[:MAX_WORDS]:
        length += len(word) + 1
        if length > max_length + 1:
            break
        kept.append(word)
    return kept


def search_query(raw: str | None, *, max_length: int = MAX_LENGTH) -> str:
    """The query as plain words separated by spaces: safe for any full-text backend."""
    return " ".join(query_words(raw, max_length=max_length))


def words_q(raw: str | None, *fields: str, max_length: int = MAX_LENGTH) -> Q:
    """Every word in at least one of `fields` (icontains): a filter for list searches."""
    words = query_words(raw, max_length=max_length)
    if not words:
        return Q()
    return reduce(
        and_, (reduce(or_, (Q(**{f"{field}__icontains": w}) for field in fields)) for w in words)
    )
