"""Building news pages in tests (the page tree needs Wagtail's add_child)."""

from datetime import date

from django.utils.text import slugify

from news.models import NewsIndexPage, NewsPage
from portal.models import HomePage
from portal.translations import default_locale_q


def news_index() -> NewsIndexPage:
    index = NewsIndexPage.objects.first()
    if index is None:
        index = NewsIndexPage(title="News", slug="news")
        HomePage.objects.get(default_locale_q()).add_child(instance=index)
    return index


def make_news(title, *, regions=(), roles="", pinned=False, day=None, live=True) -> NewsPage:
    page = NewsPage(
        title=title,
        slug=slugify(title) or f"news-{NewsPage.objects.count() + 1}",
        summary=f"Summary of {title}",
        body=f"<p>Body of {title}</p>",
        pinned=pinned,
        audience_roles=roles,
        date=day or date(2026, 11, 1),
        live=live,
    )
    page.audience_regions = list(regions)
    news_index().add_child(instance=page)
    return page
