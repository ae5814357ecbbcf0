"""The production settings pass Django's deployment checklist and refuse unsafe starts."""

import pytest

from .prod import manage, production_settings


def test_check_deploy_passes_at_warning_level():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL"],
)
def test_production_refuses_to_start_without(missing):
    result = manage("check", **{missing: None})
    assert result.returncode != 0
    assert missing in result.stderr


def test_a_weak_secret_key_fails_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_SECRET_KEY="short")
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_production_security_settings():
    values = production_settings(
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "CELERY_TASK_ALWAYS_EAGER",
        "CELERY_TASK_ACKS_LATE",
        "CELERY_BEAT_SCHEDULER",
        "CACHES",
        "ALLOWED_HOSTS",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_TASK_ACKS_LATE"] is True
    assert values["CELERY_BEAT_SCHEDULER"] == "portal.beat:SingleBeatScheduler"
    assert "redis" in values["CACHES"]["default"]["BACKEND"].lower()
    assert values["ALLOWED_HOSTS"] == ["portal.example"]
