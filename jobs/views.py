"""The status page of a background import (progress, the preview and its Confirm button, the
result or the errors by line) and the confirmation. Only the job's own user, while they may
still import its kind, gets them; anyone else gets 404 (access.deny)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from franchise import access

from . import services
from .models import ImportJob

#: Seconds between two refreshes of a running job's page (a meta refresh: no script).
REFRESH_SECONDS = 2


def _job_or_404(request, pk) -> ImportJob:
    job = services.job_for(request.user, pk)
    if job is None:
        access.deny(request, target=f"import-job:{pk}")
    return job


@login_required
def job_status(request, pk: int):
    job = _job_or_404(request, pk)
    spec = services.kind_of(job.kind)
    return render(
        request,
        "jobs/job_status.html",
        {
            "job": job,
            "title": spec.title,
            "result_template": spec.template,
            "result": job.result,
            "progress": services.job_progress(job),
            "refresh": REFRESH_SECONDS if job.is_active else None,
            "back_url": spec.back_url(job) if spec.back_url else "",
            "confirm_label": spec.confirm_label(job.result)
            if spec.confirm_label and job.status == ImportJob.Status.WAITING
            else _("Confirm and write"),
        },
    )


@login_required
@require_POST
def job_confirm(request, pk: int):
    job = _job_or_404(request, pk)
    if services.job_confirm(job=job, user=request.user):
        messages.success(request, _("Confirmed: the file is being written."))
    elif job.confirmed_at is not None:
        messages.info(request, _("This import was already confirmed."))
    else:
        messages.error(request, _("This import cannot be confirmed."))
    return redirect("jobs:status", pk=job.pk)
