"""Whose network views a person may see: a lead's network, a manager's portfolio."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from franchise import access
from franchise.models import Franchisee

# Scope -------------------------------------------------------------------------------


def units_in_scope(user) -> QuerySet[Franchisee] | None:
    """A network lead's network, a manager's portfolio; None for everyone else (they get 404).

    Closed units are left out: nobody calls a closed unit.
    """
    if access.has_network_right(user):
        units = Franchisee.objects.all()
    else:
        units = access.units_visible_to(user, "review")
        if not units.exists():
            return None
    return units.exclude(status=Franchisee.Status.CLOSED)


def is_network_viewer(user) -> bool:
    return access.has_network_right(user) or access.units_visible_to(user, "review").exists()
