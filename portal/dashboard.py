"""Blocks of the unit dashboard, contributed by each app in its AppConfig.ready().

A block is a template plus a function `context(request, unit) -> dict | None` that must run a
fixed number of queries whatever the unit's size (the dashboard's query count is pinned by
tests). Returning None hides the block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DashboardBlock:
    key: str
    order: int
    template: str
    context: Callable[[object, object], dict | None]


_registry: dict[str, DashboardBlock] = {}


def register(*, key: str, order: int, template: str, context: Callable) -> None:
    _registry[key] = DashboardBlock(key, order, template, context)


def blocks_for(request, unit) -> list[dict]:
    """[{"key", "template", "context"}] of the blocks that have something to show."""
    rendered = []
    for block in sorted(_registry.values(), key=lambda b: b.order):
        context = block.context(request, unit)
        if context is not None:
            rendered.append({"key": block.key, "template": block.template, "context": context})
    return rendered


# Traffic lights of the portfolio dashboard -------------------------------------------

GREEN, AMBER, RED = "green", "amber", "red"


@dataclass(frozen=True)
class StatusProvider:
    key: str
    label: str
    order: int
    statuses: Callable[[object], dict]


_status_registry: dict[str, StatusProvider] = {}


def register_status(*, key: str, label, order: int, statuses: Callable) -> None:
    """`statuses(units_queryset) -> {unit_id: (GREEN|AMBER|RED, reason text)}`.

    Called once per page for all the units shown, with a fixed number of queries; units missing
    from the result count as green with no reason.
    """
    _status_registry[key] = StatusProvider(key, label, order, statuses)


def status_providers() -> list[StatusProvider]:
    return sorted(_status_registry.values(), key=lambda p: p.order)
