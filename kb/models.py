"""Knowledge base: an index, nested categories and articles, plus what readers leave behind.

Pages stay thin: who may see what is decided by `franchise.access` (the audience rule) and
`kb.selectors` (which also applies the audience of every category above an article); the
serving check is one `before_serve_page` hook in `kb.wagtail_hooks`.
"""

from django.conf import settings
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.documents.models import AbstractDocument
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from franchise.models import PageAudience

from .blocks import ArticleBodyBlock, table_of_contents
from .storage import private_document_storage

AUDIENCE_PANEL = MultiFieldPanel(
    [FieldPanel("audience_regions"), FieldPanel("audience_roles")],
    heading=_("Audience"),
    help_text=_("Leave empty for everyone signed in. A category's audience limits its articles."),
)


def editors_only() -> models.Q:
    """Content owners are the franchisor's editors (or superusers); no join, no duplicates."""
    from django.contrib.auth import get_user_model

    from franchise.access import EDITORS

    memberships = get_user_model().groups.through.objects.filter(group__name=EDITORS)
    return models.Q(is_superuser=True) | models.Q(pk__in=memberships.values("user_id"))


class CachedViewRestrictions:
    """Wagtail's privacy check for KB pages without its two queries per request.

    The restrictions of a page (its own and its ancestors') depend only on the page tree and
    the restriction rows, so the rows are kept in the cache under those two tables' versions
    and handed out as an already evaluated queryset: iterating it (the serving check) costs no
    query, while any further filtering or ordering (the admin) queries as usual. Aliases keep
    Wagtail's own lookup.
    """

    def get_view_restrictions(self):
        wagtails = super().get_view_restrictions
        if self.alias_of_id or not self.pk:
            return wagtails()
        from .caching import VIEW_RESTRICTION_LABELS, remember

        rows = remember(
            ("kb-view-restrictions", self.pk, self.path),
            VIEW_RESTRICTION_LABELS,
            lambda: list(wagtails()),
        )
        evaluated = PageViewRestriction.objects.filter(pk__in=[r.pk for r in rows])
        evaluated._result_cache = list(rows)
        evaluated._prefetch_done = True
        return evaluated


class KBDocument(AbstractDocument):
    """A Wagtail document kept outside MEDIA_ROOT and linked through the KB download view.

    Its own model (rather than Wagtail's) so the file storage is private and `url` points to a
    route this project mounts; the `before_serve_document` hook decides who may download it.
    """

    file = models.FileField(
        storage=private_document_storage, upload_to="documents", verbose_name=_("file")
    )
    text = models.TextField(_("text inside the file"), blank=True, editable=False)

    admin_form_fields = ("title", "file", "collection", "tags")
    search_fields = [*AbstractDocument.search_fields, index.SearchField("text")]

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("choose_document", "Can choose document")]

    @property
    def url(self):
        return reverse("kb:document", args=[self.id, self.filename])


def shown_for(request, page: Page) -> Page:
    """What the reader sees of `page`: its live translation in the active language, or the
    page itself (always in a preview, which shows the revision being edited)."""
    from portal.translations import shown

    if getattr(request, "is_preview", False):
        return page
    return shown(page)


class KnowledgeBaseIndexPage(CachedViewRestrictions, Page):
    """The knowledge-base home (/kb/): categories, search, what changed, what you read."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["kb.CategoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("knowledge base")

    def route(self, request, path_components):
        """Any page below the index in one query (Wagtail's walk costs two per level).

        The same answer as the walk: the page whose slugs are the path, below this index, of
        a KB type, and live (Wagtail does not require the pages on the way to be live either).
        """
        if not path_components:
            return super().route(request, path_components)
        lookup = {
            "depth": self.depth + len(path_components),
            "slug": path_components[-1],
            "url_path": self.url_path + "/".join(path_components) + "/",
            "path__startswith": self.path,
        }
        for model in (ArticlePage, CategoryPage):
            page = model.objects.filter(**lookup).first()
            if page is not None:
                return page.route(request, [])
        raise Http404

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.home_context(request, self))
        context["shown"] = context["fragments"]["shown"]  # cached with the fragments
        return context


class CategoryPage(CachedViewRestrictions, PageAudience, Page):
    """A topic (opening a unit, the till, food safety...); categories nest."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, AUDIENCE_PANEL]
    parent_page_types = ["kb.KnowledgeBaseIndexPage", "kb.CategoryPage"]
    subpage_types = ["kb.CategoryPage", "kb.ArticlePage"]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def get_context(self, request, *args, **kwargs):
        from . import caching, selectors

        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["shown"] = self
        else:
            context["shown"] = selectors.shown_category(request.user, self)
        context["content"] = caching.category_content(request, self, context["shown"])
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "kb.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(CachedViewRestrictions, PageAudience, Page):
    """One answer: a procedure, a standard, a how-to."""

    summary = models.TextField(
        _("summary"), max_length=500, help_text=_("One or two sentences shown in search results.")
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    article_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("content owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to=editors_only,
        help_text=_("The editor who keeps this article correct; gets the review reminders."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("related_links", label=_("Related articles")),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("tags")]
    settings_panels = [
        *Page.settings_panels,
        AUDIENCE_PANEL,
        MultiFieldPanel(
            [FieldPanel("article_owner"), FieldPanel("last_reviewed_on")], heading=_("Review")
        ),
    ]
    parent_page_types = ["kb.CategoryPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("attachment_text"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.AutocompleteField("summary"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def attachment_text(self) -> str:
        """Text of the attached files, so a search finds the answer inside a PDF too."""
        ids = [
            block["value"].get("document")
            for block in self.body.raw_data
            if block["type"] == "document" and isinstance(block["value"], dict)
        ]
        ids = [pk for pk in ids if isinstance(pk, int)]
        if not ids:
            return ""
        return "\n".join(KBDocument.objects.filter(pk__in=ids).values_list("text", flat=True))

    @property
    def toc(self) -> list[dict]:
        return table_of_contents(self.body)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["shown"] = shown_for(request, self)
        context.update(selectors.article_context(request, self, context["shown"]))
        return context


class ArticleRelatedLink(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("article")
    )

    panels = [PageChooserPanel("target", "kb.ArticlePage")]


class ArticleFeedback(models.Model):
    """ "Was this helpful?" — one vote per reader and article, which they may change."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="kb_feedback_one_per_user")
        ]

    def __str__(self):
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class ArticleVisit(models.Model):
    """Who read what, how often and when last: feeds view counts and "recently viewed"."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="visits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    views = models.PositiveIntegerField(default=1)
    last_viewed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="kb_visit_one_per_user")
        ]
        indexes = [models.Index(fields=["user", "-last_viewed_at"])]

    def __str__(self):
        return f"{self.user_id} → {self.article_id} ×{self.views}"


class SearchLog(models.Model):
    """Every search: what was asked, how many answers it got, and which one was opened."""

    query = models.CharField(_("query"), max_length=200, db_index=True)
    result_count = models.PositiveIntegerField(_("results"))
    role = models.CharField(_("role"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=10, blank=True)
    clicked_article = models.ForeignKey(
        ArticlePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clicked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("searched at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")

    def __str__(self):
        return self.query


class ReviewReminder(models.Model):
    """One review reminder per content owner and week, so a rerun of the job sends nothing new."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="Monday of the week the reminder was sent.")
    articles = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="kb_review_reminder_weekly")
        ]

    def __str__(self):
        return f"{self.user_id} {self.week}"
