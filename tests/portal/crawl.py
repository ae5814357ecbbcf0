"""Walk the portal as each demo person: the pages a browser would reach from the menus.

Used by the CSP test (every page's header and HTML) and the menu walk (every menu link
answers 200). The demo network (`seed_demo`, a few units) has content of every kind, so
charts, progress bars, Wagtail pages and forms are all on the pages walked.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

#: Demo logins (franchise/demo.py) by the role they stand for.
DEMO_LOGINS = {
    "owner": "owner",
    "member": "staff",
    "manager": "manager",
    "lead": "lead",
    "editor": "editor",
}
ROLES = (*DEMO_LOGINS, "stranger")
#: Never followed: the admin has its own policy (checked on its home page), signing out ends
#: the walk, files are not pages.
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/", "/api/")
FILE_SUFFIXES = (".pdf", ".csv", ".xlsx", ".docx", ".zip", ".txt", ".mp4", ".webm")


def seed_demo_people(units: int = 4) -> dict:
    """The demo network and its people by role, plus a signed-in stranger with no unit."""
    from django.contrib.auth import get_user_model

    from tests import factories

    with open("/dev/null", "w") as quiet:
        call_command("seed_demo", units=units, stdout=quiet)
    users = get_user_model().objects
    people = {role: users.get(username=login) for role, login in DEMO_LOGINS.items()}
    people["stranger"] = factories.UserFactory(username="stranger-no-unit")
    return people


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Page:
    """What the audit needs of one HTML page."""

    links: list[str] = field(default_factory=list)
    nav_links: list[str] = field(default_factory=list)
    scripts: list[dict] = field(default_factory=list)  # attrs + "inline": has a body
    styles: list[dict] = field(default_factory=list)  # <style> elements' attrs
    handler_attrs: list[str] = field(default_factory=list)  # "tag onclick"
    style_attrs: list[str] = field(default_factory=list)  # 'tag style="…"'
    js_urls: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    """Collects links (and which of them are menu links) and every inline-code construct."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._nav_depth = 0  # inside <nav class="main-nav"> or <details class="user-menu">
        self._stack: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag in ("nav", "details"):
            self._stack.append(tag)
            if "main-nav" in classes or "user-menu" in classes or self._nav_depth:
                self._nav_depth += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.page.handler_attrs.append(f"<{tag} {name}>")
            if name == "style":
                self.page.style_attrs.append(f'<{tag} style="{value}">')
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.page.js_urls.append(f"<{tag} {name}={value}>")
        if tag == "a" and values.get("href"):
            self.page.links.append(values["href"])
            if self._nav_depth:
                self.page.nav_links.append(values["href"])
        if tag == "script":
            self._script = {**values, "inline": False}
        if tag == "style":
            self.page.styles.append(values)
        if tag == "link" and "stylesheet" in (values.get("rel") or ""):
            self.page.stylesheets.append(values.get("href") or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._script is not None and data.strip():
            self._script["inline"] = True

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.page.scripts.append(self._script)
            self._script = None
        if tag in ("nav", "details") and self._stack:
            self._stack.pop()
            if self._nav_depth:
                self._nav_depth -= 1


def parse(html: str) -> Page:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


def local_path(href: str, base: str) -> str | None:
    """The same-site path (with query) an href points to, or None (other site, anchor, mailto)."""
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
        return None
    if not url.path.startswith("/"):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _followable(path: str) -> bool:
    bare = path.split("?", 1)[0]
    query = path.partition("?")[2]
    return not (
        bare.startswith(SKIP_PREFIXES)
        or bare.lower().endswith(FILE_SUFFIXES)
        or "format=" in query
        or "export=" in query
        or bare.endswith(("/pdf/", "/download/"))
    )


def _route_key(path: str) -> str:
    """Pages of one kind share a key; Wagtail pages are told apart by their parent section."""
    bare = path.split("?", 1)[0]
    try:
        match = resolve(bare)
    except Resolver404:
        return bare
    if match.view_name == "wagtail_serve":
        return "page:" + "/".join(bare.strip("/").split("/")[:-1])
    return match.view_name


@dataclass
class Visit:
    path: str
    response: object
    page: Page | None  # None: not HTML


def walk(client: Client, seeds: list[str], *, per_route: int = 2) -> Iterator[Visit]:
    """Breadth-first over same-site links from `seeds`, at most `per_route` pages of each kind
    (query variants count), GET only; redirects are followed as further visits."""
    queue = deque(seeds)
    seen: set[str] = set()
    per_key: dict[str, int] = {}
    while queue:
        path = queue.popleft()
        if path in seen or not _followable(path):
            continue
        seen.add(path)
        key = _route_key(path)
        if per_key.get(key, 0) >= per_route and path not in seeds:
            continue
        per_key[key] = per_key.get(key, 0) + 1
        response = client.get(path)
        page = None
        if response.status_code in (301, 302):
            target = local_path(response["Location"], path)
            if target:
                queue.appendleft(target)
        elif "text/html" in response.get("Content-Type", ""):
            page = parse(response.content.decode())
            for href in page.links:
                target = local_path(href, path)
                if target and target not in seen:
                    queue.append(target)
        yield Visit(path, response, page)


def follow(client: Client, path: str, *, limit: int = 5):
    """GET `path`, following same-site redirects; the last response and the path it answered."""
    for _hop in range(limit):
        response = client.get(path)
        if response.status_code not in (301, 302):
            return path, response
        path = local_path(response["Location"], path) or response["Location"]
    return path, response
