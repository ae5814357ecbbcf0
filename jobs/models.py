"""A file import run in the background: a preview first, then, once confirmed, the write.

Why not reporting's `ExportJob`: an export is one step that ends in a file to download; an
import has two steps with a person's confirmation between them (so a `waiting` state, who
confirmed and when, and a conditional UPDATE on it), a stored upload instead of a produced
file, and a structured result (the preview's rows, the counts, the errors by line) that the
status page renders. Bending `ExportJob` to that would change reporting's model and its job
runner for every export; the ideas are reused instead (progress by UPDATE, a finished job is
left alone by a repeated task, the status page that refreshes itself).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """queued → running → waiting (the preview, until its user confirms) → queued → running →
    done; failed from any step. A preview with nothing to write ends as done at once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        WAITING = "waiting", _("Waiting for confirmation")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    #: Relative to PRIVATE_MEDIA_ROOT; emptied when the upload is deleted.
    upload_path = models.CharField(max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="jobs_importjob_progress_lte_100"
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_applied(self) -> bool:
        return self.confirmed_at is not None
