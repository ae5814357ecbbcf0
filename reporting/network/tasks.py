"""Celery tasks of the network views (imported by `setup()` so the worker registers them)."""

from celery import shared_task


@shared_task
def network_digest_send_task():
    from .digest import digests_send

    return digests_send()


@shared_task
def network_pdf_job_task(job_id: int):
    from .jobs import network_pdf_job_run

    network_pdf_job_run(job_id=job_id)
