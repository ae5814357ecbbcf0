"""Data versions: cache keys that change whenever the tables behind a cached fragment change.

Every INSERT, UPDATE or DELETE that goes through Django's connections (ORM saves, bulk
operations, `update()`, raw SQL alike) bumps the version of its app and of its model in the
shared cache: at once, and again when the transaction commits, so a reader that cached old
rows between the write and the commit cannot keep them. A fragment cached under the versions of
what it shows is therefore never stale; a write elsewhere leaves it alone.

    html = versions.cached(("block", unit.pk, user.pk), ["learning", "franchise"], render)

Values are also kept across processes (Redis in production), so `compute` must return
something picklable and must not depend on anything that is not in `parts` or `labels`.

Writes of one unit: a service that writes rows of one unit (a report saved, a certificate of
that unit's people) declares it with `units_written(ids)`. Writes to the models registered
with `register_unit_models` then also note those units in a change log (`unit_changes`), and
only undeclared writes bump their model's `unscoped(label)` version: a cache of per-unit rows
kept under the `unscoped` versions recomputes the noted units alone (reporting.network).
Append-only logs registered with `register_log_models` (audit rows) bump their model only.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache as memoize

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created

log = logging.getLogger(__name__)

#: How long a fragment may stay in the cache at most (bounds memory, not freshness).
FRAGMENT_TIMEOUT = 60 * 60
_MISSING = object()
# INSERT OR IGNORE INTO is SQLite's bulk_create(ignore_conflicts=True) and M2M add().
_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE
)


#: The labels of the models whose writes may be declared per unit (lower case).
_UNIT_MODELS: set[str] = set()
_UNITS: ContextVar[frozenset] = ContextVar("units_written", default=frozenset())
_SEQ = "unitchanges:seq"
#: More noted writes than this since a cached value: recompute it whole.
UNIT_CHANGES_LIMIT = 1000


def _key(label: str) -> str:
    return f"dataversion:{label.lower()}"


def unscoped(label: str) -> str:
    """The label whose version only the writes to `label` not declared per unit bump."""
    return f"{label}#unscoped"


def register_unit_models(*labels: str) -> None:
    """Let writes to these models ("reporting.Submission") be declared per unit."""
    _UNIT_MODELS.update(label.lower() for label in labels)


def is_unit_model(label: str) -> bool:
    return label.lower() in _UNIT_MODELS


_AFTER_UNIT_WRITES: list[Callable[[frozenset], None]] = []


def after_unit_writes(callback: Callable[[frozenset], None]) -> None:
    """Call `callback(unit_ids)` once the writes of an outermost `units_written` block have
    committed (e.g. to bring a kept value up to date before its next reader asks)."""
    _AFTER_UNIT_WRITES.append(callback)


@contextmanager
def units_written(unit_ids: Iterable[int]):
    """Declare that the writes inside touch the registered models' rows of these units only."""
    outer = _UNITS.get()
    units = outer | frozenset(int(pk) for pk in unit_ids)
    reset = _UNITS.set(units)
    try:
        yield
    finally:
        _UNITS.reset(reset)
    if not outer and _AFTER_UNIT_WRITES:
        transaction.on_commit(lambda: [callback(units) for callback in _AFTER_UNIT_WRITES])


_LOG_MODELS: set[str] = set()


def register_log_models(*labels: str) -> None:
    """Append-only logs read by no fragment cached under their app's label (audit rows):
    their writes bump their own model's version only, not their app's."""
    _LOG_MODELS.update(label.lower() for label in labels)
    _labels_of_tables.cache_clear()


@memoize
def _labels_of_tables() -> dict[str, tuple[tuple[str, ...], str]]:
    """{db table: ((its app's key, its model's key), its model's label)}, also for
    auto-created M2M tables."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        label = meta.label.lower()
        keys = (_key(meta.label),) if label in _LOG_MODELS else (_key(meta.app_label), _key(label))
        tables[meta.db_table] = (keys, label)
    return tables


def _note_units(units: frozenset) -> None:
    """Append `units` to the change log: the next number of the sequence, then its entry."""
    try:
        try:
            seq = cache.incr(_SEQ)
        except ValueError:
            # A fresh sequence starts far from any old one (the key may have been evicted).
            cache.add(_SEQ, uuid.uuid4().int % 2**40 * 2**20, timeout=None)
            seq = cache.incr(_SEQ)
        cache.set(f"unitchanges:{seq}", sorted(units), FRAGMENT_TIMEOUT)
    except Exception:  # noqa: BLE001 - any cache backend error; the write itself succeeded
        log.warning("could not note the units written %s", sorted(units), exc_info=True)


def unit_changes_seq() -> int | None:
    """The number of the last noted write (None before any)."""
    return cache.get(_SEQ)


def unit_changes(since: int | None, upto: int | None) -> set[int] | None:
    """The units noted after `since` up to `upto`; None when that cannot be told (an entry
    is missing, the sequence restarted, too many writes): the caller recomputes everything."""
    if since == upto:
        return set()
    if since is None or upto is None or not 0 < upto - since <= UNIT_CHANGES_LIMIT:
        return None
    keys = [f"unitchanges:{seq}" for seq in range(since + 1, upto + 1)]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        return None
    return {pk for units in found.values() for pk in units}


def bump(keys: Iterable[str]) -> None:
    """Give the versions behind `keys` new values; a cache outage must not fail the write."""
    try:
        cache.set_many(dict.fromkeys(keys, uuid.uuid4().hex), timeout=None)
    except Exception:  # noqa: BLE001 - any cache backend error; the write itself succeeded
        log.warning("could not bump data versions %s", keys, exc_info=True)


def _record_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = _WRITE.match(sql)
    found = match and _labels_of_tables().get(match.group(1))
    if found:
        keys, label = found
        units = _UNITS.get() if label in _UNIT_MODELS else frozenset()
        if label in _UNIT_MODELS and not units:
            keys = (*keys, _key(unscoped(label)))

        def record():
            bump(keys)
            if units:
                _note_units(units)

        record()
        connection = context["connection"]
        if connection.in_atomic_block and settings.DATA_VERSIONS_BUMP_ON_COMMIT:
            connection.on_commit(record)
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


_PERSONAL_MODELS: set[str] = set()


def register_personal_models(*labels: str) -> None:
    """A person's own rows (notifications) that no figure over many units reads: `per_unit`
    leaves them out of the apps it expands."""
    _PERSONAL_MODELS.update(label.lower() for label in labels)


def per_unit(labels: Iterable[str]) -> tuple[str, ...]:
    """`labels` as a value patched unit by unit is kept under: an app as its models (its logs
    and personal rows apart), a model written per unit as its `unscoped` label; declared
    writes then leave the value's key alone and show up in `unit_changes` instead."""
    found = []
    for label in labels:
        if "." in label:
            models = [label]
        else:
            config = apps.get_app_config(label)
            models = [
                model._meta.label
                for model in config.get_models(include_auto_created=True)
                if model._meta.label.lower() not in _LOG_MODELS | _PERSONAL_MODELS
            ]
        found += [unscoped(m) if is_unit_model(m) else m for m in models]
    return tuple(dict.fromkeys(found))


