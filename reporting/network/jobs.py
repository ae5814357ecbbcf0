"""The network PDF for large networks, made in the background on reporting's export jobs.

It reuses reporting's `ExportJob` (progress, the job status page, the private download) and
its progress service; only the building of the file is ours.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from portal.pdf import render_pdf
from reporting.models import ExportJob
from reporting.services import export_job_progress

logger = logging.getLogger(__name__)
KIND = "network_pdf"


def network_pdf_job_create(*, user, today: date) -> ExportJob:
    from .tasks import network_pdf_job_task

    job = ExportJob.objects.create(user=user, kind=KIND, params={"today": today.isoformat()})
    network_pdf_job_task.delay_on_commit(job.pk)
    return job


def network_pdf_job_run(*, job_id: int) -> ExportJob:
    """Build the PDF under PRIVATE_MEDIA_ROOT; a finished job is left alone."""
    from . import scorecards
    from .views import pdf_context

    job = ExportJob.objects.select_related("user").get(pk=job_id, kind=KIND)
    if job.status == ExportJob.Status.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=1)
    try:
        today = date.fromisoformat(job.params["today"])
        units = scorecards.units_in_scope(job.user)
        if units is None:
            raise PermissionError("the user no longer has a portfolio")
        export_job_progress(job=job, progress=10)
        context = pdf_context(job.user, units, today=today)
        export_job_progress(job=job, progress=60)
        data = render_pdf("pdf/network_digest.html", context)
        filename = f"network-{today.isoformat()}.pdf"
        folder = Path(settings.PRIVATE_MEDIA_ROOT) / "reporting" / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"job-{job.pk}-{filename}"
        path.write_bytes(data)
    except Exception as error:
        logger.exception("network PDF job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        progress=100,
        file_path=str(path.relative_to(Path(settings.PRIVATE_MEDIA_ROOT))),
        filename=filename,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job
