"""Every URL of the project against the authorization matrix in url_matrix.py.

Fails when a route that takes an object id / slug / code / token has no entry (new views
cannot slip past), when an entry names a route that no longer exists, and when any role gets
another status than its entry says. Skipped on purpose: Wagtail's admin (/admin/, its own
permission policies), the Wagtail page catch-all (page privacy and audience are tested with
the page apps) and static/media serving.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .url_matrix import EXEMPT, LOGIN, PUBLIC_ROUTES, ROLES, ROUTES, UPLOAD_ROUTES, Case

SKIPPED_PREFIXES = ("admin/", "static/", "media/", "^static/", "^media/")
SKIPPED_NAMES = {"wagtail_serve"}


def project_routes():
    """(route, name, has_arguments) for every URL pattern outside the skipped areas."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                route = prefix + str(pattern.pattern)
                has_args = bool(pattern.pattern.regex.groups) or "<" in route
                yield route, name, has_args

    for route, name, has_args in walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or name in SKIPPED_NAMES:
            continue
        yield route, name, has_args


def test_every_object_route_is_in_the_matrix():
    missing = [
        f"  {name or '(unnamed)'}  ->  /{route}"
        for route, name, has_args in project_routes()
        if has_args and (name is None or (name not in ROUTES and name not in EXEMPT))
    ]
    assert not missing, (
        "These routes take an object id/slug/code/token but are not in the authorization "
        "matrix. Add an entry for each to ROUTES in tests/services/url_matrix.py (who gets "
        "200/302/404/login), or to EXEMPT with the reason:\n" + "\n".join(missing)
    )


def test_matrix_entries_name_existing_routes():
    names = {name for _route, name, _args in project_routes()}
    stale = sorted((set(ROUTES) | set(EXEMPT) | set(PUBLIC_ROUTES)) - names)
    assert not stale, f"url_matrix.py lists routes that do not exist: {stale}"


def _cases(name) -> list[Case]:
    entry = ROUTES[name]
    return entry if isinstance(entry, list) else [entry]


def _status(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL)):
        return LOGIN
    return response.status_code


def _run(case: Case, name: str, net, role: str, leaks: list | None = None) -> int | str:
    """One request by `role`, inside a savepoint that is rolled back afterwards; texts of
    `case.absent` found in the response are added to `leaks`."""
    with transaction.atomic():
        extra = case.setup(net) if case.setup else {}
        for key, value in (extra or {}).items():
            setattr(net, key, value)
        url = reverse(name, args=case.args(net))
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(net, role))
        data = case.data(net) if case.data else {}
        if case.method == "POST":
            response = client.post(url, data)
        else:
            response = client.get(url, data)
        status = _status(response)
        if case.absent and leaks is not None:
            body = response.content.decode() if not response.streaming else ""
            leaks.extend(text for text in case.absent(net, role) if text in body)
        transaction.set_rollback(True)
    return status


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_matrix(name, network):
    failures = []
    for number, case in enumerate(_cases(name), start=1):
        assert set(case.expect) == set(ROLES), f"{name} case {number}: give every role"
        for role in ROLES:
            leaks = []
            got = _run(case, name, network, role, leaks)
            if got != case.expect[role]:
                failures.append(
                    f"  case {number} ({case.method}) {role}: expected "
                    f"{case.expect[role]}, got {got}"
                )
            if leaks:
                failures.append(f"  case {number} ({case.method}) {role}: shows {leaks}")
    assert not failures, f"{name}:\n" + "\n".join(failures)


def test_anonymous_visitors_see_only_public_pages(db):
    """Every route without object arguments sends anonymous visitors to log in, unless public."""
    leaks = []
    client = Client()
    for route, name, has_args in project_routes():
        if has_args or name in PUBLIC_ROUTES or name in ROUTES:
            continue
        url = reverse(name) if name else "/" + route
        status = _status(client.get(url))
        if status not in (LOGIN, 405):
            leaks.append(f"  {name or '(unnamed)'} /{route}: {status}")
    assert not leaks, (
        "Anonymous visitors reached these pages (expected a redirect to log in); if one is "
        "public by design, add it to PUBLIC_ROUTES in tests/services/url_matrix.py:\n"
        + "\n".join(leaks)
    )


@pytest.mark.parametrize("name", sorted(UPLOAD_ROUTES))
def test_upload_views_are_rate_limited(name, network, settings):
    """A view that takes files counts POSTs per address (portal.security.upload_rate_limit)."""
    role, case = UPLOAD_ROUTES[name]
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": "0/h"}
    cache.clear()
    try:
        assert _run(case, name, network, role) == 429
    finally:
        cache.clear()
