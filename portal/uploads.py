"""Uploads kept under PRIVATE_MEDIA_ROOT between a preview and its confirmation (price lists,
bank statements): those never confirmed are deleted after a day (beat, `stale_uploads_delete`).

Apps that keep such uploads with rows of their own (the background imports of `jobs`) add
their cleanup with `register_cleanup`, so this module imports no app."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

#: The folders of the import uploads (jobs.services keeps its files in "imports"; the other
#: two are those of the screens from before the background jobs, swept for old files).
FOLDERS = ("price-imports", "bank-imports", "imports")
KEEP_HOURS = 24

_cleanups: list[Callable[..., int]] = []


def register_cleanup(function: Callable[..., int]) -> None:
    """`function(hours=...)` deletes what is stale and returns how many it deleted."""
    if function not in _cleanups:
        _cleanups.append(function)


def stale_uploads_delete(*, hours: int = KEEP_HOURS) -> int:
    """Delete the stored uploads (and their name files) older than `hours`, and whatever the
    registered cleanups find stale; their count."""
    count = sum(cleanup(hours=hours) for cleanup in _cleanups)
    cutoff = time.time() - hours * 3600
    for folder in FOLDERS:
        for path in (Path(settings.PRIVATE_MEDIA_ROOT) / folder).glob("*"):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                count += 1
    return count
