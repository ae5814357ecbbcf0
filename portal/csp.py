"""Content-Security-Policy: a strict policy for the portal, a wider one for the Wagtail admin.

The portal's pages carry no inline script, no `<style>` block and no `style=""` attribute
(progress bars are `<progress>`/`<meter>` elements, charts are SVG with classes, behaviour
lives in static files), so `settings.CONTENT_SECURITY_POLICY` has no 'unsafe-inline' in
`script-src` or `style-src`: an injected `<script>` or `onerror=` handler does not run.

Wagtail's admin is not ours to rewrite and still ships inline scripts and style attributes
(widgets, panels, listings), so under its URL prefix the policy is widened by
`settings.CSP_ADMIN_UPDATE`. Only signed-in franchisor staff use the admin, and page previews
rendered there are the editors' own content.
"""

from __future__ import annotations

import functools

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import get_script_prefix, reverse


@functools.cache
def admin_prefix() -> str:
    """Where the Wagtail admin is mounted (path_info form, e.g. "/admin/")."""
    return "/" + reverse("wagtailadmin_home").removeprefix(get_script_prefix())


def is_admin_path(path_info: str) -> bool:
    return path_info.startswith(admin_prefix())


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's additions under the admin's prefix."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin_path(request.path_info):
            update = {key: list(value) for key, value in (parts.update or {}).items()}
            for directive, sources in settings.CSP_ADMIN_UPDATE.items():
                update.setdefault(directive, []).extend(sources)
            parts.update = update
        return parts
