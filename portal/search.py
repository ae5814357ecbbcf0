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
from django.utils.html import escape
from django.utils.safestring import mark_safe

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


# Question words that would otherwise match every title ("how", "the", "как", "что").
STOP_WORDS = frozenset(
    "a an and are at be can do does for from how i if in is it my of on or should the to "
    "we what when where which who why with you your "
    "а в во где для до же за и из или к как ли мне мы на не но о об от по при с со так "
    "то у что чтобы это я".split()
)


def significant_words(query: str) -> str:
    """The query without question words; the query itself if nothing else is left."""
    words = query_words(query)
    kept = [w for w in words if w.lower() not in STOP_WORDS]
    return " ".join(kept or words)


def query_terms(query: str) -> list[str]:
    """Words to highlight, cut to a stem-like prefix so "отчёты" also marks "отчёт"."""
    terms = []
    for word in re.findall(r"\w+", significant_words(query).lower()):
        if len(word) < 3:
            continue
        terms.append(word[: max(4, len(word) - 2)] if len(word) > 5 else word)
    return terms


def highlight(text: str, terms: list[str], width: int = 240) -> str:
    """A window of `text` around the first match, HTML-escaped, with matches in <mark>."""
    if not terms:
        return escape(text[:width])
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)
    match = pattern.search(text)
    start = max(0, match.start() - width // 3) if match else 0
    window = text[start : start + width]
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    marked = []
    position = 0
    for m in pattern.finditer(window):
        marked.append(escape(window[position : m.start()]))
        marked.append(f"<mark>{escape(m.group(0))}</mark>")
        position = m.end()
    marked.append(escape(window[position:]))
    return mark_safe(prefix + "".join(marked) + suffix)  # noqa: S308 - every piece escaped
