"""Views of the document exchange: thin; rights through `access`, reads through selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.security import upload_rate_limit

from .. import access
from ..models import DocumentFolder, Franchisee
from . import selectors, services
from .forms import (
    CommentForm,
    DocumentFilterForm,
    DocumentUploadForm,
    LibraryDocumentForm,
    VersionUploadForm,
)
from .search import add_snippets, did_you_mean
from .storage import private_file_response

PER_PAGE = 25


def _filtered_page(request, user, **scope):
    form = DocumentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    q = filters.get("q", "")
    documents = selectors.document_list(
        user,
        q=q,
        category=filters.get("category"),
        tag=filters.get("tag", ""),
        updated_from=filters.get("updated_from"),
        updated_to=filters.get("updated_to"),
        must_read_pending=request.GET.get("pending") == "1",
        **scope,
    )
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    if q:
        page.object_list = list(page.object_list)
        add_snippets(page.object_list, q)
        if not page.paginator.count:
            page.did_you_mean = did_you_mean(selectors.document_list(user, **scope), q)
    return form, page


@login_required
def unit_documents(request, code):
    """A unit's folders; `?folder=` opens one, the search box searches all of them."""
    unit = access.get_unit_or_404(request, code)
    folder = request.GET.get("folder", "")
    if folder not in DocumentFolder.values or folder == DocumentFolder.LIBRARY:
        folder = ""
    form, page = _filtered_page(request, request.user, unit=unit, folder=folder)
    return render(
        request,
        "franchise/documents/unit_documents.html",
        {
            "unit": unit,
            "folder": folder,
            "folder_label": dict(DocumentFolder.choices).get(folder, ""),
            "folders": selectors.unit_folders(unit),
            "form": form,
            "page": page,
            "can_upload": bool(access.document_upload_folders(request.user, unit)),
        },
    )


