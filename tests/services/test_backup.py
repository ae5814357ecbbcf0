"""deploy/backup.sh and deploy/restore.sh round-trip a PostgreSQL database and the media."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import require

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PSQL = shutil.which("psql") or "/usr/bin/psql"
BASH = shutil.which("bash") or "/bin/bash"


def psql(database: str, sql: str) -> str:
    result = subprocess.run(  # noqa: S603
        [PSQL, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", f"{SERVER}/{database}"],
        input=sql,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def scratch_db(unique):
    tools = all(shutil.which(tool) for tool in ("psql", "pg_dump", "pg_restore"))
    require(tools, "PostgreSQL client tools (psql, pg_dump, pg_restore) are not installed")
    ping = subprocess.run(  # noqa: S603
        [PSQL, "-X", "-c", "select 1", f"{SERVER}/postgres"], capture_output=True, timeout=30
    )
    require(ping.returncode == 0, f"PostgreSQL is not reachable at {SERVER}")
    name = f"portal_backup_{unique}"
    psql("postgres", f"CREATE DATABASE {name}")
    yield name
    psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [BASH, str(ROOT / "deploy" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_backup_and_restore_round_trip(scratch_db, tmp_path):
    psql(scratch_db, "CREATE TABLE unit (code text primary key, name text);")
    psql(scratch_db, "INSERT INTO unit VALUES ('KZN-001', 'Хлебный двор Казань');")
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "images").mkdir(parents=True)
    (media / "images" / "logo.png").write_bytes(b"png")
    (private / "units" / "KZN-001").mkdir(parents=True)
    (private / "units" / "KZN-001" / "contract.pdf").write_bytes(b"%PDF-contract")
    env = {
        "DATABASE_URL": f"{SERVER}/{scratch_db}",
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(private),
        "BACKUP_KEEP_DAYS": "14",
    }

    backup = run("backup.sh", str(tmp_path / "backups"), env=env)
    assert backup.returncode == 0, backup.stderr
    (snapshot,) = (tmp_path / "backups").iterdir()
    assert {p.name for p in snapshot.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "private.tar.gz",
        "SHA256SUMS",
    }
    assert oct(snapshot.stat().st_mode & 0o777) == "0o700"

    # Disaster: rows changed, files lost.
    psql(scratch_db, "DELETE FROM unit; INSERT INTO unit VALUES ('BAD', 'bad');")
    shutil.rmtree(private)
    (media / "images" / "logo.png").write_bytes(b"overwritten")

    refused = run("restore.sh", str(snapshot), env=env)
    assert refused.returncode == 2  # needs --yes
    restore = run("restore.sh", str(snapshot), "--yes", env=env)
    assert restore.returncode == 0, restore.stderr

    assert psql(scratch_db, "SELECT code || '|' || name FROM unit") == "KZN-001|Хлебный двор Казань"
    assert (private / "units" / "KZN-001" / "contract.pdf").read_bytes() == b"%PDF-contract"
    assert (media / "images" / "logo.png").read_bytes() == b"png"
    assert (tmp_path / "media.before-restore" / "images" / "logo.png").read_bytes() == (
        b"overwritten"
    )


def test_restore_refuses_a_damaged_backup(scratch_db, tmp_path):
    env = {
        "DATABASE_URL": f"{SERVER}/{scratch_db}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    assert run("backup.sh", str(tmp_path / "b"), env=env).returncode == 0
    (snapshot,) = (tmp_path / "b").iterdir()
    with open(snapshot / "private.tar.gz", "ab") as archive:
        archive.write(b"garbage")
    result = run("restore.sh", str(snapshot), "--yes", env=env)
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr
