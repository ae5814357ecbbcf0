"""Photos taken during a visit: a size limit and a real image (Pillow decodes it)."""

from __future__ import annotations

import io
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from franchise.documents.validation import CheckedFile

FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


def max_photo_size() -> int:
    return getattr(settings, "VISITS_PHOTO_MAX_BYTES", 8 * 1024 * 1024)


def check_photo(upload) -> CheckedFile:
    """The checked photo, or ValidationError with a message for the item's field.

    The type comes from what Pillow finds in the bytes, never from the name or the browser.
    """
    limit = max_photo_size()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The photo is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The photo is too large; the limit is %(limit)s.") % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a photo (JPEG, PNG or WebP)."), code="image"
        ) from None
    if kind not in FORMATS:
        raise ValidationError(_("This file is not a photo (JPEG, PNG or WebP)."), code="image")
    content_type, ext = FORMATS[kind]
    stem = os.path.splitext(os.path.basename(getattr(upload, "name", "") or ""))[0][:80] or "photo"
    return CheckedFile(
        name=f"{stem}.{ext}", extension=ext, content_type=content_type, size=len(data), data=data
    )
