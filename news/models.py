"""News and announcements from the franchisor: Wagtail pages with an audience and read marks.

The pages stay thin: who may see an item is `franchise.access` (audience rule, applied by the
`before_serve_page` hook in `news.wagtail_hooks` and by every listing through
`news.selectors`); writes such as read marks live in `news.services`.

The tables keep the names they had when news lived in the portal app (`portal_news*`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from franchise.models import PageAudience

NEWS_PER_PAGE = 20


class NewsIndexPage(RoutablePageMixin, Page):
    """The list of news for the signed-in user: their audience only, pinned first."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["news.NewsPage"]

    class Meta:
        db_table = "portal_newsindexpage"
        verbose_name = _("news index")

    def serve(self, request, *args, **kwargs):
        # News is for the network only; Wagtail's page privacy says the same in the demo.
        if not request.user.is_authenticated and not getattr(request, "is_preview", False):
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from portal.translations import shown, with_shown

        from .selectors import news_list

        context = super().get_context(request, *args, **kwargs)
        context["shown"] = shown(self)
        unread_only = request.GET.get("unread") == "1"
        items = news_list(request.user, unread_only=unread_only)
        news_page = Paginator(items, NEWS_PER_PAGE).get_page(request.GET.get("page"))
        news_page.object_list = with_shown(news_page.object_list, NewsPage)
        context["news_page"] = news_page
        context["page_obj"] = context["news_page"]
        context["unread_only"] = unread_only
        context["mark_read_url"] = self.get_url(request) + self.reverse_subpage("mark_read")
        return context

    @path("mark-read/", name="mark_read")
    def mark_read(self, request):
        """Mark every news item the user can see as read (a POST from the list or dashboard)."""
        return _mark_all_read(request, self)


@require_POST
def _mark_all_read(request, index_page):
    from django.contrib import messages
    from django.utils.http import url_has_allowed_host_and_scheme
    from django.utils.translation import gettext

    from .services import news_mark_all_read

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    marked = news_mark_all_read(user=request.user)
    if marked:
        messages.success(request, gettext("All news marked as read."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect(index_page.get_url(request))


class NewsPage(PageAudience, Page):
    """One announcement. Opening it marks it read for the reader."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(
        _("summary"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences shown in lists and on the dashboard."),
    )
    body = RichTextField(_("text"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Pinned news stays at the top of every list.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    settings_panels = [
        MultiFieldPanel(
            [
                FieldPanel("pinned"),
                FieldPanel("audience_regions"),
                FieldPanel("audience_roles"),
            ],
            heading=_("Audience"),
        ),
        *Page.settings_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("pinned"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        db_table = "portal_newspage"
        verbose_name = _("news item")
        verbose_name_plural = _("news")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated and not getattr(request, "is_preview", False):
            return redirect_to_login(request.get_full_path())
        if request.user.is_authenticated and not getattr(request, "is_preview", False):
            from .services import news_mark_read

            news_mark_read(user=request.user, page=self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from portal.translations import shown

        context = super().get_context(request, *args, **kwargs)
        context["shown"] = shown(self)
        context["index"] = self.get_parent()
        context["index_shown"] = shown(context["index"])
        return context


class NewsRead(models.Model):
    """That a person has opened a news item; its absence makes the item "unread"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="news_reads"
    )
    page = models.ForeignKey(NewsPage, on_delete=models.CASCADE, related_name="read_marks")
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        db_table = "portal_newsread"
        verbose_name = _("news read mark")
        verbose_name_plural = _("news read marks")
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="one_read_mark_per_user_and_news")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.page_id}"
