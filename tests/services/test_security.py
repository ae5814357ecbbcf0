"""Security headers, private caching of signed-in pages, rate limits and input caps."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal.security import cap_query, client_ip, parse_rate, upload_rate_limit

PRODUCTION_SECURITY = {
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "X_FRAME_OPTIONS": "DENY",
}


@pytest.fixture(autouse=True)
def _fresh_counters(settings):
    settings.RATE_LIMIT_ENABLED = True  # whatever the test settings say
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def production_security(settings):
    for name, value in PRODUCTION_SECURITY.items():
        setattr(settings, name, value)
    return settings


# Headers
# ------------------------------------------------------------------------------


def test_security_headers_on_the_login_page(client, production_security, db):
    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "form-action 'self'" in csp
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_login_sets_secure_httponly_session_cookie(client, production_security, network):
    from tests.factories import PASSWORD

    response = client.post(
        reverse("login"), {"username": "owner", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["secure"] is True


def test_signed_in_pages_are_private(client_for, network):
    response = client_for(network.owner).get(
        reverse("franchise:unit_detail", args=[network.unit.code])
    )
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_signed_in_redirects_are_private_too(client_for, network):
    response = client_for(network.owner).get(reverse("dashboard"))
    assert response.status_code == 302
    assert "private" in response["Cache-Control"]


def test_the_public_landing_page_is_not_marked_private(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")


def test_no_store_views_keep_no_store(client_for, network):
    response = client_for(network.owner).get(reverse("healthz"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


# Rate limits
# ------------------------------------------------------------------------------


def _bad_login(client, ip="10.0.0.1", **extra):
    return client.post(
        reverse("login"),
        {"username": "nobody", "password": "wrong"},
        REMOTE_ADDR=ip,
        **extra,
    )


def test_login_posts_are_limited_per_address(client, settings, db):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/m"}
    assert [_bad_login(client).status_code for _ in range(3)] == [200, 200, 200]
    blocked = _bad_login(client)
    assert blocked.status_code == 429
    assert 1 <= int(blocked["Retry-After"]) <= 60
    assert "Too many attempts" in blocked.content.decode()
    # Another address is not affected, and reading the form is never limited.
    assert _bad_login(client, ip="10.0.0.2").status_code == 200
    assert client.get(reverse("login"), REMOTE_ADDR="10.0.0.1").status_code == 200


def test_a_blocked_address_cannot_log_in_even_with_the_right_password(client, settings, network):
    from tests.factories import PASSWORD

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/m"}
    _bad_login(client)
    _bad_login(client)
    response = client.post(
        reverse("login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_posts_are_limited(client, settings, network, mailoutbox):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/15m"}
    email = network.owner.email

    def reset():
        return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR="10.0.0.9")

    assert [reset().status_code for _ in range(2)] == [302, 302]
    assert reset().status_code == 429
    assert len(mailoutbox) == 2


def test_wagtail_admin_login_is_limited_too(client, settings, db):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "1/m"}
    url = reverse("wagtailadmin_login")
    data = {"username": "x", "password": "y"}
    assert client.post(url, data, REMOTE_ADDR="10.0.0.5").status_code == 200
    assert client.post(url, data, REMOTE_ADDR="10.0.0.5").status_code == 429


def test_behind_a_proxy_the_forwarded_address_counts(client, settings, db):
    settings.RATE_LIMIT_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "1/m"}
    proxy = "127.0.0.1"
    assert _bad_login(client, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 200
    assert _bad_login(client, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # A client cannot dodge the limit by prepending a fake address: the proxy appends.
    spoofed = "1.2.3.4, 203.0.113.7"
    assert _bad_login(client, ip=proxy, HTTP_X_FORWARDED_FOR=spoofed).status_code == 429
    assert _bad_login(client, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_rate_limits_can_be_switched_off(client, settings, db):
    settings.RATE_LIMIT_ENABLED = False
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "1/m"}
    assert {_bad_login(client).status_code for _ in range(3)} == {200}


def test_upload_rate_limit_decorator(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": "2/h"}
    calls = []

    @upload_rate_limit
    def upload(request):
        calls.append(request.method)
        return HttpResponse("stored")

    factory = RequestFactory()
    post = factory.post("/upload", REMOTE_ADDR="10.1.1.1")
    assert [upload(post).status_code for _ in range(2)] == [200, 200]
    assert upload(post).status_code == 429
    assert upload(factory.get("/upload", REMOTE_ADDR="10.1.1.1")).status_code == 200
    assert calls == ["POST", "POST", "GET"]


def test_parse_rate_and_client_ip(settings):
    assert parse_rate("5/m") == (5, 60)
    assert parse_rate("10/15m") == (10, 900)
    assert parse_rate("100/d") == (100, 86400)
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
    settings.RATE_LIMIT_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.RATE_LIMIT_PROXY_COUNT = 1
    assert client_ip(request) == "1.1.1.1"


# Input caps
# ------------------------------------------------------------------------------


def test_cap_query():
    assert cap_query(None) == ""
    assert cap_query("  price   list \n") == "price list"
    assert len(cap_query("а" * 5000)) == 200
    assert cap_query("x" * 50, limit=10) == "x" * 10
    assert cap_query("hygiene\x00\x1bcourse") == "hygiene course"


@pytest.mark.parametrize(
    "route", ["franchise:unit_list", "kb:search", "documents:search", "kb:autocomplete"]
)
def test_huge_search_terms_are_answered_normally(route, client_for, network):
    from django.urls import NoReverseMatch

    try:
        url = reverse(route)
    except NoReverseMatch:
        pytest.skip(f"{route} does not exist in this build")
    response = client_for(network.lead).get(url, {"q": "хлеб " * 2000})
    assert response.status_code == 200
