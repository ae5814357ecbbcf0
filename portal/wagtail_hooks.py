"""Wagtail hooks of the portal app (registration only)."""

from django.contrib.auth.views import redirect_to_login
from wagtail import hooks

from franchise import access
from franchise.models import PageAudience


@hooks.register("before_serve_page")
def check_page_audience(page, request, serve_args, serve_kwargs):
    """The one place that applies a page's audience (regions, roles) when it is served.

    Covers every page type with `PageAudience` fields: someone outside the audience gets the
    same 404 as for a page that does not exist, and the refusal is audited.
    """
    if not isinstance(page, PageAudience):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.in_audience(request.user, page):
        access.deny(request, target=f"page:{page.pk}", action="view")
    return None
