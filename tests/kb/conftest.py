"""A small knowledge base: an open category, a region-limited article and category."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from wagtail.models import Collection, PageViewRestriction
from wagtail.rich_text import RichText

from kb.models import (
    ArticlePage,
    ArticleRelatedLink,
    CategoryPage,
    KBDocument,
    KnowledgeBaseIndexPage,
)
from kb.selectors import KB_COLLECTION_NAME
from portal.models import HomePage
from portal.translations import default_locale_q


def make_article(parent, title, text, *, slug=None, summary="", regions=(), roles="", body=None):
    article = ArticlePage(
        title=title,
        slug=slug or title.lower().replace(" ", "-")[:50],
        summary=summary or f"About {title}",
        body=body or [("text", RichText(f"<p>{text}</p>"))],
        audience_roles=roles,
    )
    article.audience_regions.set(list(regions))
    parent.add_child(instance=article)
    return article


def make_category(parent, title, slug, *, regions=(), roles=""):
    category = CategoryPage(title=title, slug=slug, audience_roles=roles)
    category.audience_regions.set(list(regions))
    parent.add_child(instance=category)
    return category


def _home_page():
    """The site's home page; rebuilt when a transactional test's flush took the migrated one."""
    from wagtail.models import Collection, Locale, Page, Site

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = HomePage.objects.filter(default_locale_q(), slug="home").first()
    if home is None:
        Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=HomePage(title="Franchise portal", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
    return home


@pytest.fixture
def kb_index(db):
    home = _home_page()
    index = home.add_child(instance=KnowledgeBaseIndexPage(title="Knowledge base", slug="kb"))
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    return index


@pytest.fixture
def kb(kb_index, network):
    """An open article, a Volga-only article with a PDF, and a Volga-only category."""
    root = Collection.get_first_root_node()
    collection = root.add_child(name=KB_COLLECTION_NAME)
    document = KBDocument(title="Volga price list", collection=collection)
    document.file.save("volga-prices.pdf", ContentFile(b"%PDF-1.4 volga prices"), save=False)
    document.save()

    cash = make_category(kb_index, "Cash register", "cash")
    open_article = make_article(
        cash, "Closing the till", "Count the cash drawer at the end of every shift.", slug="till"
    )
    limited = make_article(
        cash,
        "Volga delivery schedule",
        "Trucks arrive on Mondays and Thursdays before seven.",
        slug="volga-delivery",
        regions=[network.region],
        body=[
            ("text", RichText("<p>Trucks arrive on Mondays and Thursdays before seven.</p>")),
            ("document", {"document": document, "title": "Price list"}),
        ],
    )
    ArticleRelatedLink.objects.create(article=open_article, target=limited, sort_order=0)
    volga_only = make_category(
        kb_index, "Volga promotions", "volga-promo", regions=[network.region]
    )
    in_limited_category = make_article(
        volga_only, "Autumn pie promotion", "Pies half price on Fridays.", slug="autumn-pies"
    )
    return SimpleNamespace(
        index=kb_index,
        cash=cash,
        open_article=open_article,
        limited=limited,
        volga_only=volga_only,
        in_limited_category=in_limited_category,
        document=document,
        collection=collection,
    )
