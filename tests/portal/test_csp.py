"""Content-Security-Policy without 'unsafe-inline' on every portal page (issue 17, item 4).

Each demo person walks the portal from the dashboard and from every route without object
arguments, following the links on the pages (tests/portal/crawl.py). Every page must carry a
policy whose script-src and style-src allow no inline code, and its HTML must hold nothing
that such a policy would block: no inline script or <style> without the request's nonce, no
on*= handler, no style="" attribute, no javascript: URL, no script or stylesheet from
another site. The Wagtail admin keeps its own, wider policy (portal/csp.py).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.services.test_url_coverage import project_routes

from .crawl import client_of, local_path, parse, seed_demo_people, walk

HEADER = "Content-Security-Policy"


def policy_of(response) -> dict[str, list[str]]:
    header = response.get(HEADER, "")
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def sources(policy: dict, directive: str) -> list[str]:
    """What the browser applies for `directive` (default-src when it is absent)."""
    return policy.get(directive, policy.get("default-src", []))


def nonce_of(policy: dict) -> str | None:
    for source in sources(policy, "script-src"):
        if source.startswith("'nonce-"):
            return source[len("'nonce-") : -1]
    return None


def header_problems(response) -> list[str]:
    if HEADER not in response:
        return ["no Content-Security-Policy header"]
    policy = policy_of(response)
    problems = []
    checked = {d: sources(policy, d) for d in ("script-src", "style-src")}
    checked |= {d: policy[d] for d in ("script-src-elem", "style-src-elem") if d in policy}
    for directive, allowed in checked.items():
        for bad in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:"):
            if bad in allowed:
                problems.append(f"{directive} allows {bad}")
    for directive in ("script-src-attr", "style-src-attr"):
        if "'unsafe-inline'" in policy.get(directive, []):
            problems.append(f"{directive} allows 'unsafe-inline'")
    return problems


def html_problems(page, nonce: str | None, path: str) -> list[str]:
    problems = []
    for script in page.scripts:
        if script.get("type") in ("application/json", "application/ld+json"):
            continue  # data, never run (json_script)
        if script["inline"] and (nonce is None or script.get("nonce") != nonce):
            problems.append("inline <script> without the request's nonce")
        if script.get("src") and local_path(script["src"], path) is None:
            problems.append(f"script from another site: {script['src']}")
    for style in page.styles:
        if nonce is None or style.get("nonce") != nonce:
            problems.append("<style> without the request's nonce")
    problems += [f"handler attribute {a}" for a in page.handler_attrs]
    problems += [f"style attribute {a}" for a in page.style_attrs]
    problems += [f"javascript: URL {a}" for a in page.js_urls]
    problems += [
        f"stylesheet from another site: {href}"
        for href in page.stylesheets
        if not local_path(href, path)
    ]
    return problems


def objectless_paths() -> list[str]:
    """Every GET route outside the admin that takes no argument (lists, dashboards, forms)."""
    paths = []
    for _route, name, has_args in project_routes():
        if not has_args and name and name not in ("logout", "set_language", "healthz"):
            paths.append(reverse(name))
    return paths


def test_the_audit_sees_inline_code():
    """The checks below catch what they are meant to (else a green walk proves nothing)."""
    page = parse(
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
        '<script nonce="n1">ok()</script><style>p{}</style><a href="javascript:x()">b</a>'
        '<script type="application/json">{"a": 1}</script><script src="https://cdn.example/x.js"></script>'
    )
    problems = html_problems(page, "n1", "/")
    assert problems == [
        "inline <script> without the request's nonce",
        "script from another site: https://cdn.example/x.js",
        "<style> without the request's nonce",
        "handler attribute <p onclick>",
        'style attribute <p style="color:red">',
        "javascript: URL <a href=javascript:x()>",
    ]


def test_signed_out_pages_have_a_strict_policy(db):
    client = Client()
    for path in ["/", reverse("login"), reverse("password_reset"), "/no-such-page/"]:
        response = client.get(path)
        assert header_problems(response) == [], path
        assert html_problems(parse(response.content.decode()), None, path) == [], path


def test_every_portal_page_of_every_role_allows_no_inline_code(db):
    people = seed_demo_people()
    seeds = ["/dashboard/", *objectless_paths()]
    failures: list[str] = []
    html_pages: dict[str, int] = {}
    for role, user in people.items():
        html_pages[role] = 0
        for visit in walk(client_of(user), seeds):
            if visit.response.status_code >= 500:
                failures.append(f"{role} {visit.path}: {visit.response.status_code}")
            problems = header_problems(visit.response)
            if visit.page is not None:
                html_pages[role] += 1
                nonce = nonce_of(policy_of(visit.response))
                problems += html_problems(visit.page, nonce, visit.path)
            failures += [f"{role} {visit.path}: {p}" for p in dict.fromkeys(problems)]
    assert not failures, "\n".join(failures)
    # The walk really went through the portal (charts, courses, reports, Wagtail pages).
    assert all(count >= 20 for count in html_pages.values()), html_pages


@pytest.mark.parametrize("name", ["wagtailadmin_home", "wagtaildocs:index"])
def test_the_wagtail_admin_keeps_its_own_policy(name, network, client_for):
    response = client_for(network.editor).get(reverse(name))
    assert response.status_code == 200
    policy = policy_of(response)
    # Wagtail's own widgets use inline code: allowed there, and only there.
    assert "'unsafe-inline'" in policy["script-src"] and "'unsafe-inline'" in policy["style-src"]
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'self'"]
