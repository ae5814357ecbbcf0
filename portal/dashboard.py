"""Blocks of the unit dashboard, contributed by each app in its AppConfig.ready().

A block is a template plus a function `context(request, unit) -> dict | None` that must run a
fixed number of queries whatever the unit's size (the dashboard's query count is pinned by
tests). Returning None hides the block. `depends_on` names the apps (or "app.Model"s) whose
tables the block reads: its rendered HTML is cached under their data versions
(`portal.versions`), so a block that reads a table of an app it does not name goes stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import versions


@dataclass(frozen=True)
class DashboardBlock:
    key: str
    order: int
    template: str
    context: Callable[[object, object], dict | None]
    depends_on: tuple[str, ...]


_registry: dict[str, DashboardBlock] = {}

#: What every block reads besides its own app: users, units, rights, memberships, notices
#: (not the whole portal app: its activity log is written on each person's first visit a day).
SHELL_APPS = (
    "portal.User",
    "portal.User_groups",
    "portal.User_user_permissions",
    "franchise",
    "auth",
)


def register(
    *, key: str, order: int, template: str, context: Callable, depends_on: tuple[str, ...]
) -> None:
    _registry[key] = DashboardBlock(key, order, template, context, SHELL_APPS + depends_on)


def render_blocks(request, unit) -> list[dict]:
    """[{"key", "html"}] of the blocks that have something to show, each cached per viewer.

    A block's HTML is kept per unit, viewer, language, day (due dates) and CSRF secret (blocks
    may hold forms) under the data versions of the apps it reads.
    """
    get_token(request)  # makes sure the request has a CSRF secret to key on
    viewer = (
        unit.pk,
        request.user.pk,
        get_language(),
        timezone.localdate().isoformat(),
        request.META["CSRF_COOKIE"],
    )
    blocks = sorted(_registry.values(), key=lambda b: b.order)
    htmls = versions.cached_many(
        [
            (
                ("dashboard-block", block.key, *viewer),
                block.depends_on,
                partial(_render, block, request, unit),
            )
            for block in blocks
        ]
    )
    return [
        {"key": block.key, "html": html} for block, html in zip(blocks, htmls, strict=True) if html
    ]


def _render(block: DashboardBlock, request, unit) -> str:
    context = block.context(request, unit)
    if context is None:
        return ""
    return render_to_string(block.template, {**context, "unit": unit}, request=request)


# Traffic lights of the portfolio dashboard -------------------------------------------

GREEN, AMBER, RED = "green", "amber", "red"
#: The words next to each coloured dot (colour alone tells nothing to some readers).
LEVEL_LABELS = {GREEN: _("Green"), AMBER: _("Amber"), RED: _("Red")}


@dataclass(frozen=True)
class StatusProvider:
    key: str
    label: str
    order: int
    statuses: Callable[[object], dict]
    depends_on: tuple[str, ...]


_status_registry: dict[str, StatusProvider] = {}


def register_status(
    *, key: str, label, order: int, statuses: Callable, depends_on: tuple[str, ...]
) -> None:
    """`statuses(units_queryset) -> {unit_id: (GREEN|AMBER|RED, reason text)}`.

    Called once per page for all the units shown, with a fixed number of queries; units missing
    from the result count as green with no reason. A unit's lights depend on that unit's rows
    only, of the apps or models `depends_on` names besides "franchise".
    """
    _status_registry[key] = StatusProvider(key, label, order, statuses, depends_on)


def status_labels() -> tuple[str, ...]:
    """What the traffic lights read: the units and their people ("franchise") and every
    provider's `depends_on` (not the user table: a sign-in changes no light)."""
    labels = ["franchise"]
    for provider in status_providers():
        labels += provider.depends_on
    return tuple(dict.fromkeys(labels))


def status_providers() -> list[StatusProvider]:
    return sorted(_status_registry.values(), key=lambda p: p.order)
