"""Text inside uploaded files, for search: PDF (pypdf), DOCX (python-docx), XLSX (openpyxl).

Runs in a Celery task after the upload commits, never in the request.
"""

from __future__ import annotations

import io
import logging

logger = logging.getLogger(__name__)

#: Enough for search; a huge spreadsheet must not fill the database.
MAX_TEXT = 500_000


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

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts, size = [], 0
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells = [str(v) for v in row if v is not None]
                if cells:
                    line = " ".join(cells)
                    parts.append(line)
                    size += len(line)
                if size > MAX_TEXT:
                    return "\n".join(parts)
    finally:
        workbook.close()
    return "\n".join(parts)


def _plain(data: bytes) -> str:
    for encoding in ("utf-8", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""
