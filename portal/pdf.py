"""HTML to PDF with xhtml2pdf: embedded DejaVu fonts (Cyrillic) and no reads outside our roots.

Templates extend `pdf/base.html`, which declares the fonts. Every URL the template refers to
goes through `link_callback`: only files under STATIC_ROOT, the app static dirs and MEDIA_ROOT
are allowed; anything else (file:///etc/passwd, http://...) is replaced by nothing.

Two more locks behind that one, because xhtml2pdf falls back to the original URL when the
callback returns nothing: a resource policy that allows no network at all and local reads
only under those same roots, with limits on size, count and render time; and reportlab's
colour parser kept on its literal-only evaluator, so a colour string made of user text
(CVE-2023-33733, `[[[...]]]`) is never evaluated as code. User text is escaped by the
template engine (autoescape), so `<b>` or `<font color=...>` in it is printed, not obeyed.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from reportlab import rl_config
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

# Never `eval` a colour: reportlab's safe default, pinned so no other import can loosen it.
rl_config.toColorCanUse = "rl_extended_literal_eval"
rl_config.trustedHosts = None


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
        if ".." in Path(relative).parts:
            return ""
        try:
            found = finders.find(relative)
        except SuspiciousFileOperation:
            return ""
        if found:
            return found
    elif uri.startswith(settings.MEDIA_URL):
        candidate = Path(settings.MEDIA_ROOT) / uri[len(settings.MEDIA_URL) :]
        if _inside(candidate, settings.MEDIA_ROOT) and candidate.is_file():
            return str(candidate.resolve())
    return ""


def resource_roots() -> tuple[Path, ...]:
    """The directories a PDF may read from: the static roots (collected and per app) and media."""
    roots = {Path(settings.STATIC_ROOT), Path(settings.MEDIA_ROOT)}
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.add(Path(location))
    return tuple(sorted(roots))


def resource_policy(max_seconds: float | None = None) -> ResourceAccessPolicy:
    """No network, local reads only under `resource_roots()`, xhtml2pdf's server limits
    (a render may take 60 s; `max_seconds` for background jobs that may take longer)."""
    policy = ResourceAccessPolicy.server(
        base_dir=None,
        extra_roots=resource_roots(),
        allow_remote=False,
        allowed_hosts=frozenset(),
    )
    return replace(policy, max_render_seconds=max_seconds) if max_seconds else policy


def render_pdf(template: str, context: dict, *, max_seconds: float | None = None) -> bytes:
    """Render a Django template to PDF bytes. User text is escaped by the template engine.

    Renders in a request keep xhtml2pdf's server limit; a Celery job building a PDF of the
    whole network passes `max_seconds=settings.PDF_JOB_MAX_SECONDS`.
    """
    html = render_to_string(template, context)
    out = io.BytesIO()
    result = pisa.CreatePDF(
        html,
        dest=out,
        encoding="utf-8",
        link_callback=link_callback,
        resource_policy=resource_policy(max_seconds),
    )
    if result.err:
        raise PdfError(f"PDF rendering failed with {result.err} error(s)")
    return out.getvalue()
