"""No page answers 500 for any query string.

Every object-less GET route of the portal (from the URL conf, so a new list URL is covered
without an edit) gets arbitrary text in each GET parameter its page offers: the names of its
GET forms' fields, read from the page itself, plus `q` and `page`. Quotes, full-text operators,
NUL, 10,000 characters, mixed scripts and emoji, as the owner, the manager and the lead; an
anonymous visitor is sent to log in. Runs on SQLite and on PostgreSQL (DATABASE_URL=...).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from franchise.documents import services
from franchise.models import DocumentFolder
from tests.franchise.test_documents import checked, make_pdf

from .test_url_coverage import project_routes

ROLES = ("owner", "manager", "lead")
ALLOWED = {200, 400, 404}
#: Object-less routes that are not GET pages with parameters (say why).
NOT_GET_PAGES = {
    "logout": "POST only",
    "set_language": "POST only",
    "franchise:switch_unit": "POST only",
}

HOSTILE = st.one_of(
    st.sampled_from(
        [
            '"',
            '">',
            'а"б',
            "ООО «Ромашка»",
            'ООО "Ромашка"',
            "a AND b OR NOT c",
            "* : ( ) -",
            'NEAR(a b) "x',
            "\x00",
            "a\x00b",
            "x" * 10_000,
            "😀 Хлеб 北京 مرحبا",
            "%",
            "_",
            "\\",
            "'; DROP TABLE x; --",
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
)


class _GetFormFields(HTMLParser):
    """Names of the fields of a page's GET forms (a form without `method` is a GET form)."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in {"input", "select", "textarea"} and self._in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def get_routes() -> list[str]:
    return sorted(
        name
        for _route, name, has_args in project_routes()
        if name and not has_args and name not in NOT_GET_PAGES
    )


def test_not_get_pages_name_existing_routes():
    names = {name for _route, name, _args in project_routes()}
    assert set(NOT_GET_PAGES) <= names


@pytest.fixture
def hostile_network(network):
    """The shared network with something to find: a library document and a company name."""
    services.document_create(
        unit=None,
        folder=DocumentFolder.LIBRARY,
        title='Договор с ООО "Ромашка"',
        checked=checked("contract.pdf", make_pdf("contract")),
        by=network.editor,
    )
    return network


def _parameters(client: Client, url: str) -> set[str]:
    response = client.get(url)
    parser = _GetFormFields()
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode())
    return parser.names | {"q", "page"}


@pytest.mark.parametrize("name", get_routes())
def test_no_query_string_answers_500(name, hostile_network):
    url = reverse(name)
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=True)
        client.force_login(getattr(hostile_network, role))
        # A page that sends this role elsewhere (302), or takes only POST (405), may keep
        # doing so; nothing else.
        base = client.get(url).status_code
        allowed = ALLOWED | ({base} if base in {302, 401, 405} else set())
        clients[role] = (client, sorted(_parameters(client, url)), allowed)
    anonymous = Client(raise_request_exception=True)

    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(text=HOSTILE)
    def check(text):
        for role, (client, parameters, allowed) in clients.items():
            for parameter in parameters:
                response = client.get(url, {parameter: text})
                assert response.status_code in allowed, (role, parameter, text[:80])
        response = anonymous.get(url, {"q": text})
        # The API answers anonymous callers 401 (problem+json) instead of a login redirect.
        assert response.status_code in {200, 302, 401, 404, 405}, ("anonymous", text[:80])

    check()


@pytest.mark.parametrize("typed", ["ООО «Ромашка»", 'ООО "Ромашка"', "«Ромашка»", 'Ромашка"'])
def test_quoted_company_names_find_the_company(network, client_for, typed):
    from franchise.selectors import unit_list

    network.unit.legal_name = 'ООО "Ромашка"'
    network.unit.save()
    assert [u.code for u in unit_list(network.lead, q=typed)] == [network.unit.code]
    response = client_for(network.lead).get(reverse("kb:autocomplete"), {"q": typed})
    assert response.status_code == 200
