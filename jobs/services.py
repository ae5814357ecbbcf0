"""Background imports: register a kind, create a job from an upload, confirm it, run it.

The apps that import files plug in with `register_kind` (in their AppConfig.ready), so this
app imports none of them. A kind gives two functions, both called with the job, the upload's
bytes and a `progress(0..100)` callback:

- `preview(job=, data=, progress=)` returns a JSON-able dict: at least `errors` (a list of
  `[line, message]`) and `can_apply`; it writes nothing.
- `apply(job=, data=, progress=)` writes the file and returns a dict for the result page. It
  runs inside one transaction: raising (`JobFailed` for a reason to show) rolls everything
  back, so an import is all or nothing.

`allowed(user)` says whether the person may still import this kind; the job's user loses
their job's pages (404) and the job stops running when they lose that right.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ImportJob

logger = logging.getLogger(__name__)

NOTICE_KIND = "import"
FOLDER = "imports"
#: Previews nobody confirmed are deleted (with their upload) after this long.
KEEP_HOURS = 24
#: A job "running" for longer than this lost its worker (the broker delivers the task again,
#: acks_late): it may be claimed again. Its write was one transaction, so nothing of it stayed.
RUNNING_TIMEOUT = timedelta(hours=1)
#: How many result rows a kind should keep for the preview page (the counts are complete).
PREVIEW_ROWS = 300


class JobFailed(Exception):
    """An import that cannot go on, with the reason to show and the bad lines, if any."""

    def __init__(self, message: str, errors: list | None = None):
        super().__init__(message)
        self.message = str(message)
        self.errors = [[int(line), str(text)] for line, text in (errors or [])]


@dataclass(frozen=True)
class JobKind:
    key: str
    title: str
    preview: Callable
    apply: Callable
    allowed: Callable
    task: object
    template: str
    back_url: Callable | None = None
    confirm_label: Callable | None = None


_kinds: dict[str, JobKind] = {}


def register_kind(
    kind: str,
    *,
    preview: Callable,
    apply: Callable,
    allowed: Callable,
    task,
    template: str,
    title,
    back_url: Callable | None = None,
    confirm_label: Callable | None = None,
) -> None:
    """Declare an import kind. `task` is the app's Celery task taking the job id (it calls
    `job_run`); `template` renders `job.result` on the status page; `back_url(job)` is where
    the page's "back" link goes (the app's upload screen); `confirm_label(result)` says on the
    Confirm button what it will write ("Import 10 payments")."""
    _kinds[kind] = JobKind(
        kind, title, preview, apply, allowed, task, template, back_url, confirm_label
    )


def kind_of(kind: str) -> JobKind | None:
    return _kinds.get(kind)


def may_see(user, job: ImportJob) -> bool:
    """Only the job's own user, and only while they may still import this kind."""
    spec = kind_of(job.kind)
    return bool(spec and user.is_authenticated and job.user_id == user.pk and spec.allowed(user))


def job_for(user, pk) -> ImportJob | None:
    """The user's own job `pk` (None for another's, a missing one, or a lost right)."""
    if not user.is_authenticated:
        return None
    job = ImportJob.objects.filter(pk=pk, user=user).first()
    return job if job is not None and may_see(user, job) else None


# Uploads ------------------------------------------------------------------------------------


def _root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def _store(data: bytes) -> str:
    """Write the upload under PRIVATE_MEDIA_ROOT/imports (atomically: a temporary name, then
    a rename) and return its path relative to the root."""
    folder = _root() / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    temporary = folder / f".{token}.part"
    temporary.write_bytes(data)
    temporary.replace(folder / token)
    return f"{FOLDER}/{token}"


def _upload_file(job: ImportJob) -> Path | None:
    if not job.upload_path:
        return None
    root = _root().resolve()
    path = (root / job.upload_path).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None


def _upload_delete(job: ImportJob) -> None:
    path = _upload_file(job)
    if path is not None:
        path.unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(upload_path="")


# Writes -------------------------------------------------------------------------------------


def job_create(*, kind: str, user, name: str, data: bytes, params: dict | None = None):
    """Store the upload and queue its preview after the transaction commits."""
    spec = kind_of(kind)
    if spec is None:
        raise LookupError(f"unknown import kind {kind!r}")
    path = _store(data)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            user=user,
            upload_path=path,
            filename=name[-200:],
            params=params or {},
        )
        spec.task.delay_on_commit(job.pk)
    return job


def job_confirm(*, job: ImportJob, user) -> bool:
    """Queue the write of a previewed job; False when it was already confirmed (a double
    click or a resubmitted form) or is not waiting. One conditional UPDATE decides, so two
    requests at the same moment confirm it once."""
    with transaction.atomic():
        confirmed = ImportJob.objects.filter(
            pk=job.pk, user=user, status=ImportJob.Status.WAITING, confirmed_at__isnull=True
        ).update(status=ImportJob.Status.QUEUED, confirmed_at=timezone.now(), progress=0)
        if confirmed:
            kind_of(job.kind).task.delay_on_commit(job.pk)
    return bool(confirmed)


def _progress_key(job_id: int) -> str:
    return f"jobs:progress:{job_id}"


def job_progress(job: ImportJob) -> int:
    """The progress to show: inside the write's transaction the row cannot be seen by other
    connections, so the runner also keeps the figure in the (shared) cache."""
    if not job.is_active:
        return job.progress
    return max(job.progress, cache.get(_progress_key(job.pk)) or 0)


def _progress_setter(job_id: int) -> Callable[[int], None]:
    def progress(value: int) -> None:
        value = max(0, min(99, int(value)))
        cache.set(_progress_key(job_id), value, 60 * 60)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job_id).update(progress=value, updated_at=timezone.now())

    return progress


