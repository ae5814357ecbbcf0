"""The portal's own 404 and 500 pages, and `make run` (portal.settings.dev) showing them
instead of Django's debug page (issue 17)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parents[2]


def test_missing_page_answers_the_friendly_404(network, client_for):
    for client in (Client(), client_for(network.owner)):
        response = client.get("/no-such-page/")
        html = response.content.decode()
        assert response.status_code == 404
        assert "Page not found" in html and "Go to the start page" in html
        assert "Traceback" not in html and "Using the URLconf" not in html
    # A signed-in person keeps the cabinet's menu on it.
    html = client_for(network.owner).get("/no-such-page/").content.decode()
    assert 'class="main-nav"' in html and 'href="/dashboard/"' in html


def test_404_page_follows_the_interface_language(network, client_for):
    client = client_for(network.owner)
    client.cookies["django_language"] = "ru"
    html = client.get("/no-such-page/").content.decode()
    assert "Страница не найдена" in html and "Page not found" not in html


def test_500_page_renders_without_a_request_context_or_database():
    """Django renders 500.html with no context; it must not touch the database (it may be
    the cause) nor need the request (no `db` fixture here: a query would fail the test)."""
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and "Go to the start page" in html
    assert "/static/portal/css/portal.css" in html


@pytest.mark.urls("tests.portal.error_urls")
def test_a_crash_answers_the_friendly_500(db):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "boom" not in html and "Traceback" not in html
    assert "Content-Security-Policy" in response


def _dev(code: str, **env) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ |= {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env}
    environ["DATABASE_URL"] = "sqlite:////nonexistent/never-opened.sqlite3"
    run = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return run.stdout.strip()


def test_make_run_settings_show_no_debug_page_unless_asked():
    show = "from django.conf import settings; print(settings.DEBUG)"
    assert _dev(show) == "False"
    assert _dev(show, DJANGO_DEBUG="true") == "True"


def test_make_run_settings_still_serve_static_files():
    """Without DEBUG runserver serves no static files; WhiteNoise does, from the apps' folders
    (no collectstatic), before any middleware that needs the database."""
    code = (
        "from django.test import Client; "
        "r = Client().get('/static/portal/css/portal.css'); "
        "print(r.status_code, b''.join(r.streaming_content).count(b'.progress') > 0)"
    )
    assert _dev(code) == "200 True"
