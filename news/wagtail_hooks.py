"""Wagtail hooks of the news app (registration only)."""

from django.contrib.auth.views import redirect_to_login
from wagtail import hooks

from franchise import access

from .models import NewsPage


@hooks.register("before_serve_page")
def check_news_audience(page, request, serve_args, serve_kwargs):
    """A news item outside the reader's audience (regions, roles) answers 404, audited.

    The same rule as every news listing (`news.selectors`); other page types with an
    audience have their own check in their app's hooks.
    """
    if not isinstance(page, NewsPage):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.in_audience(request.user, page):
        access.deny(request, target=f"page:{page.pk}", action="view")
    return None