def _finish(job: ImportJob, *, status: str, result: dict, error: str = "") -> None:
    job.status, job.result, job.error = status, result, error
    job.progress = 100
    job.finished_at = timezone.now()
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=status,
            result=result,
            error=error,
            progress=100,
            finished_at=job.finished_at,
            updated_at=job.finished_at,
        )
        _notify(job)
    cache.delete(_progress_key(job.pk))


def _notify(job: ImportJob) -> None:
    from franchise.notifications import notify

    spec = kind_of(job.kind)
    title = str(spec.title) if spec else job.kind
    if job.status == ImportJob.Status.WAITING:
        text = _("%(import)s: the preview of %(file)s is ready; confirm it to write it.")
    elif job.status == ImportJob.Status.DONE and job.is_applied:
        text = _("%(import)s: %(file)s has been written.")
    elif job.status == ImportJob.Status.DONE:
        text = _("%(import)s: %(file)s has been checked; there is nothing to write.")
    else:
        text = _("%(import)s: %(file)s could not be imported.")
    notify(
        recipients=[job.user],
        kind=NOTICE_KIND,
        title=text % {"import": title, "file": job.filename},
        body=job.error,
        url=reverse("jobs:status", args=[job.pk]),
    )


def job_run(*, job_id: int, kind: str | None = None) -> ImportJob | None:
    """Run the job's next step (the preview, or the write once confirmed). Never raises: a
    failure is stored on the job (failed, with the reason) for its status page. A job that is
    not queued (already run, or running in another worker) is left alone, so a repeated task
    changes nothing; one left running by a lost worker is taken up again after
    RUNNING_TIMEOUT."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        Q(status=ImportJob.Status.QUEUED)
        | Q(status=ImportJob.Status.RUNNING, updated_at__lt=now - RUNNING_TIMEOUT),
        pk=job_id,
    )
    if kind:
        claimed = claimed.filter(kind=kind)
    if not claimed.update(status=ImportJob.Status.RUNNING, progress=1, updated_at=now):
        return None
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    language = job.user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            _run(job)
        except Exception:  # the job must end, whatever the import did
            logger.exception("import job %s (%s) failed", job.pk, job.kind)
            try:
                _finish(
                    job,
                    status=ImportJob.Status.FAILED,
                    result={**job.result, "errors": []},
                    error=_(
                        "The import failed unexpectedly and nothing was written. Try again, "
                        "or contact support if it happens again."
                    ),
                )
            except Exception:
                logger.exception("import job %s could not be marked failed", job.pk)
    job.refresh_from_db()
    return job


def _run(job: ImportJob) -> None:
    spec = kind_of(job.kind)
    if spec is None or not spec.allowed(job.user) or not job.user.is_active:
        _finish(
            job,
            status=ImportJob.Status.FAILED,
            result={},
            error=_("You no longer have the right to import this file."),
        )
        return
    path = _upload_file(job)
    if path is None:
        _finish(
            job,
            status=ImportJob.Status.FAILED,
            result={},
            error=_("The uploaded file has expired: upload it again."),
        )
        return
    data = path.read_bytes()
    progress = _progress_setter(job.pk)
    if job.is_applied:
        _apply(job, spec, data, progress)
    else:
        _preview(job, spec, data, progress)


def _preview(job, spec, data, progress) -> None:
    try:
        result = spec.preview(job=job, data=data, progress=progress)
    except JobFailed as failure:
        _finish(
            job,
            status=ImportJob.Status.FAILED,
            result={"errors": failure.errors},
            error=failure.message,
        )
        _upload_delete(job)
        return
    if result.get("errors"):
        count = len(result["errors"])
        _finish(job, status=ImportJob.Status.FAILED, result=result, error=_lines_error(count))
        _upload_delete(job)
    elif result.get("can_apply"):
        _finish(job, status=ImportJob.Status.WAITING, result=result)
    else:
        _finish(job, status=ImportJob.Status.DONE, result=result)
        _upload_delete(job)


def _lines_error(count: int) -> str:
    from django.utils.translation import ngettext

    return ngettext(
        "%(n)s line has an error; nothing was written.",
        "%(n)s lines have errors; nothing was written.",
        count,
    ) % {"n": count}


def _apply(job, spec, data, progress) -> None:
    preview = job.result
    try:
        with transaction.atomic():
            written = spec.apply(job=job, data=data, progress=progress)
    except JobFailed as failure:
        _finish(
            job,
            status=ImportJob.Status.FAILED,
            result={**preview, "errors": failure.errors, "can_apply": False},
            error=failure.message,
        )
    else:
        _finish(
            job,
            status=ImportJob.Status.DONE,
            result={**preview, "applied": written, "can_apply": False},
        )
    _upload_delete(job)


# Cleanup ------------------------------------------------------------------------------------


def stale_jobs_delete(*, hours: int = KEEP_HOURS) -> int:
    """Delete the jobs nobody confirmed within `hours` (previews waiting, checked or failed)
    and their uploads; confirmed jobs stay as the record of what was imported. Called from
    portal's stale-upload cleanup (beat `portal-stale-uploads`)."""
    cutoff = timezone.now() - timedelta(hours=hours)
    stale = ImportJob.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).exclude(
        status=ImportJob.Status.RUNNING
    )
    ids = []
    for job in stale.only("pk", "upload_path"):
        path = _upload_file(job)
        if path is not None:
            path.unlink(missing_ok=True)
        ids.append(job.pk)
    ImportJob.objects.filter(pk__in=ids).delete()
    return len(ids)
