"""One helper writes the audit trail, so every event has the same shape."""

from __future__ import annotations

from .models import AuditEvent

Action = AuditEvent.Action


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def audit_record(
    action: str,
    /,
    *,
    actor=None,
    unit=None,
    target: str = "",
    request=None,
    **details,
) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        unit=unit,
        target=target[:255],
        ip_address=client_ip(request),
        details={k: str(v) for k, v in details.items()},
    )
