"""The bench scripts start: `--help` of each prints its usage (no database, no timings)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "script",
    [
        "bench_analytics.py",
        "bench_api.py",
        "bench_documents.py",
        "bench_network.py",
        "bench_pdf.py",
        "bench_visits_surveys.py",
        "http_load.py",
        "mixed_load.py",
    ],
)
def test_help(script):
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, str(ROOT / "bench" / script), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: ")
    assert "--units" in result.stdout


def test_bench_pdf_options():
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, str(ROOT / "bench" / "bench_pdf.py"), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    for option in ("--case", "--no-trace", "--repeat", "--reseed"):
        assert option in result.stdout
    assert "--child" not in result.stdout  # internal: the child process's switch
