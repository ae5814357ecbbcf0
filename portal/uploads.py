"""Uploads kept under PRIVATE_MEDIA_ROOT between a preview and its confirmation (price lists,
bank statements): those never confirmed are deleted after a day (beat, `stale_uploads_delete`)."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings

#: The folders of orders.admin_views and finance.payment_views.
FOLDERS = ("price-imports", "bank-imports")
KEEP_HOURS = 24


def stale_uploads_delete(*, hours: int = KEEP_HOURS) -> int:
    """Delete the stored uploads (and their name files) older than `hours`; their count."""
    cutoff = time.time() - hours * 3600
    count = 0
    for folder in FOLDERS:
        for path in (Path(settings.PRIVATE_MEDIA_ROOT) / folder).glob("*"):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                count += 1
    return count
