"""Reads of the knowledge base, always for one user.

Visibility has two parts: an article's own audience (`franchise.access.audience_q`) and the
audience of every category above it (a category limits everything below it). Category
audiences are few, so the categories a user may not see are read once per request and turned
into path-prefix exclusions: every listing, search and check costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.html import strip_tags
from django.utils.translation import get_language
from wagtail.models import Page, ReferenceIndex

from franchise import access
from portal.search import highlight, query_terms, search_query, significant_words
from portal.translations import default_locale_q, with_shown

from . import caching
from .models import (
    ArticleFeedback,
    ArticlePage,
    ArticleRelatedLink,
    ArticleVisit,
    CategoryPage,
    KBDocument,
    SearchLog,
)

ARTICLES_PER_PAGE = 20
RESULTS_PER_PAGE = 10
SEARCH_RESULT_CAP = 200
AUTOCOMPLETE_LIMIT = 8


# Visibility ---------------------------------------------------------------------------


def hidden_category_paths(user) -> tuple[str, ...]:
    """Tree paths of categories outside `user`'s audience.

    Remembered on the user object (one request) and in the cache per audience key under the
    versions of the page tree and the category audiences, so it costs no query most times.
    """
    cached = getattr(user, "_kb_hidden_paths", None)
    if cached is not None:
        return cached
    if access.audience_of(user).unrestricted:
        paths: tuple[str, ...] = ()
    else:
        paths = caching.remember(
            ("kb-hidden-categories", caching.audience_key(user)),
            caching.CATEGORY_LABELS,
            lambda: tuple(
                CategoryPage.objects.exclude(access.audience_q(user, CategoryPage)).values_list(
                    "path", flat=True
                )
            ),
        )
    if user is not None:
        user._kb_hidden_paths = paths
    return paths


def _outside_hidden(paths: tuple[str, ...]) -> Q:
    condition = Q()
    for path in paths:
        condition &= ~Q(path__startswith=path)
    return condition


def visible_articles(user) -> QuerySet[ArticlePage]:
    """Live articles `user` may read: its own audience and every category above it."""
    if not (user and user.is_authenticated):
        return ArticlePage.objects.none()
    return (
        ArticlePage.objects.live()
        .filter(default_locale_q())
        .filter(access.audience_q(user, ArticlePage))
        .filter(_outside_hidden(hidden_category_paths(user)))
    )


def visible_categories(user) -> QuerySet[CategoryPage]:
    if not (user and user.is_authenticated):
        return CategoryPage.objects.none()
    return (
        CategoryPage.objects.live()
        .filter(default_locale_q())
        .filter(_outside_hidden(hidden_category_paths(user)))
    )


def language() -> str:
    """The active language's code, as the translations are looked up (`ru`, `en`)."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def in_default_language() -> bool:
    return language() == settings.LANGUAGE_CODE.split("-")[0]


def live_translations(pages: QuerySet) -> QuerySet[ArticlePage]:
    """Live articles in the active language translating one of `pages` (none in English)."""
    if in_default_language():
        return ArticlePage.objects.none()
    return ArticlePage.objects.live().filter(
        locale__language_code=language(), translation_key__in=pages.values("translation_key")
    )


def page_visible_to(user, page: Page) -> bool:
    """The serving check for one KB page (an index, category or article).

    The answer for a stored page depends only on the page and the reader's audience key: it is
    cached per both under the versions of the tree and every KB audience.
    """
    if not (user and user.is_authenticated):
        return False
    if access.audience_of(user).unrestricted:
        return True
    return caching.remember(
        ("kb-page-visible", page.pk, page.path, caching.audience_key(user)),
        caching.VISIBILITY_LABELS,
        lambda: _page_visible_to(user, page),
    )


def _page_visible_to(user, page: Page) -> bool:
    if any(page.path.startswith(path) for path in hidden_category_paths(user)):
        return False
    specific = page.specific
    if isinstance(specific, ArticlePage | CategoryPage):
        return access.in_audience(user, specific)
    return True


def document_visible_to(user, document: KBDocument) -> bool | None:
    """May `user` download `document`? None when the document is not the KB's business.

    A document counts as the knowledge base's when an article links it (Wagtail's reference
    index knows every link, from StreamField blocks and rich text alike) or it sits in the KB
    collection; then the reader must be able to see at least one live article that uses it.
    """
    references = ReferenceIndex.get_references_to(document).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    page_ids = {int(pk) for pk in references.values_list("object_id", flat=True)}
    # A file linked from a translation counts as linked from the page it translates.
    keys = set(
        ArticlePage.objects.filter(pk__in=page_ids).values_list("translation_key", flat=True)
    )
    in_kb_collection = document.collection.name == KB_COLLECTION_NAME
    if not keys and not in_kb_collection:
        return None
    if access.audience_of(user).unrestricted:
        return True
    return visible_articles(user).filter(translation_key__in=keys).exists()


