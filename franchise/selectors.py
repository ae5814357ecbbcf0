"""Reads about units, always through `access` so a user only ever sees their own scope."""

from __future__ import annotations

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from portal.search import words_q

from . import access
from .models import Franchisee, Membership, Role


def unit_list(user, *, q: str = "", region=None, status: str = "") -> QuerySet[Franchisee]:
    """Units in the user's scope with their head-count, for the portfolio table."""
    units = access.units_visible_to(user).select_related("region", "account_manager")
    if q:
        units = units.filter(words_q(q, "code", "trading_name", "legal_name", "city"))
    if region:
        units = units.filter(region=region)
    if status:
        units = units.filter(status=status)
    # A correlated count, not a join and GROUP BY: the database counts people for the page's
    # rows only, and the paginator's COUNT(*) does not join memberships at all.
    people = (
        Membership.objects.filter(unit=OuterRef("pk"), role__in=[Role.OWNER, Role.MEMBER])
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return units.annotate(people=Coalesce(Subquery(people), 0)).order_by(
        "region__name", "trading_name"
    )


def unit_people(unit: Franchisee) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(unit=unit, role__in=[Role.OWNER, Role.MEMBER])
        .select_related("user")
        .order_by("role", "user__full_name")
    )
