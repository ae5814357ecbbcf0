"""Text inside uploaded files, for search: PDF (pypdf), DOCX (python-docx), XLSX (openpyxl).

Runs in a Celery task after the upload commits, never in the request. DOCX and XLSX are ZIP
containers: they pass the guarded reader (`portal.safe_files`) first, so a zip bomb or an
entity bomb is refused (the version is marked "failed") instead of filling the worker.
"""

from __future__ import annotations

import io
import logging

from portal.safe_files import Limits, xlsx_sheets, zip_members

logger = logging.getLogger(__name__)

#: Enough for search; a huge spreadsheet must not fill the database.
MAX_TEXT = 500_000
#: Containers of documents are larger than imports: allow big, but bounded, workbooks.
LIMITS = Limits(
    max_bytes=200 * 2**20, max_uncompressed=400 * 2**20, max_rows=200_000, max_cols=1000
)


def extract_text(data: bytes, extension: str) -> str:
    extractor = {
        "pdf": _pdf,
        "docx": _docx,
        "xlsx": _xlsx,
        "txt": _plain,
        "csv": _plain,
    }.get(extension)
    if extractor is None:
        return ""
    text = extractor(data)
    return " ".join(text.split())[:MAX_TEXT]


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts = []
    for page in reader.pages:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > MAX_TEXT:
            break
    return "\n".join(parts)


def _docx(data: bytes) -> str:
    import docx

    zip_members(data, limits=LIMITS)
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    parts, size = [], 0
    sheets = xlsx_sheets(data, limits=LIMITS)
    try:
        for title, rows in sheets:
            parts.append(title)
            for row in rows:
                cells = [str(v) for v in row if v is not None]
                if cells:
                    line = " ".join(cells)
                    parts.append(line)
                    size += len(line)
                if size > MAX_TEXT:
                    return "\n".join(parts)
    finally:
        sheets.close()  # closes the workbook however the loop ends
    return "\n".join(parts)


def _plain(data: bytes) -> str:
    for encoding in ("utf-8", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""