KB_COLLECTION_NAME = "Knowledge base"


# Category trails ----------------------------------------------------------------------


def category_index(user) -> dict[str, CategoryPage]:
    """All categories the user may see, by tree path, each with `.shown` (its live
    translation in the active language, or itself): two queries give every breadcrumb.

    Remembered on the user object (one request) and cached per audience key and language
    under the versions of the tree and the category audiences.
    """
    code = language()
    memo = getattr(user, "_kb_category_index", None) or {}
    if code in memo:
        return memo[code]

    def compute():
        found = visible_categories(user).only(
            "id", "path", "depth", "title", "url_path", "translation_key"
        )
        return {c.path: c for c in with_shown(found, CategoryPage)}

    categories = caching.remember(
        (
            "kb-category-index",
            caching.audience_key(user),
            bool(user and user.is_authenticated),
            code,
        ),
        caching.CATEGORY_LABELS,
        compute,
    )
    if user is not None:
        user._kb_category_index = {**memo, code: categories}
    return categories


def shown_category(user, category: CategoryPage) -> CategoryPage:
    """What a reader sees of `category`: its live translation from the (cached) category
    index, or the page itself."""
    listed = category_index(user).get(category.path)
    if listed is not None and listed.shown is not listed:
        return listed.shown
    return category


def trail_for(path: str, categories: dict[str, CategoryPage]) -> list[CategoryPage]:
    steps = Page.steplen
    return [
        categories[path[:end]] for end in range(steps, len(path), steps) if path[:end] in categories
    ]


# Pages --------------------------------------------------------------------------------


def home_shared_context(user, index_page) -> dict:
    """The index's categories (with article counts) and recent changes (cached by kb.caching)."""
    articles = visible_articles(user)
    categories = category_index(user)
    top = [c for c in categories.values() if c.depth == index_page.depth + 1]
    top.sort(key=lambda c: c.path)
    counts = dict.fromkeys((c.path for c in top), 0)
    for path in articles.values_list("path", flat=True):
        key = path[: len(index_page.path) + Page.steplen]
        if key in counts:
            counts[key] += 1
    recent = with_shown(
        articles.order_by("-last_published_at").only(
            "id", "title", "path", "url_path", "summary", "last_published_at", "translation_key"
        )[:8],
        ArticlePage,
    )
    return {
        "categories": [{"page": c, "articles": counts[c.path]} for c in top],
        "recently_updated": [{"page": a, "trail": trail_for(a.path, categories)} for a in recent],
    }


def recently_viewed(user) -> list[ArticlePage]:
    """The reader's last five articles they may still see."""
    viewed = (
        ArticleVisit.objects.filter(user=user, article__in=visible_articles(user).values("pk"))
        .select_related("article")
        .only(
            "last_viewed_at",
            "article__title",
            "article__url_path",
            "article__path",
            "article__translation_key",
        )
        .order_by("-last_viewed_at")[:5]
    )
    return with_shown([v.article for v in viewed], ArticlePage)


def home_context(request, index_page) -> dict:
    return {
        "fragments": caching.index_parts(request, index_page),
        "recently_viewed": recently_viewed(request.user),
    }


def category_context(user, category, page_number) -> dict:
    categories = category_index(user)
    children = sorted(
        (
            c
            for c in categories.values()
            if c.path.startswith(category.path) and c.depth == category.depth + 1
        ),
        key=lambda c: c.shown.title,
    )
    articles = (
        visible_articles(user)
        .child_of(category)
        .only("id", "title", "path", "url_path", "summary", "last_published_at", "translation_key")
        .order_by(shown_title_order())
    )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(page_number)
    page.object_list = with_shown(page.object_list, ArticlePage)
    return {
        "breadcrumbs": trail_for(category.path, categories),
        "subcategories": children,
        "articles": page,
        "page_obj": page,
    }


