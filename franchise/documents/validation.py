"""Upload checks: size, an allow-list by extension AND by content, and no HTML or script.

A file is judged by what it is, not by its name: an HTML page renamed `.pdf`, a PNG with a
page glued to it (a polyglot a browser might render), an executable: all refused before
anything is written to disk.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

#: extension -> the content type the content must prove.
ALLOWED: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "csv": "text/csv",
}
TEXT_TYPES = {"txt", "csv"}

#: Markers of markup or script a browser would run, searched anywhere in the file.
ACTIVE_CONTENT = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|meta|link|form)"
    rb"[\s>/]|javascript:|vbscript:",
    re.IGNORECASE,
)
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"#!")


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    data: bytes


def max_upload_size() -> int:
    return getattr(settings, "DOCUMENTS_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)


def allowed_extensions_text() -> str:
    return ", ".join(sorted({e for e in ALLOWED if e != "jpeg"}))


def check_upload(upload) -> CheckedFile:
    """Return the checked file, or raise ValidationError with a message for the field."""
    name = os.path.basename(getattr(upload, "name", "") or "")[:200] or "file"
    size = getattr(upload, "size", None)
    limit = max_upload_size()
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large; the limit is %(limit)s.") % {"limit": filesizeformat(limit)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if data.startswith(EXECUTABLE_MAGIC) or _guess(data) in {"exe", "elf", "dmg", "msi"}:
        raise ValidationError(_("Programs and scripts cannot be uploaded."), code="executable")
    if extension not in ALLOWED:
        raise ValidationError(
            _("Files of this type cannot be uploaded. Allowed: %(types)s.")
            % {"types": allowed_extensions_text()},
            code="type",
        )
    if ACTIVE_CONTENT.search(data):
        raise ValidationError(
            _("The file contains web page markup or script and cannot be uploaded."),
            code="active_content",
        )
    if extension in TEXT_TYPES:
        _check_text(data)
    else:
        _check_binary(data, extension)
    return CheckedFile(name, extension, ALLOWED[extension], len(data), data)


def _guess(data: bytes) -> str | None:
    kind = filetype.guess(data)
    return kind.extension if kind else None


def _mismatch(extension: str) -> ValidationError:
    return ValidationError(
        _("The file's content is not a real .%(ext)s file.") % {"ext": extension},
        code="mismatch",
    )


def _check_binary(data: bytes, extension: str) -> None:
    kind = filetype.guess(data)
    expected = ALLOWED[extension]
    if kind is None or kind.mime != expected:
        # filetype may only see "zip" for some Office writers: look inside ourselves.
        if not (kind and kind.extension == "zip" and _office_kind(data) == extension):
            raise _mismatch(extension)
    if extension == "pdf" and not data.startswith(b"%PDF-"):
        raise _mismatch(extension)
    if extension in {"docx", "xlsx"} and _office_kind(data) != extension:
        raise _mismatch(extension)
    if extension in {"png", "jpg", "jpeg"}:
        _check_image(data, extension)


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            for member in archive.infolist():
                if member.filename.lower().endswith((".js", ".exe", ".html", ".htm", ".vbs")):
                    return None
    except (zipfile.BadZipFile, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _check_image(data: bytes, extension: str) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            fmt = image.format
    except Exception as error:
        raise _mismatch(extension) from error
    if fmt not in {"PNG", "JPEG"}:
        raise _mismatch(extension)
    # Bytes after the image's end marker are how polyglots smuggle a second file in.
    end = data.rfind(b"IEND") + 8 if fmt == "PNG" else data.rfind(b"\xff\xd9") + 2
    if end > 0 and data[end:].strip(b"\x00\r\n\t "):
        raise ValidationError(
            _("The image carries extra data after its end and cannot be uploaded."),
            code="trailing_data",
        )


def _check_text(data: bytes) -> None:
    if b"\x00" in data:
        raise ValidationError(_("A text file must not contain binary data."), code="binary")
    for encoding in ("utf-8", "cp1251"):
        try:
            data.decode(encoding)
            return
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _("The text is in an unknown encoding; save it as UTF-8."), code="encoding"
    )
