"""Exchange jobs: one uploaded file, processed by a Celery task with progress."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import ExchangeJob
from . import commerceml, importer

ROOT_NAME = "exchange"


def session_dir(session: str) -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / ROOT_NAME / session
    path.mkdir(parents=True, exist_ok=True)
    return path


def unzip(archive: Path, into: Path) -> None:
    """Unpack 1C's zip: plain names only, and at most EXCHANGE_UNZIPPED_LIMIT bytes counted as
    written (a zip bomb's headers lie)."""
    budget = settings.EXCHANGE_UNZIPPED_LIMIT
    with zipfile.ZipFile(archive) as bundle:
        for member in bundle.infolist():
            name = Path(member.filename).name
            if member.is_dir() or not name or name.startswith("."):
                continue
            with bundle.open(member) as source, open(into / name, "wb") as target:
                while chunk := source.read(1 << 16):
                    budget -= len(chunk)
                    if budget < 0:
                        raise importer.PackageInvalid(["the zip unpacks to more than allowed"])
                    target.write(chunk)


def job_run(*, job_id: int) -> ExchangeJob:
    job = ExchangeJob.objects.get(pk=job_id)
    if job.status in (ExchangeJob.Status.DONE, ExchangeJob.Status.FAILED):
        return job
    ExchangeJob.objects.filter(pk=job.pk).update(status=ExchangeJob.Status.RUNNING)

    def progress(percent: int) -> None:
        ExchangeJob.objects.filter(pk=job.pk).update(progress=percent)

    run = importer.offers_import if job.kind == "offers" else importer.catalogue_import
    path = Path(job.path)
    try:
        with open(path, "rb") as file:  # streamed: never the whole file in memory
            job.sha256 = hashlib.file_digest(file, "sha256").hexdigest()
        job.counts = run(path, progress=progress)
        job.status, job.progress = ExchangeJob.Status.DONE, 100
    except (importer.PackageInvalid, commerceml.PackageError, OSError) as error:
        job.status, job.error = ExchangeJob.Status.FAILED, str(error)[:5000]
    job.finished_at = timezone.now()
    job.save(update_fields=["sha256", "counts", "status", "progress", "error", "finished_at"])
    return job


def job_start(*, key, session: str, filename: str) -> ExchangeJob:
    """The job for `filename` of this exchange session (queued once; later polls read it)."""
    job = ExchangeJob.objects.filter(session=session, filename=filename).first()
    if job is not None:
        return job
    folder = session_dir(session)
    path = folder / filename
    if not path.exists():
        for archive in sorted(folder.glob("*.zip")):
            unzip(archive, folder)
    kind = "offers" if filename.startswith(("offers", "prices", "rests")) else "import"
    job = ExchangeJob.objects.create(
        key=key,
        session=session,
        kind=kind,
        filename=filename,
        path=str(path),
        size=path.stat().st_size if path.exists() else 0,
        status=ExchangeJob.Status.QUEUED,
    )
    from ..tasks import exchange_job_task

    transaction.on_commit(lambda: exchange_job_task.delay(job.pk))
    return job
