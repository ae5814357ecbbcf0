"""Uploads previewed but never confirmed are deleted after a day, from beat (the background
imports' own jobs and uploads: tests/jobs/test_imports.py)."""

import os
import time

from django.conf import settings

from portal.tasks import stale_uploads_delete_task


def test_unconfirmed_uploads_older_than_a_day_are_deleted(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    old, fresh = [], []
    for folder in ("price-imports", "bank-imports"):
        (tmp_path / folder).mkdir()
        stale = tmp_path / folder / "abc123"
        stale.write_bytes(b"SKU,Price\n")
        day_ago = time.time() - 25 * 3600
        os.utime(stale, (day_ago, day_ago))
        old.append(stale)
        new = tmp_path / folder / "def456"
        new.write_bytes(b"SKU,Price\n")
        fresh.append(new)
    assert stale_uploads_delete_task.delay().get() == 2
    assert not any(p.exists() for p in old) and all(p.exists() for p in fresh)


def test_the_cleanup_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["portal-stale-uploads"]
    assert entry["task"] == "portal.tasks.stale_uploads_delete_task"
