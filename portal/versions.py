"""Data versions: cache keys that change whenever the tables behind a cached fragment change.

Every INSERT, UPDATE or DELETE that goes through Django's connections (ORM saves, bulk
operations, `update()`, raw SQL alike) bumps the version of its app and of its model in the
shared cache: at once, and again when the transaction commits, so a reader that cached old
rows between the write and the commit cannot keep them. A fragment cached under the versions of
what it shows is therefore never stale; a write elsewhere leaves it alone.

    html = versions.cached(("block", unit.pk, user.pk), ["learning", "franchise"], render)

Values are also kept across processes (Redis in production), so `compute` must return
something picklable and must not depend on anything that is not in `parts` or `labels`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from functools import cache as memoize

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created

log = logging.getLogger(__name__)

#: How long a fragment may stay in the cache at most (bounds memory, not freshness).
FRAGMENT_TIMEOUT = 60 * 60
_MISSING = object()
# INSERT OR IGNORE INTO is SQLite's bulk_create(ignore_conflicts=True) and M2M add().
_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE
)


def _key(label: str) -> str:
    return f"dataversion:{label.lower()}"


@memoize
def _labels_of_tables() -> dict[str, tuple[str, ...]]:
    """{db table: (its app's key, its model's key)}, also for auto-created M2M tables."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        tables[meta.db_table] = (_key(meta.app_label), _key(meta.label))
    return tables


def bump(keys: Iterable[str]) -> None:
    """Give the versions behind `keys` new values; a cache outage must not fail the write."""
    try:
        cache.set_many(dict.fromkeys(keys, uuid.uuid4().hex), timeout=None)
    except Exception:  # noqa: BLE001 - any cache backend error; the write itself succeeded
        log.warning("could not bump data versions %s", keys, exc_info=True)


def _record_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql)
    keys = match and _labels_of_tables().get(match.group(1))
    if keys:
        bump(keys)
        connection = context["connection"]
        if connection.in_atomic_block and settings.DATA_VERSIONS_BUMP_ON_COMMIT:
            connection.on_commit(lambda: bump(keys))
    return result


def _install(sender, connection, **kwargs) -> None:
    if _record_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_record_writes)


def connect() -> None:
    """Watch every database connection, the open ones and those opened later (AppConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="portal-data-versions")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)
    checks.register(_check_shared_cache, checks.Tags.caches, deploy=True)


def _check_shared_cache(**kwargs) -> list:
    """Versions bumped in one process must be seen by all: a per-process cache cannot do that."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Warning(
                "The default cache is not shared between processes; pages cached under data "
                "versions would go stale in the processes that did not write.",
                hint="Set CACHE_URL to Redis (rediscache://...) for more than one process.",
                id="portal.W001",
            )
        ]
    return []


def _current(keys: Iterable[str]) -> dict[str, str]:
    """{version key: value}, one round trip (two when a version is new)."""
    keys = list(keys)
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        for key, value in missing.items():
            cache.add(key, value, timeout=None)
        found = cache.get_many(keys)
    return found


def _token_of(labels: Iterable[str], current: dict[str, str]) -> str:
    return "|".join(str(current.get(key)) for key in sorted({_key(label) for label in labels}))


def token(labels: Iterable[str]) -> str:
    """One string for the current versions of apps ("learning") or models ("learning.Course")."""
    labels = list(labels)
    return _token_of(labels, _current({_key(label) for label in labels}))


def cached(
    parts: Iterable, labels: Iterable[str], compute: Callable[[], object], *, tokens: str = ""
) -> object:
    """`compute()`'s result (HTML, rows, a frame: anything picklable), kept under `parts` and
    the versions of `labels`; `tokens`: `token(labels)` when the caller already has it (one
    cache round trip less)."""
    key = "fragment:" + digest((*parts, tokens or token(labels)))
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, FRAGMENT_TIMEOUT)
    return value


def cached_many(items: list[tuple[tuple, Iterable[str], Callable[[], object]]]) -> list:
    """`cached` for several (parts, labels, compute) at once, in order: one round trip for all
    their versions and one for all their values (a page of many fragments, e.g. the unit
    dashboard's blocks, would otherwise make two per fragment)."""
    items = [(parts, list(labels), compute) for parts, labels, compute in items]
    current = _current({_key(label) for _parts, labels, _c in items for label in labels})
    keys = [
        "fragment:" + digest((*parts, _token_of(labels, current))) for parts, labels, _c in items
    ]
    found = cache.get_many(keys)
    values, fresh = [], {}
    for key, (_parts, _labels, compute) in zip(keys, items, strict=True):
        if key in found:
            values.append(found[key])
        else:
            fresh[key] = compute()
            values.append(fresh[key])
    if fresh:
        cache.set_many(fresh, FRAGMENT_TIMEOUT)
    return values


def cached_page(
    request, name: str, scope: str, params: Iterable[str], labels: Iterable[str], compute
) -> object:
    """A list page's HTML (`compute()`) kept per scope (e.g. `access.scope_key`), the
    query-string parameters the page reads (`params`: filters, sort, page), the language and
    the day (due dates, "late"), under the versions of `labels`. A request with any other
    parameter is rendered but not kept: it can neither make a new cache entry nor leave its
    parameters in the links of a page others are served."""
    from django.utils import timezone
    from django.utils.translation import get_language

    if set(request.GET) - set(params):
        return compute()
    parts = (
        name,
        scope,
        sorted(request.GET.lists()),
        get_language(),
        timezone.localdate().isoformat(),
    )
    return cached(parts, labels, compute)


def digest(values: Iterable) -> str:
    """A short fixed-size stand-in for a long key part (e.g. the ids of a portfolio's units)."""
    return hashlib.blake2b(repr(tuple(values)).encode(), digest_size=16).hexdigest()
