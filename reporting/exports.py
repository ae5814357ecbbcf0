"""CSV, XLSX and PDF out of the tables the pages show, and the background export jobs."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from portal.pdf import render_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_cell(value):
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_bytes(columns: list[str], rows: Iterable[Iterable]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_safe_cell("" if v is None else v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(columns: list[str], rows: Iterable[Iterable], *, title: str = "Report") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Report")
    sheet.append([str(c) for c in columns])
    for row in rows:
        sheet.append([_safe_cell(_plain(v)) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return None
    if hasattr(value, "isoformat") or isinstance(value, int | float | str):
        return value
    return str(value)


def table_response(name: str, columns: list[str], rows, fmt: str) -> HttpResponse:
    """A download of a table shown on a page (`?format=csv` or `?format=xlsx`)."""
    rows = list(rows)
    stem = slugify(name) or "report"
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(columns, rows, title=stem), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    else:
        response = HttpResponse(csv_bytes(columns, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def bar_rows(items: list[tuple[str, float]], *, width: int = 100) -> list[dict]:
    """Bars for PDFs (xhtml2pdf draws no SVG): label, value and a width in percent."""
    top = max((abs(v) for _, v in items), default=0) or 1
    rows = []
    for label, v in items:
        pct = int(abs(v) / top * width)
        # Block characters (DejaVu has them): xhtml2pdf has no SVG and breaks on tiny cells.
        rows.append({"label": label, "value": v, "pct": pct, "blocks": "█" * max(1, pct // 4)})
    return rows


# Jobs -------------------------------------------------------------------------------


def build_job_file(job, progress: Callable[[int], None]) -> tuple[bytes, str]:
    if job.kind == "summary_pdf":
        from .summaries import portfolio_summary

        context = portfolio_summary(job.user, params=job.params, progress=progress)
        progress(90)
        data = render_pdf("pdf/report_summary.html", context)
        stamp = timezone.localdate().isoformat()
        return data, f"summary-{slugify(context['template'].slug)}-{stamp}.pdf"
    raise ValueError(f"unknown export kind {job.kind}")
