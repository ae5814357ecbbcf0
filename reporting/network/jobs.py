"""The network PDF for large networks, made in the background on reporting's export jobs.

It reuses reporting's `ExportJob` (progress, the job status page, the private download) and
its job runner `export_job_execute`; only the building of the file is ours.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from portal.pdf import render_pdf
from reporting.models import ExportJob
from reporting.services import export_job_execute

KIND = "network_pdf"


def network_pdf_job_create(*, user, today: date) -> ExportJob:
    from .tasks import network_pdf_job_task

    job = ExportJob.objects.create(user=user, kind=KIND, params={"today": today.isoformat()})
    network_pdf_job_task.delay_on_commit(job.pk)
    return job


def network_pdf_job_run(*, job_id: int) -> ExportJob:
    """Build the PDF under PRIVATE_MEDIA_ROOT (reporting's `export_job_execute`: progress, the
    file, done or failed); a finished job is left alone."""
    from . import scorecards
    from .views import pdf_context

    def build(job: ExportJob, progress) -> tuple[bytes, str]:
        today = date.fromisoformat(job.params["today"])
        units = scorecards.units_in_scope(job.user)
        if units is None:
            raise PermissionError("the user no longer has a portfolio")
        progress(10)
        context = pdf_context(job.user, units, today=today)
        progress(60)
        data = render_pdf(
            "pdf/network_digest.html", context, max_seconds=settings.PDF_JOB_MAX_SECONDS
        )
        return data, f"network-{today.isoformat()}.pdf"

    return export_job_execute(job_id=job_id, build=build, kind=KIND)
