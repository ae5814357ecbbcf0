"""What the orders app adds to the shell: the navigation entry and the dashboard block."""

from __future__ import annotations

from django.urls import reverse

from franchise import access

from . import selectors


def landing(request) -> str | None:
    """Where "Orders" leads this person: the unit's catalogue, the order desk, or the unit's
    orders for someone who may only look; None if ordering is nothing to them."""
    user = request.user
    if not user.is_authenticated:
        return None
    unit = getattr(request, "current_unit", None) or None  # a lazy object around None
    if unit is not None and access.can(user, "work", unit):
        return reverse("orders:catalogue", args=[unit.code])
    if access.units_visible_to(user, "review").exists():
        return reverse("orders:desk")
    if access.has_network_right(user):
        return reverse("orders:figures")
    if unit is not None and access.can(user, "view", unit):
        return reverse("orders:unit_orders", args=[unit.code])
    return None


def dashboard_context(request, unit) -> dict | None:
    orders = selectors.open_orders(unit)
    can_work = access.can(request.user, "work", unit)
    if not orders and not can_work:
        return None
    return {"unit": unit, "orders": orders, "can_work": can_work}
