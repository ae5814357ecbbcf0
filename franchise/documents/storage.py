"""Where uploaded files live: under PRIVATE_MEDIA_ROOT, outside the public media root.

The storage has no URL; files leave only through permission-checked views.
"""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Reads PRIVATE_MEDIA_ROOT on every use, so tests (and settings overrides) are honoured."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


def private_upload_to(instance, filename: str) -> str:
    """A random name under the owner's folder: the original name is kept in the database only."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    owner = instance.storage_folder() if hasattr(instance, "storage_folder") else "misc"
    return f"{owner}/{uuid.uuid4().hex}{ext}"


def private_file_response(file, *, filename: str, content_type: str):
    """A download of a private file: always an attachment, never cached by shared caches.

    With settings.PRIVATE_MEDIA_ACCEL_PREFIX (production) the web server sends the bytes
    (X-Accel-Redirect to an `internal` location); otherwise Django streams them.
    """
    from urllib.parse import quote

    from django.http import FileResponse, HttpResponse
    from django.utils.http import content_disposition_header

    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_PREFIX", "") or ""
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, max-age=0"
    response["X-Content-Type-Options"] = "nosniff"
    return response