@login_required
@upload_rate_limit
def document_upload(request, code):
    unit = access.get_unit_or_404(request, code)
    folders = access.document_upload_folders(request.user, unit)
    if not folders:
        access.deny(request, target=f"unit:{code}", action="upload")
    is_staff = access.can(request.user, "review", unit) or request.user.is_superuser
    initial_folder = request.GET.get("folder") or (
        DocumentFolder.INBOX if is_staff else DocumentFolder.UPLOADS
    )
    form = DocumentUploadForm(
        request.POST or None,
        request.FILES or None,
        folders=folders,
        can_require_reading=is_staff,
        initial={"folder": initial_folder if initial_folder in folders else folders[-1]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = services.document_create(
            unit=unit,
            folder=data["folder"],
            title=data["title"],
            checked=data["file"],
            by=request.user,
            description=data["description"],
            category=data["category"],
            tags=data["tags"],
            must_read=data.get("must_read", False),
        )
        messages.success(request, _("“%(title)s” is uploaded.") % {"title": document.title})
        return redirect("documents:detail", pk=document.pk)
    return render(request, "franchise/documents/upload.html", {"unit": unit, "form": form})


@login_required
def library(request):
    form, page = _filtered_page(request, request.user, library=True)
    return render(
        request,
        "franchise/documents/library.html",
        {
            "form": form,
            "page": page,
            "can_publish": access.can_publish_library(request.user),
            "current_unit": request.current_unit,
        },
    )


@login_required
def search(request):
    """Everything the user may see: their units' folders and the library."""
    form, page = _filtered_page(request, request.user)
    return render(request, "franchise/documents/search.html", {"form": form, "page": page})


@login_required
@upload_rate_limit
def library_new(request):
    if not access.can_publish_library(request.user):
        access.deny(request, target="documents:library", action="publish")
    form = LibraryDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = services.document_create(
            unit=None,
            folder=DocumentFolder.LIBRARY,
            title=data["title"],
            checked=data["file"],
            by=request.user,
            description=data["description"],
            category=data["category"],
            tags=data["tags"],
            must_read=data["must_read"],
            audience=data["audience"],
            audience_regions=data["audience_regions"],
            audience_units=data["audience_units"],
        )
        messages.success(request, _("“%(title)s” is published.") % {"title": document.title})
        return redirect("documents:detail", pk=document.pk)
    return render(request, "franchise/documents/library_new.html", {"form": form})


def _document_or_404(request, pk):
    document = selectors.document_for(request.user, pk)
    if document is None:
        access.deny(request, target=f"document:{pk}")
    return document


def _comment_form(request, document, data=None):
    units = selectors.commenting_units(request.user, document)
    current = getattr(request, "current_unit", None)
    units.sort(key=lambda u: (current is None or u.pk != current.pk, u.trading_name))
    return CommentForm(
        data,
        units=units,
        allow_franchisor=access.can_comment_document(request.user, document, None),
    )


@login_required
def document_detail(request, pk):
    document = _document_or_404(request, pk)
    return _render_detail(request, document)


def _render_detail(request, document, *, comment_form=None, status=200):
    comment_form = comment_form or _comment_form(request, document)
    audience_regions, audience_units = access.shown_audience(request.user, document)
    return render(
        request,
        "franchise/documents/detail.html",
        {
            "document": document,
            "versions": selectors.document_versions(document),
            "comments": selectors.document_comments(request.user, document),
            "comment_form": comment_form,
            "can_comment": bool(comment_form.fields["unit"].choices),
            "can_change": access.can_change_document(request.user, document),
            "sees_acknowledgements": access.sees_acknowledgements(request.user, document),
            "audience_regions": audience_regions,
            "audience_units": audience_units,
        },
        status=status,
    )


@login_required
@upload_rate_limit
def version_upload(request, pk):
    document = _document_or_404(request, pk)
    if not access.can_change_document(request.user, document):
        access.deny(request, target=f"document:{pk}", action="new_version")
    form = VersionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = services.document_version_add(
            document=document,
            checked=form.cleaned_data["file"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Version %(number)d is uploaded.") % {"number": version.number})
        return redirect("documents:detail", pk=document.pk)
    return render(
        request, "franchise/documents/version_upload.html", {"document": document, "form": form}
    )


@login_required
def download(request, pk, number):
    document = _document_or_404(request, pk)
    version = document.versions.filter(number=number).first()
    if version is None:
        access.deny(request, target=f"document:{pk}:v{number}")
    version.document = document
    services.document_download_record(version=version, request=request)
    return private_file_response(
        version.file, filename=version.original_name, content_type=version.content_type
    )


@login_required
@require_POST
def acknowledge(request, pk):
    document = _document_or_404(request, pk)
    try:
        _ack, created = services.document_acknowledge(document=document, user=request.user)
    except PermissionDenied:
        access.deny(request, target=f"document:{pk}", action="acknowledge")
    if created:
        messages.success(request, _("Thank you: your confirmation is recorded."))
    return redirect("documents:detail", pk=document.pk)


@login_required
@require_POST
def comment(request, pk):
    document = _document_or_404(request, pk)
    form = _comment_form(request, document, request.POST)
    if not form.is_valid():
        return _render_detail(request, document, comment_form=form, status=400)
    code = form.cleaned_data["unit"]
    unit = Franchisee.objects.filter(code=code).first() if code else None
    try:
        services.document_comment_add(
            document=document, author=request.user, text=form.cleaned_data["text"], unit=unit
        )
    except PermissionDenied:
        access.deny(request, target=f"document:{pk}", action="comment")
    messages.success(request, _("Your comment is added."))
    return redirect("documents:detail", pk=document.pk)


@login_required
def acknowledgements(request, pk):
    document = _document_or_404(request, pk)
    if not access.sees_acknowledgements(request.user, document):
        access.deny(request, target=f"document:{pk}", action="acknowledgements")
    rows = selectors.acknowledgement_report(request.user, document)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    done = rows.filter(acknowledged_at__isnull=False).count()
    return render(
        request,
        "franchise/documents/acknowledgements.html",
        {"document": document, "page": page, "done": done, "total": page.paginator.count},
    )
