"""What the portal shell asks about units (`portal.units`), answered by `franchise.access`."""

from __future__ import annotations

from django.shortcuts import redirect

from portal.units import UnitDirectory

from . import access


def current_unit(request):
    """The unit the user is working in: the one chosen in the switcher, else their first one.

    Only units the user may see qualify, so a stale session value is simply ignored.
    """
    user = request.user
    if not user.is_authenticated:
        return None
    units = access.units_visible_to(user).select_related("region", "account_manager")
    chosen = request.session.get("current_unit")
    if chosen:
        unit = units.filter(pk=chosen).first()
        if unit:
            return unit
    membership = access.memberships_of(user).first()
    return membership.unit if membership else None


def first_unit_id(user) -> int | None:
    return access.memberships_of(user).values_list("unit_id", flat=True).first()


def sees_portfolio(user) -> bool:
    return access.units_visible_to(user, "review").exists() or access.has_network_right(user)


def landing(request):
    """The current unit's page, a manager's portfolio, or the admin; None for nobody's staff."""
    user = request.user
    if request.current_unit is not None and access.memberships_of(user).exists():
        return redirect("franchise:unit_detail", code=request.current_unit.code)
    if access.has_network_right(user) or access.units_visible_to(user, "review").exists():
        return redirect("franchise:portfolio")
    if access.is_franchisor_staff(user):
        return redirect("wagtailadmin_home")
    return None


DIRECTORY = UnitDirectory(
    current_unit=current_unit,
    first_unit_id=first_unit_id,
    memberships=lambda user: list(access.memberships_of(user)),
    sees_portfolio=sees_portfolio,
    landing=landing,
)
