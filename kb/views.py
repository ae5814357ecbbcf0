"""Views around the KB pages: search, autocomplete, result clicks, feedback, print, downloads.

The pages themselves are served by Wagtail; `kb.wagtail_hooks` checks their audience.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.documents.views.serve import serve as wagtail_serve_document

from franchise import access
from portal.translations import default_locale_q, shown

from . import selectors, services
from .forms import FeedbackForm, SearchForm
from .models import KnowledgeBaseIndexPage, SearchLog


@login_required
def home(request):
    """/help/ — the stable address of the knowledge base in the menu."""
    index = KnowledgeBaseIndexPage.objects.live().filter(default_locale_q()).first()
    if index is None:
        raise Http404
    return redirect(index.get_url(request))


@login_required
@require_GET
def search(request):
    categories = sorted(selectors.category_index(request.user).values(), key=lambda c: c.path)
    form = SearchForm(
        request.GET or None, categories=categories, tags=selectors.filter_tags(request.user)
    )
    hits, log, query = [], None, ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        hits = selectors.search_articles(
            request.user,
            query,
            category=form.cleaned_data["category"],
            tag=form.cleaned_data["tag"],
        )
        page_number = request.GET.get("page")
        if query and not page_number:
            log = services.search_log_create(
                query=query,
                result_count=len(hits),
                user=request.user,
                role=selectors.role_label(request.user),
                language=get_language(),
            )
        elif query:
            # Later pages keep crediting clicks to the search that was logged on page one.
            log = (
                SearchLog.objects.filter(user=request.user, query=query.lower())
                .order_by("-pk")
                .first()
            )
    page = Paginator(hits, selectors.RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "kb/search.html",
        {"form": form, "query": query, "page": page, "hits": page.object_list, "log": log},
    )


@login_required
@require_GET
def autocomplete(request):
    query = selectors.clean_query(request.GET.get("q"), 200)
    articles = selectors.autocomplete_articles(request.user, query) if len(query) >= 2 else []
    return JsonResponse(
        {"results": [{"title": a.shown.title, "url": a.get_url(request)} for a in articles]}
    )


@login_required
@require_GET
def open_result(request, log_id, article_id):
    """Click tracking: remember which result answered the query, then go there."""
    article = selectors.article_for_user(request.user, article_id)
    if article is None:
        access.deny(request, target=f"kb-article:{article_id}")
    log = SearchLog.objects.filter(pk=log_id, user=request.user).first()
    if log is not None:
        services.search_click_record(log=log, article=article)
    return redirect(article.get_url(request))


@login_required
@require_POST
def feedback(request, article_id):
    article = selectors.article_for_user(request.user, article_id)
    if article is None:
        access.deny(request, target=f"kb-article:{article_id}")
    existing = article.feedback.filter(user=request.user).first()
    form = FeedbackForm(request.POST, instance=existing)
    if form.is_valid():
        services.article_feedback_submit(
            article=article,
            user=request.user,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Thank you for your feedback."))
        return redirect(article.get_url(request) + "#feedback")
    context = {"form": form, "article": article, "shown": shown(article)}
    return render(request, "kb/feedback_form.html", context, status=400)


@login_required
@require_GET
def article_print(request, article_id):
    article = selectors.article_for_user(request.user, article_id)
    if article is None:
        access.deny(request, target=f"kb-article:{article_id}")
    categories = selectors.category_index(request.user)
    return render(
        request,
        "kb/article_print.html",
        {
            "page": article,
            "shown": shown(article),
            "breadcrumbs": selectors.trail_for(article.path, categories),
        },
    )


def document(request, document_id, document_filename):
    """Wagtail's own serve view (collection privacy, the audience hook, etags, streaming)."""
    from .models import KBDocument

    get_object_or_404(KBDocument, pk=document_id)
    return wagtail_serve_document(request, document_id, document_filename)
