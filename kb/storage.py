"""Where knowledge-base attachments live: outside MEDIA_ROOT, so no web server can hand them out.

Every download goes through Wagtail's document view, which runs the audience hook first.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateDocumentStorage(FileSystemStorage):
    """Resolves PRIVATE_MEDIA_ROOT on every use, so tests that move it are honoured."""

    @property
    def base_location(self):
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / "kb-documents")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        # No public URL: Wagtail's serve view then streams the file after its hooks ran.
        raise NotImplementedError("KB documents have no direct URL")


def private_document_storage():
    return PrivateDocumentStorage()
