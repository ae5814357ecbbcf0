"""Cabinet navigation: each app registers its entry in its AppConfig.ready().

An entry whose `url` callable returns None (the part is not set up yet) is hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    order: int
    url: Callable[[object], str | None]


_registry: dict[str, NavItem] = {}


def register(*, key: str, label, order: int, url: Callable[[object], str | None]) -> None:
    _registry[key] = NavItem(key, label, order, url)


def items_for(request) -> list[dict]:
    entries = []
    for item in sorted(_registry.values(), key=lambda i: i.order):
        url = item.url(request)
        if url:
            entries.append({"key": item.key, "label": item.label, "url": url})
    return entries
