"""HTML to PDF with xhtml2pdf: embedded DejaVu fonts (Cyrillic) and no reads outside our roots.

Templates extend `pdf/base.html`, which declares the fonts. Every URL the template refers to
goes through `link_callback`: only files under STATIC_ROOT, the app static dirs and MEDIA_ROOT
are allowed; anything else (file:///etc/passwd, http://...) is replaced by nothing.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from xhtml2pdf import pisa


class PdfError(RuntimeError):
    pass


def _inside(path: Path, root) -> bool:
    try:
        path.resolve().relative_to(Path(root).resolve())
    except ValueError:
        return False
    return True


def link_callback(uri: str, rel: str | None = None) -> str:
    """Map a static/media URL to a local file; refuse everything else."""
    if uri.startswith(settings.STATIC_URL):
        relative = uri[len(settings.STATIC_URL) :]
        found = finders.find(relative)
        if found and (".." not in Path(relative).parts):
            return found
    elif uri.startswith(settings.MEDIA_URL):
        candidate = Path(settings.MEDIA_ROOT) / uri[len(settings.MEDIA_URL) :]
        if _inside(candidate, settings.MEDIA_ROOT) and candidate.is_file():
            return str(candidate.resolve())
    return ""


def render_pdf(template: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes. User text is escaped by the template engine."""
    html = render_to_string(template, context)
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=link_callback)
    if result.err:
        raise PdfError(f"PDF rendering failed with {result.err} error(s)")
    return out.getvalue()
