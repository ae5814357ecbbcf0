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
