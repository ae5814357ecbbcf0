"""Celery tasks of the network views (imported by `setup()` so the worker registers them)."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def network_digest_send_task():
    from .digest import digests_send

    return digests_send()


@shared_task
def network_pdf_job_task(job_id: int):
    from .jobs import network_pdf_job_run

    network_pdf_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def network_frame_refresh_task():
    """Patch the kept network frame after a unit's write. A failure only leaves the patch to
    the next reader, so it is logged, never raised into the write that queued it."""
    from django.utils import timezone

    from portal import versions

    from .scorecards import refresh_kept

    versions.refresh_started("network-frame")

    try:
        return refresh_kept(today=timezone.localdate())
    except Exception:  # noqa: BLE001 - see above
        log.exception("could not refresh the kept network frame")
        return []
