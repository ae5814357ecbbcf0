"""The authorization matrix: every URL that takes an object id, slug, code or token, with the
status each kind of person must get.

tests/services/test_url_coverage.py enumerates the project's URL patterns and fails for any
such route that has no entry here, then runs every entry. To cover a new route, add one entry:

    "app:route_name": Case(
        args=lambda net: [net.unit.code],            # reverse() args, from the `network` fixture
        expect=unit_scoped(),                        # status per role (see the helpers below)
        # method="POST", data=lambda net: {...},     # a POST case
        # setup=lambda net: {"doc": make_doc(net)},  # extra objects, set as attributes on net
    ),

A route may list several cases (e.g. GET and POST). Each role's request runs in its own
savepoint that is rolled back, so a POST by one role never changes what the next one sees.

Roles: owner and member of `net.unit`; other_member (owner of `net.other_unit`); manager of
`net.unit`'s portfolio; other_manager (manager of other_unit only); lead (network lead,
read-only everywhere); editor (franchisor content staff, no unit rights); stranger (signed in,
no unit); anonymous. Expected values are HTTP statuses, or LOGIN for a redirect to the login
page. Another unit's object answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGIN = "login"
ROLES = (
    "owner",
    "member",
    "other_member",
    "manager",
    "other_manager",
    "lead",
    "editor",
    "stranger",
    "anonymous",
)


@dataclass
class Case:
    args: Callable[[Any], list] = field(default=lambda net: [])
    expect: dict[str, int | str] = field(default_factory=dict)
    method: str = "GET"
    data: Callable[[Any], dict] | None = None
    setup: Callable[[Any], dict] | None = None
    note: str = ""


def statuses(default: int | str = 404, *, anonymous: int | str = LOGIN, **by_role) -> dict:
    """Every role gets `default` unless named; anonymous visitors are sent to log in."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    result = {role: by_role.get(role, default) for role in ROLES if role != "anonymous"}
    result["anonymous"] = anonymous
    return result


def unit_scoped(ok: int = 200, **overrides) -> dict:
    """Readable by the unit's people, its manager and the network lead; 404 for everyone else."""
    return statuses(
        **{"owner": ok, "member": ok, "manager": ok, "lead": ok, **overrides},
    )


def unit_write(ok: int = 302, **overrides) -> dict:
    """A change to the unit: owner and manager; read-only leads and plain members get 404."""
    return statuses(**{"owner": ok, "manager": ok, **overrides})


def everyone(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


#: Routes whose object rules are enforced elsewhere (say where), never run here.
EXEMPT: dict[str, str] = {
    "wagtailcore_authenticate_with_password": (
        "Wagtail's form for password-protected pages; Wagtail checks the restriction itself"
    ),
}

ROUTES: dict[str, Case | list[Case]] = {
    # portal / django.contrib.auth ------------------------------------------------------
    "password_reset_confirm": Case(
        args=lambda net: ["MQ", "invalid-token"],
        expect=everyone(200),
        note="public by design: the token is the credential; a bad one shows 'invalid link'",
    ),
    # franchise ---------------------------------------------------------------------------
    "invitation_accept": Case(
        args=lambda net: ["not-a-valid-token"],
        expect=everyone(410),
        note="public by design: the one-time token is the credential",
    ),
    "franchise:unit_detail": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    "franchise:unit_members": [
        Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
        Case(
            args=lambda net: [net.unit.code],
            method="POST",
            data=lambda net: {"email": "new.person@example.com", "role": "member"},
            expect=unit_write(),
        ),
    ],
    "franchise:unit_documents": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    "franchise:unit_tasks": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    # reporting ---------------------------------------------------------------------------
    "reporting:unit_reports": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    # franchise (members) -------------------------------------------------------------------
    "franchise:member_remove": [
        Case(
            args=lambda net: [net.unit.code, net.member.pk],
            method="POST",
            expect=unit_write(),
        ),
        Case(
            args=lambda net: [net.unit.code, net.member.pk],
            expect=statuses(405),  # POST only; anonymous still go to log in first
        ),
        Case(
            # Someone who is not in this unit cannot be "removed" through it.
            args=lambda net: [net.unit.code, net.other_member.pk],
            method="POST",
            expect=statuses(404),
        ),
    ],
}

#: Routes without object arguments (checked separately: anonymous visitors must be sent to
#: log in unless the route is listed here as public).
PUBLIC_ROUTES: dict[str, str] = {
    "healthz": "load-balancer liveness probe",
    "login": "the login form",
    "logout": "signing out",
    "password_reset": "asking for a reset link",
    "password_reset_done": "reset link sent",
    "password_reset_complete": "password changed",
    "set_language": "language switch on public pages",
    "wagtailcore_login": "Wagtail's login for private pages",
}

#: Object-less routes that a plain list/dashboard check (anonymous -> login) is not enough for
#: can still get full cases here; this one is a POST with the unit in the body.
ROUTES["franchise:switch_unit"] = Case(
    method="POST",
    data=lambda net: {"unit": net.unit.code},
    expect=unit_scoped(302),
)
