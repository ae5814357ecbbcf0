"""Start and stop real `celery -A portal worker` / `celery -A portal beat` subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def service_env(broker_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.services.worker_settings",
        TEST_WORKER_BROKER_URL=broker_url,
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


class Service:
    """A celery subprocess in its own process group, with its output in a log file."""

    def __init__(self, args: list[str], env: dict, log: Path):
        self.log_path = log
        self._log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [CELERY, "-A", "portal", *args],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"celery exited early:\n{self.output()[-4000:]}")
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not seen in {timeout}s:\n{self.output()[-4000:]}")

    def kill(self) -> None:
        """Like a crash or a lost machine: SIGKILL to the whole process group."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self._log.close()

    def stop(self, timeout: float = 30) -> int:
        """A normal shutdown (SIGTERM, as systemd does); SIGKILL if it hangs."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()
        return self.process.returncode


def start_worker(broker_url: str, log: Path, **extra_env: str) -> Service:
    worker = Service(
        [
            "worker",
            "--loglevel=INFO",
            "--concurrency=1",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--include=tests.services.worker_tasks",
            f"--hostname=test-{os.getpid()}-{time.monotonic_ns()}@localhost",
        ],
        service_env(broker_url, **extra_env),
        log,
    )
    worker.wait_for_output("ready.")
    return worker


def wait_until(predicate, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def start_beat(
    broker_url: str, log: Path, schedule: Path, wait: bool = True, **extra_env
) -> Service:
    beat = Service(
        ["beat", "--loglevel=INFO", f"--schedule={schedule}"],
        service_env(broker_url, **extra_env),
        log,
    )
    if wait:
        beat.wait_for_output("holding the single-beat lock")
    return beat
