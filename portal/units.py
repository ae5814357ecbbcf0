"""Where a person works: the shell asks the app that owns units, registered in its
AppConfig.ready() (`franchise`), so the portal itself imports no domain app.

Without a registered directory nobody has a unit: the shell still serves the public pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitDirectory:
    #: request -> the unit the signed-in user works in now, or None.
    current_unit: Callable[[object], object | None]
    #: user -> the id of the first unit the user belongs to, or None (one query).
    first_unit_id: Callable[[object], int | None]
    #: user -> the user's memberships, for the unit switcher.
    memberships: Callable[[object], list]
    #: user -> whether the user reviews units (the "Portfolio" entry).
    sees_portfolio: Callable[[object], bool]
    #: request -> where a signed-in user lands after login, or None (no unit, no portfolio).
    landing: Callable[[object], object | None]


_NOBODY = UnitDirectory(
    current_unit=lambda request: None,
    first_unit_id=lambda user: None,
    memberships=lambda user: [],
    sees_portfolio=lambda user: False,
    landing=lambda request: None,
)
_directory = [_NOBODY]


def register(directory: UnitDirectory) -> None:
    _directory[0] = directory


def directory() -> UnitDirectory:
    return _directory[0]
