import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def reminders_send_task():
    from . import services

    return services.reminders_send()


@shared_task
def export_job_run_task(job_id: int):
    from . import services

    services.export_job_run(job_id=job_id)


@shared_task
def old_jobs_delete_task():
    from . import services

    return services.old_jobs_delete()


@shared_task(ignore_result=True)
def analytics_refresh_task():
    """Bring the report analytics asked for today up to date after a unit's write. A failure
    only leaves the work to the next reader, so it is logged, never raised into the write."""
    from django.utils import timezone

    from portal import versions

    from . import summaries

    versions.refresh_started("analytics")

    try:
        return summaries.refresh_kept(today=timezone.localdate())
    except Exception:  # noqa: BLE001 - see above
        log.exception("could not refresh the kept report analytics")
        return 0
