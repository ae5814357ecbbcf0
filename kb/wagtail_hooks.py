"""Wagtail registration: audience checks on serving pages and documents, editors' reports."""

import datetime

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet

from franchise import access

from . import selectors
from .models import (
    ArticleFeedback,
    ArticlePage,
    CategoryPage,
    KBDocument,
    KnowledgeBaseIndexPage,
)

KB_PAGE_TYPES = (KnowledgeBaseIndexPage, CategoryPage, ArticlePage)


@hooks.register("before_serve_page")
def check_kb_audience(page, request, serve_args, serve_kwargs):
    """A KB page outside the reader's audience answers 404, as if it did not exist."""
    if not issubclass(page.specific_class or type(page), KB_PAGE_TYPES):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.page_visible_to(request.user, page):
        access.deny(request, target=f"kb-page:{page.pk}")
    if isinstance(page, ArticlePage) and not getattr(request, "is_preview", False):
        from .services import article_visit_record

        article_visit_record(article=page, user=request.user)
    return None


@hooks.register("before_serve_document")
def check_kb_document_audience(document, request):
    if not isinstance(document, KBDocument):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if selectors.document_visible_to(request.user, document) is False:
        access.deny(request, target=f"kb-document:{document.pk}")
    return None


# Reports ------------------------------------------------------------------------------


class UnansweredSearchesView(ReportView):
    """What people searched for and did not find (or found but did not open)."""

    page_title = _("Searches without answers")
    header_icon = "search"
    index_url_name = "kb_unanswered_searches"
    index_results_url_name = "kb_unanswered_searches_results"
    any_permission_required = ["add", "change", "publish"]
    list_export = ["query", "searches", "zero_results", "no_click"]
    export_headings = {
        "query": _("Query"),
        "searches": _("Searches"),
        "zero_results": _("Without results"),
        "no_click": _("Without a click"),
    }
    columns = [
        Column("query", label=_("Query")),
        Column("searches", label=_("Searches")),
        Column("zero_results", label=_("Without results")),
        Column("no_click", label=_("Without a click")),
    ]

    def get_filename(self):
        return f"kb-unanswered-searches-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        days = self.request.GET.get("days", "")
        since = (
            timezone.localdate() - datetime.timedelta(days=int(days)) if days.isdigit() else None
        )
        return selectors.unanswered_queries(since)


class ReviewDueView(ReportView):
    """Articles whose content owner should check them again."""

    page_title = _("Articles due for review")
    header_icon = "date"
    index_url_name = "kb_review_due"
    index_results_url_name = "kb_review_due_results"
    any_permission_required = ["add", "change", "publish"]
    list_export = ["title", "last_reviewed_on", "article_owner", "url_path"]
    columns = [
        TitleColumn(
            "title",
            label=_("Article"),
            get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
        ),
        DateColumn("last_reviewed_on", label=_("Last reviewed on")),
        Column("article_owner", label=_("Content owner")),
    ]

    def get_filename(self):
        return f"kb-review-due-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return selectors.articles_due_for_review(
            timezone.localdate(), settings.KB_REVIEW_AFTER_MONTHS
        )


def _page_permission_policy():
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return PagePermissionPolicy()


UnansweredSearchesView.permission_policy = _page_permission_policy()
ReviewDueView.permission_policy = _page_permission_policy()


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/kb-searches/",
            UnansweredSearchesView.as_view(),
            name="kb_unanswered_searches",
        ),
        path(
            "reports/kb-searches/results/",
            UnansweredSearchesView.as_view(results_only=True),
            name="kb_unanswered_searches_results",
        ),
        path("reports/kb-review/", ReviewDueView.as_view(), name="kb_review_due"),
        path(
            "reports/kb-review/results/",
            ReviewDueView.as_view(results_only=True),
            name="kb_review_due_results",
        ),
    ]


class _EditorsMenuItem(MenuItem):
    def is_shown(self, request):
        return _page_permission_policy().user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


@hooks.register("register_reports_menu_item")
def register_unanswered_searches_menu_item():
    return _EditorsMenuItem(
        _("KB searches without answers"),
        reverse("kb_unanswered_searches"),
        name="kb-unanswered-searches",
        icon_name="search",
        order=1100,
    )


@hooks.register("register_reports_menu_item")
def register_review_due_menu_item():
    return _EditorsMenuItem(
        _("KB articles due for review"),
        reverse("kb_review_due"),
        name="kb-review-due",
        icon_name="date",
        order=1110,
    )


# Reader feedback ----------------------------------------------------------------------


class ArticleFeedbackViewSet(ModelViewSet):
    """What readers said about articles: read-only, filterable, exportable."""

    name = "kb_feedback"
    model = ArticleFeedback
    icon = "help"
    menu_label = _("KB feedback")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["article", "helpful", "comment", "user", "updated_at"]
    list_filter = ["helpful", "updated_at"]
    list_export = ["article", "helpful", "comment", "user", "updated_at"]
    search_fields = ["comment"]
    add_view_enabled = False
    edit_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["helpful", "comment"]  # read-only: add and edit views are disabled


@hooks.register("register_admin_viewset")
def register_feedback_viewset():
    return ArticleFeedbackViewSet()