def cached_for_units(
    parts: Iterable, labels: Iterable[str], compute: Callable[[], object], patch: Callable
) -> tuple[str, Callable[[], object]]:
    """(revision, value getter) of `compute()`'s value over many units, kept under
    `per_unit(labels)`.

    After writes declared per unit (`units_written`) the kept value is brought up to date by
    `patch(value, unit_ids)` (the same object when those units do not concern it; None: compute
    it whole); after any other write to `labels` it is computed again. The revision changes
    only when the value does, so what is derived from the value (a page's HTML) is cached
    under the revision, and an unchanged value is not even read.
    """
    seq = unit_changes_seq()  # read before the data: a write noted meanwhile is patched later
    head_key = "units:" + digest((*parts, token(per_unit(labels))))

    def keep(value, revision=None) -> tuple[str, Callable[[], object]]:
        revision = revision or uuid.uuid4().hex
        cache.set_many(
            {head_key: (seq, revision), f"units:value:{revision}": value}, FRAGMENT_TIMEOUT
        )
        return revision, lambda: value

    head = cache.get(head_key)
    if head is not None:
        since, revision = head
        changed = unit_changes(since, seq)

        def kept():
            value = cache.get(f"units:value:{revision}", _MISSING)
            if value is _MISSING:  # evicted: the current figures, under the same revision
                value = compute()
                cache.set(f"units:value:{revision}", value, FRAGMENT_TIMEOUT)
            return value

        if changed == set():
            return revision, kept
        if changed is not None:
            value = kept()
            patched = patch(value, changed)
            if patched is value:
                cache.set(head_key, (seq, revision), FRAGMENT_TIMEOUT)
                return revision, lambda: value
            if patched is not None:
                return keep(patched)
    return keep(compute())


def cached_page(
    request,
    name: str,
    scope: str,
    params: Iterable[str],
    labels: Iterable[str],
    compute,
    *,
    within: str = "",
) -> object:
    """A list page's HTML (`compute()`) kept per scope (e.g. `access.scope_key`), the
    query-string parameters the page reads (`params`: filters, sort, page), the language and
    the day (due dates, "late"), under the versions of `labels`. A request with any other
    parameter is rendered but not kept: it can neither make a new cache entry nor leave its
    parameters in the links of a page others are served. `within`: the revision of a
    `cached_for_units` value the page shows (its labels then come from `per_unit`)."""
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
        within,
    )
    return cached(parts, labels, compute)


def digest(values: Iterable) -> str:
    """A short fixed-size stand-in for a long key part (e.g. the ids of a portfolio's units)."""
    return hashlib.blake2b(repr(tuple(values)).encode(), digest_size=16).hexdigest()


#: How many views of a day `asked_today` keeps: the most recent ones.
ASKED_LIMIT = 40


def note_asked(name: str, entry: tuple, *, today) -> None:
    """Remember that `entry` (who, what, in which language) was shown the kept value `name`
    today, so that a write's task can bring it up to date before its next reader
    (`asked_today`). One cache read when it already was."""
    key = f"asked:{name}:{today.isoformat()}"
    asked = cache.get(key) or {}
    if entry not in asked:
        asked[entry] = True
        cache.set(key, dict(list(asked.items())[-ASKED_LIMIT:]), 60 * 60 * 24)


def asked_today(name: str, *, today) -> list[tuple]:
    """The entries `note_asked` kept for `name` today, oldest first."""
    return list(cache.get(f"asked:{name}:{today.isoformat()}") or {})


def queue_once(task, *, key: str) -> None:
    """`task.delay()` unless one is queued already and has not started: a burst of writes
    costs one refresh, not one per write (the task calls `refresh_started(key)` first, so a
    write during its run queues the next one). The mark expires should a worker die."""
    if cache.add(f"queued:{key}", True, timeout=300):
        task.delay()


def refresh_started(key: str) -> None:
    cache.delete(f"queued:{key}")
