"""Issuing and revoking integration keys (the raw key is returned once and never stored)."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from franchise import access
from franchise.audit import audit_record
from franchise.models import Franchisee, Region, Role

from .models import RESOURCES, IntegrationKey

#: Franchisor integrations (1C, BI) act as a network lead: every unit, read-only rights in the
#: portal's own terms; their scopes say what the API lets them write.
NETWORK_GROUP = access.NETWORK_LEADS
#: The right the order desk's transitions ask for on the order's unit (orders.views.TRANSITIONS).
ORDER_DESK_RIGHT = "review"


def _check_scopes(scopes: list[str]) -> list[str]:
    valid = {f"{r}:{m}" for r in RESOURCES for m in ("read", "write")}
    unknown = set(scopes) - valid
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    return sorted(set(scopes))


def _service_user(label: str):
    user = get_user_model().objects.create(
        username=f"api-{label}-{secrets.token_hex(4)}"[:150], full_name=f"API: {label}"
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def key_issue_for_unit(
    *, unit: Franchisee, name: str, scopes: list[str], by=None, expires: datetime | None = None
) -> tuple[IntegrationKey, str]:
    """A key that sees exactly `unit` (its service user is a member there)."""
    user = _service_user(unit.code)
    access.grant_role(user, unit, Role.MEMBER, by=by)
    return _issue(user=user, name=name, scopes=scopes, by=by, expires=expires)


@transaction.atomic
def key_issue_for_network(
    *,
    name: str,
    scopes: list[str],
    region: Region | None = None,
    by=None,
    expires: datetime | None = None,
    keeps_books: bool = False,
    order_desk: bool = False,
) -> tuple[IntegrationKey, str]:
    """A franchisor integration's key: the whole network, or one region of it.

    `keeps_books`: the integration also holds the finance staff's rights (1C or a bank
    client recording payments through /api/v1/payments/, with the finance:write scope).
    `order_desk`: it also holds the order desk's right (review on every unit), so with the
    orders:write scope it confirms, rejects and ships orders as the desk does.
    """
    user = _service_user(region.code if region else "network")
    groups = access.ensure_groups()
    user.groups.add(groups[NETWORK_GROUP])
    if keeps_books:
        user.groups.add(groups[access.FINANCE])
    if order_desk:
        access.grant_network_right(user, ORDER_DESK_RIGHT, by=by)
    return _issue(user=user, name=name, scopes=scopes, by=by, expires=expires, region=region)


@transaction.atomic
def key_issue_for_user(
    *, user, name: str, scopes: list[str], by=None, expires: datetime | None = None
) -> tuple[IntegrationKey, str]:
    """A person's own key (a manager's sees his portfolio): the same rights as the person."""
    return _issue(user=user, name=name, scopes=scopes, by=by, expires=expires)


def _issue(*, user, name, scopes, by, expires, region=None) -> tuple[IntegrationKey, str]:
    key, raw = IntegrationKey.objects.create_key(
        name=name[:50],
        user=user,
        scopes=_check_scopes(scopes),
        created_by=by,
        expiry_date=expires,
        region=region,
    )
    audit_record("api_key_issue", actor=by, target=f"api-key:{key.prefix}", name=name)
    return key, raw


@transaction.atomic
def key_revoke(*, key: IntegrationKey, by=None) -> IntegrationKey:
    if not key.revoked:
        key.revoked = True
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked", "revoked_at"])
        audit_record("api_key_revoke", actor=by, target=f"api-key:{key.prefix}", name=key.name)
    return key
