"""PostgreSQL connections run without JIT: the portal's queries are short, and JIT compiling a
misestimated plan cost 0.2–1.8 s (bench/RESULTS.md, session 24)."""

import pytest
from django.db import connection

from portal.settings.base import database_from_env


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_sessions_have_jit_off():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_jit_option_only_for_postgres(monkeypatch):
    monkeypatch.setenv("X_DB", "postgres://u@h:5432/d")
    assert database_from_env("X_DB")["OPTIONS"]["options"] == "-c jit=off"
    monkeypatch.setenv("X_DB", "sqlite:////tmp/x.sqlite3")
    assert "options" not in database_from_env("X_DB").get("OPTIONS", {})
