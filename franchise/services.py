"""Writes on units and their people. Keyword-only, atomic; rights go through `access`."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import access
from .audit import Action, audit_record
from .models import Franchisee, Invitation, Role, hash_token

INVITATION_VALIDITY = timedelta(days=7)


def invitation_create(
    *,
    unit: Franchisee,
    email: str,
    role: str = Role.MEMBER,
    full_name: str = "",
    by,
    request=None,
) -> Invitation:
    """Invite `email` to `unit`. Owners may invite staff; franchisor staff may invite owners.

    The one-time link is mailed after the transaction commits; only its hash is stored.
    """
    from .tasks import send_invitation

    if role == Role.OWNER and not access.can(by, "review", unit):
        raise PermissionDenied
    if role == Role.MEMBER and not (
        access.can(by, "manage_members", unit) or access.can(by, "review", unit)
    ):
        raise PermissionDenied
    email = get_user_model().objects.normalize_email(email).lower()
    if access.Membership.objects.filter(unit=unit, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the unit.")})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            unit=unit,
            email=email,
            full_name=full_name,
            role=role,
            token_hash=hash_token(token),
            invited_by=by,
            expires_at=timezone.now() + INVITATION_VALIDITY,
        )
        audit_record(Action.INVITE, actor=by, unit=unit, target=email, request=request, role=role)
        send_invitation.delay_on_commit(invitation.pk, token)
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The usable invitation behind a token, or None (unknown, used or expired)."""
    invitation = (
        Invitation.objects.select_related("unit").filter(token_hash=hash_token(token)).first()
    )
    return invitation if invitation and invitation.is_usable else None


def invitation_accept(*, token: str, full_name: str = "", password: str | None = None):
    """Use an invitation once: create (or reuse) the account, grant the role.

    Returns the user, or None when the link is unknown, used or expired. The row is locked,
    so two simultaneous uses of one link cannot both succeed.
    """
    User = get_user_model()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("unit")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if invitation is None or not invitation.is_usable:
            return None
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User(
                username=invitation.email,
                email=invitation.email,
                full_name=full_name or invitation.full_name,
            )
            user.set_password(password)
            user.save()
        access.grant_role(user, invitation.unit, invitation.role, by=invitation.invited_by)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            Action.INVITE_ACCEPT, actor=user, unit=invitation.unit, target=invitation.email
        )
    return user


def member_remove(*, unit: Franchisee, user, by, request=None) -> None:
    """Owners remove their unit's staff; franchisor staff may also remove owners."""
    role = access.role_on(user, unit)
    if role is None or role == Role.MANAGER:
        raise PermissionDenied
    if role == Role.OWNER and not access.can(by, "review", unit):
        raise PermissionDenied
    if role == Role.MEMBER and not (
        access.can(by, "manage_members", unit) or access.can(by, "review", unit)
    ):
        raise PermissionDenied
    access.revoke_role(user, unit, by=by, request=request)
