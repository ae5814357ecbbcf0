"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

Every value can be changed from the environment (see deploy/ENVIRONMENT.md).
"""

import gc
import multiprocessing
import os

# nginx talks to gunicorn on loopback (or a unix socket: GUNICORN_BIND=unix:/run/portal/web.sock).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync"  # nginx buffers slow clients; sync workers are the simplest and safest
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # big exports run in Celery, not here
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows into an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100
# Load the app once in the master: workers fork with the code already imported.
preload_app = True
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# X-Forwarded-* is trusted only from the proxy in front (nginx on the same machine).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "portal-web"
# Limits on request lines and headers; bodies are limited by nginx and Django.
limit_request_line = 8190
limit_request_fields = 100


def pre_fork(server, worker):
    """Freeze what the preloaded app made: the workers' garbage collections never walk the
    code and settings again (a full pass over them cost list pages of /api/v1/ 100-200 ms at
    the 95th percentile, bench/bench_api.py), and the pages stay shared with the master."""
    gc.freeze()