def shown_title_order():
    """Articles in the alphabetical order of the titles the reader sees: the live
    translation's in the active language, or their own (no extra query: a subquery)."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    if in_default_language():
        return "title"
    translated = ArticlePage.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=language(), live=True
    ).values("title")[:1]
    return Coalesce(Subquery(translated), "title").asc()


def article_shared_context(user, article, shown=None) -> dict:
    """What everyone with `user`'s audience sees around an article (cached by kb.caching);
    its contents and tags from `shown`, the text the reader sees (the article by default)."""
    shown = shown or article
    categories = category_index(user)
    related = with_shown(
        visible_articles(user)
        .filter(pk__in=ArticleRelatedLink.objects.filter(article=article).values("target_id"))
        .only("id", "title", "path", "url_path", "summary", "translation_key")
        .order_by("title"),
        ArticlePage,
    )
    return {
        "breadcrumbs": trail_for(article.path, categories),
        "related_articles": related,
        "toc": shown.toc if _long_enough_for_toc(shown) else [],
        "tags": list(shown.tags.all()),
    }


def feedback_context(user, article) -> dict:
    """The reader's own vote and everyone's votes on an article."""
    votes = ArticleFeedback.objects.filter(article=article).aggregate(
        yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
    )
    return {
        "my_feedback": ArticleFeedback.objects.filter(article=article, user=user).first(),
        "votes": votes,
    }


def article_context(request, article, shown=None) -> dict:
    """The article page: cached fragments around the body (the text of `shown`), the live
    view count."""
    fragments, feedback = caching.article_page_parts(request, article, shown or article)
    return {
        "fragments": fragments,
        "feedback": feedback,
        "view_count": article_view_count(article),
    }


def _long_enough_for_toc(article) -> bool:
    return sum(1 for b in article.body.raw_data if b["type"] == "heading") >= 3


def article_view_count(article) -> int:
    return ArticleVisit.objects.filter(article=article).aggregate(n=Sum("views"))["n"] or 0


def article_for_user(user, article_id: int) -> ArticlePage | None:
    return visible_articles(user).filter(pk=article_id).first()


# Search -------------------------------------------------------------------------------


@dataclass
class SearchHit:
    article: ArticlePage  # the default-locale page: its link, audience and clicks
    trail: list
    snippet: str
    title_match: bool

    @property
    def shown(self) -> ArticlePage:
        return self.article.shown


def clean_query(raw: str | None, max_length: int) -> str:
    """Plain words only (`portal.search`): the search backend never sees its own syntax."""
    return search_query(raw, max_length=max_length)


def search_scope(user, *, category: CategoryPage | None = None, tag: str = ""):
    """The articles a search may return, as a plain id filter the search backend accepts:
    the visible default-locale articles and their live translations in the active language
    (`as_shown` maps a hit on a translation back to its page)."""
    scope = visible_articles(user)
    if category is not None:
        scope = scope.descendant_of(category)
    if tag:  # the tag of the article or of one of its live translations
        tagged = ArticlePage.objects.live().filter(tags__name__iexact=tag)
        scope = scope.filter(translation_key__in=tagged.values("translation_key"))
    ids = Q(pk__in=scope.values("pk")) | Q(pk__in=live_translations(scope).values("pk"))
    return ArticlePage.objects.live().filter(pk__in=ArticlePage.objects.filter(ids).values("pk"))


def as_shown(hits: list[ArticlePage]) -> list[ArticlePage]:
    """Search `hits` (default-locale articles and translations) as their default-locale
    articles, each once in its first place, with `.shown`: one query in a translated
    language, none in the default one."""
    if in_default_language():
        return with_shown(hits, ArticlePage)
    keys = list(dict.fromkeys(hit.translation_key for hit in hits))
    rows = (
        ArticlePage.objects.filter(translation_key__in=keys)
        .filter(default_locale_q() | Q(locale__language_code=language(), live=True))
        .select_related("locale")
    )
    pages, shown = {}, {}
    for row in rows:
        if row.locale.language_code == language():
            shown[row.translation_key] = row
        else:
            pages[row.translation_key] = row
    found = []
    for key in keys:
        if key in pages:
            pages[key].shown = shown.get(key, pages[key])
            found.append(pages[key])
    return found


def search_articles(user, query: str, *, category=None, tag: str = "") -> list[SearchHit]:
    """Ranked hits: title matches first (in relevance order), then body-only matches.

    Tries every word first (the precise answer) and falls back to any word, so a long question
    still finds something.
    """
    words = significant_words(query)
    if not words:
        return []
    scope = search_scope(user, category=category, tag=tag)
    for operator in ("and", "or"):
        results = list(scope.search(words, operator=operator)[:SEARCH_RESULT_CAP])
        if results or len(words.split()) == 1:
            break
    if not results:
        return []
    titled = {
        a.translation_key
        for a in scope.search(words, fields=["title"], operator=operator)[:SEARCH_RESULT_CAP]
    }
    ordered = [a for a in results if a.translation_key in titled] + [
        a for a in results if a.translation_key not in titled
    ]
    categories = category_index(user)
    terms = query_terms(query)
    return [
        SearchHit(
            article=a,
            trail=trail_for(a.path, categories),
            snippet=highlight(article_text(a.shown), terms),
            title_match=a.translation_key in titled,
        )
        for a in as_shown(ordered)
    ]


def autocomplete_articles(user, query: str) -> list[ArticlePage]:
    """Default-locale articles (each once, with `.shown`) whose title or summary, or their
    translation's in the active language, starts with `query`'s words."""
    if not query:
        return []
    scope = search_scope(user)
    return as_shown(list(scope.autocomplete(query)[: AUTOCOMPLETE_LIMIT * 2]))[:AUTOCOMPLETE_LIMIT]


def article_text(article: ArticlePage) -> str:
    """Plain text of summary and body from the raw stream (no queries for images/documents)."""
    parts = [article.summary]
    for block in article.body.raw_data:
        value = block["value"]
        if block["type"] == "text":
            parts.append(strip_tags(value))
        elif block["type"] == "heading":
            parts.append(value.get("text", ""))
        elif block["type"] == "callout":
            parts.append(strip_tags(value.get("text", "")))
        elif block["type"] == "steps":
            for step in value.get("steps", []):
                step_value = step.get("value", step)
                parts.append(step_value.get("title", ""))
                parts.append(strip_tags(step_value.get("text", "")))
    return " ".join(" ".join(p.split()) for p in parts if p)


def role_label(user) -> str:
    """What the searcher was, for the query log: editor, lead, or their unit roles."""
    if not (user and user.is_authenticated):
        return ""
    audience = access.audience_of(user)  # read once per request anyway
    if user.is_active and not audience.unrestricted:  # neither editor, lead nor superuser
        return ",".join(sorted(audience.roles))
    if user.is_superuser or user.groups.filter(name=access.EDITORS).exists():
        return "editor"
    if access.has_network_right(user):
        return "lead"
    return ",".join(sorted(access.audience_of(user).roles))


def filter_tags(user) -> list[str]:
    """Tags used by articles the user may see, for the search filter (cached per audience)."""
    from taggit.models import Tag

    return caching.remember(
        (
            "kb-filter-tags",
            caching.audience_key(user),
            bool(user and user.is_authenticated),
            language(),
        ),
        caching.TAG_LABELS,
        lambda: list(
            Tag.objects.filter(kb_articletag_items__content_object__in=shown_ids(user))
            .values_list("name", flat=True)
            .distinct()
            .order_by("name")
        ),
    )


def shown_ids(user) -> QuerySet:
    """Ids of what the reader sees of the visible articles: the live translation in the
    active language where there is one, the article itself otherwise."""
    visible = visible_articles(user)
    translated = live_translations(visible)
    untranslated = visible.exclude(translation_key__in=translated.values("translation_key"))
    ids = Q(pk__in=untranslated.values("pk")) | Q(pk__in=translated.values("pk"))
    return ArticlePage.objects.filter(ids).values("pk")


# Editors' reports ---------------------------------------------------------------------


def unanswered_queries(since: date | None = None) -> QuerySet:
    """Queries grouped by text, most frequent first, that found nothing or got no click."""
    logs = SearchLog.objects.all()
    if since:
        logs = logs.filter(created_at__date__gte=since)
    return (
        logs.values("query")
        .annotate(
            searches=Count("pk"),
            zero_results=Count("pk", filter=Q(result_count=0)),
            no_click=Count("pk", filter=Q(result_count__gt=0, clicked_article__isnull=True)),
        )
        .filter(Q(zero_results__gt=0) | Q(no_click__gt=0))
        .order_by("-searches", "query")
    )


def articles_due_for_review(today: date, months: int) -> QuerySet[ArticlePage]:
    """Live articles never reviewed, or last reviewed more than `months` ago."""
    cutoff = today - relativedelta(months=months)
    return (
        ArticlePage.objects.live()
        .filter(default_locale_q())
        .filter(Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lt=cutoff))
        .select_related("article_owner")
        .order_by("last_reviewed_on", "title")
    )
