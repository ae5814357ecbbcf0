"""What the knowledge base keeps in the cache, always under the data versions of what it read.

Everything an article page shows except the reader's own traces depends only on the page and
on the reader's *audience* (regions and roles, or "everyone" for network staff): the category
trail, the body, the contents, the tags, the related articles a reader may see. So it is
rendered once per page, language, time zone, site and audience key, under the versions
(`portal.versions`) of every table it reads; any write to one of them gives a new key, so a
cached copy is never stale and never crosses audiences. The "was this helpful?" form (a CSRF
token, the reader's vote) is kept per person and CSRF secret; the view count is read live.

Labels are models, never the whole `kb` app: every article view writes `kb.ArticleVisit`,
which would otherwise throw the cache away on every request.
"""

from __future__ import annotations

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from franchise import access
from portal import versions

#: The page tree and the category audiences: who may see which category.
CATEGORY_LABELS = (
    "wagtailcore.Page",
    "kb.CategoryPage",
    "kb.CategoryPage_audience_regions",
)
#: ... and the article audiences: who may see which page.
VISIBILITY_LABELS = (
    *CATEGORY_LABELS,
    "kb.ArticlePage",
    "kb.ArticlePage_audience_regions",
)
#: Everything the article fragment reads: pages, related links, tags, files, images, embeds,
#: sites and locales (URLs), collections.
ARTICLE_LABELS = (
    *VISIBILITY_LABELS,
    "wagtailcore",
    "kb.ArticleRelatedLink",
    "kb.ArticleTag",
    "kb.KBDocument",
    "taggit",
    "wagtailimages",
    "wagtailembeds",
)
FEEDBACK_LABELS = ("kb.ArticleFeedback",)
#: Tags of the articles a reader may see.
TAG_LABELS = (*VISIBILITY_LABELS, "kb.ArticleTag", "taggit")
VIEW_RESTRICTION_LABELS = ("wagtailcore.Page", "wagtailcore.PageViewRestriction")


def audience_key(user) -> tuple:
    """What every audience rule depends on: one cached copy serves everyone with the same key."""
    audience = access.audience_of(user)
    if audience.unrestricted:
        return ("everyone",)
    return ("limited", tuple(sorted(audience.region_ids)), tuple(sorted(audience.roles)))


def remember(parts, labels, compute, *, token: str | None = None):
    """`compute()`'s (picklable) result, kept under `parts` and the versions of `labels`.

    `token`: `versions.token(labels)` when the caller already has it (one cache round trip
    less per value).
    """
    return versions.cached(("kb", *parts), labels, compute, tokens=token or "")


def _site_id(request):
    from wagtail.models import Site

    site = Site.find_for_request(request)
    return site.pk if site else None


#: The cached pieces of an article page and their templates.
ARTICLE_PARTS = {
    "breadcrumbs": "kb/includes/breadcrumbs.html",
    "tags": "kb/includes/article_tags.html",
    "body": "kb/includes/body.html",
    "aside": "kb/includes/article_aside.html",
}


def article_page_parts(request, article, shown=None) -> tuple[dict[str, SafeString], SafeString]:
    """The article's shared fragments (trail, tags, body, contents, related articles: per
    audience key) and the reader's "was this helpful?" box (per person and CSRF secret).

    One version token serves both. A preview (unsaved content) is rendered fresh, never stored.
    The text is `shown`'s (the live translation in the reader's language), kept per language.
    """
    from . import selectors

    user = request.user
    csrf_token = get_token(request)
    shown = shown or article

    def render_shared() -> dict[str, SafeString]:
        context = {"page": article, "shown": shown, "request": request}
        context.update(selectors.article_shared_context(user, article, shown))
        return {name: render_to_string(tpl, context) for name, tpl in ARTICLE_PARTS.items()}

    def render_feedback() -> SafeString:
        context = {"page": article, "shown": shown, "request": request, "csrf_token": csrf_token}
        context.update(selectors.feedback_context(user, article))
        return render_to_string("kb/includes/article_feedback.html", context)

    if getattr(request, "is_preview", False):
        return render_shared(), render_feedback()
    token = versions.token((*ARTICLE_LABELS, *FEEDBACK_LABELS))
    language = get_language()
    shared = remember(
        (
            "kb-article",
            article.pk,
            language,
            timezone.get_current_timezone_name(),
            _site_id(request),
            audience_key(user),
        ),
        (),
        render_shared,
        token=token,
    )
    feedback = remember(
        ("kb-feedback", article.pk, user.pk, language, request.META["CSRF_COOKIE"]),
        (),
        render_feedback,
        token=token,
    )
    return shared, feedback


def _shared_parts(request) -> tuple:
    """What a page's shared fragment depends on besides its data: language, zone, site, audience."""
    return (
        get_language(),
        timezone.get_current_timezone_name(),
        _site_id(request),
        audience_key(request.user),
    )


def index_parts(request, index_page) -> dict:
    """The index's categories and recently updated articles, per audience key and language,
    and under "shown" what the reader sees of the index itself (its live translation in the
    active language, or the page): kept with the fragments, so a translated language costs
    no query more than the default one on a warm cache."""
    from . import selectors
    from .models import shown_for

    def render() -> dict:
        context = {"page": index_page, "request": request}
        context.update(selectors.home_shared_context(request.user, index_page))
        parts = {name: render_to_string(tpl, context) for name, tpl in INDEX_PARTS.items()}
        return {"shown": shown_for(request, index_page), **parts}

    if getattr(request, "is_preview", False):
        return render()
    parts = ("kb-index", index_page.pk, index_page.path, *_shared_parts(request))
    return remember(parts, ARTICLE_LABELS, render)


INDEX_PARTS = {
    "categories": "kb/includes/index_categories.html",
    "recent": "kb/includes/index_recent.html",
}


def category_content(request, category, shown=None) -> SafeString:
    """A category page's trail, subcategories and articles (one page of them), per audience
    and language; its title and introduction from `shown` (the live translation)."""
    from . import selectors

    def render() -> SafeString:
        context = {"page": category, "shown": shown or category, "request": request}
        context.update(selectors.category_context(request.user, category, request.GET.get("page")))
        return render_to_string("kb/includes/category_content.html", context)

    if getattr(request, "is_preview", False):
        return render()
    parts = (
        "kb-category",
        category.pk,
        request.GET.urlencode(),
        *_shared_parts(request),
    )
    return remember(parts, ARTICLE_LABELS, render)
