"""The production stack on real services: gunicorn with deploy/gunicorn.conf.py and the
production settings, on the PostgreSQL test database and Redis."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .prod import production_env

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "portal.example", **headers})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


@pytest.fixture
def gunicorn(redis_url, tmp_path, db):
    from django.db import connection  # the test database (created by the `db` fixture)

    conf = connection.settings_dict
    host, port_ = conf["HOST"] or "127.0.0.1", conf["PORT"] or 5432
    database_url = f"postgres://{conf['USER']}@{host}:{port_}/{conf['NAME']}"
    port = _free_port()
    env = production_env(
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=redis_url,
        CACHE_URL=redis_url.replace("redis://", "rediscache://"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "deploy/gunicorn.conf.py",
            "portal.wsgi",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            _get(port, "/healthz", **{"X-Forwarded-Proto": "https"})
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.5)
    yield port
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=40)
    log.close()


def test_gunicorn_serves_the_portal_with_production_settings(gunicorn):
    response, body = _get(gunicorn, "/healthz", **{"X-Forwarded-Proto": "https"})
    assert response.status == 200, body
    assert b'"database": "ok"' in body
    assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_plain_http_is_redirected_to_https(gunicorn):
    response, _ = _get(gunicorn, "/accounts/login/")
    assert response.status == 301
    assert response.getheader("Location") == "https://portal.example/accounts/login/"


def test_unknown_hosts_are_refused(gunicorn):
    response, _ = _get(gunicorn, "/healthz", Host="evil.example", **{"X-Forwarded-Proto": "https"})
    assert response.status == 400
