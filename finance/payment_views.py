"""The finance staff's payment pages: the list, entry by hand, statement import (preview, then
confirm), and the queue of unmatched payments. Everyone else gets 404 (access.deny)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from franchise import access
from portal.money import format_money
from portal.security import upload_rate_limit

from . import payment_selectors as selectors
from .bank_files import StatementFileError
from .models import Payment
from .payment_forms import AssignForm, ConfirmForm, ImportForm, PaymentFilter, PaymentForm
from .payments import payment_enter, statement_import, statement_preview
from .services import payment_assign

PER_PAGE = 50
SESSION_KEY = "finance-bank-imports"


def _books(request) -> None:
    if not access.keeps_books(request.user):
        access.deny(request, target="finance-payments", action="keep_books")


def nav_url(request) -> str | None:
    return reverse("finance:payments") if access.keeps_books(request.user) else None


@login_required
def payments(request):
    _books(request)
    form = PaymentFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.payments(
        request.user,
        start=data.get("start"),
        end=data.get("end"),
        unit_code=data.get("unit", ""),
        state=data.get("state", ""),
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/payments.html",
        {"form": form, "page": page, "total": selectors.total(rows), "tab": "payments"},
    )


@login_required
def payment_new(request):
    _books(request)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_enter(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            amount = format_money(payment.amount)
            if payment.unit_id:
                messages.success(
                    request,
                    _("Payment of %(amount)s recorded for %(unit)s.")
                    % {"amount": amount, "unit": payment.unit},
                )
            else:
                messages.warning(
                    request,
                    _("Payment of %(amount)s recorded; %(why)s.")
                    % {"amount": amount, "why": payment.note},
                )
            return redirect("finance:payment_new")
    return render(request, "finance/payment_form.html", {"form": form, "tab": "new"})


def _store() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "bank-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored(request, token: str) -> tuple[str, bytes] | None:
    """The upload this person previewed (the token is only good in their own session)."""
    name = request.session.get(SESSION_KEY, {}).get(token)
    path = _store() / token
    if not name or not token.isalnum() or not path.is_file():
        return None
    return name, path.read_bytes()


def _forget(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    (_store() / token).unlink(missing_ok=True)


@login_required
@upload_rate_limit
def payment_import(request):
    """GET: the upload form. POST with a file: store it and show the preview. POST with the
    token of a preview: import it (all or nothing) and show the result."""
    _books(request)
    context = {"tab": "import", "form": ImportForm()}
    if request.method != "POST":
        return render(request, "finance/payment_import.html", context)
    if "token" in request.POST:
        return _confirm(request, context)
    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "finance/payment_import.html", context)
    upload = form.cleaned_data["file"]
    data, name = upload.read(), upload.name[-150:]
    try:
        preview = statement_preview(name=name, data=data)
    except StatementFileError as error:
        form.add_error("file", str(error))
        return render(request, "finance/payment_import.html", context)
    token = secrets.token_hex(16)
    (_store() / token).write_bytes(data)
    uploads = request.session.get(SESSION_KEY, {})
    uploads = dict(list(uploads.items())[-4:])  # a person previews a few files at most
    uploads[token] = name
    request.session[SESSION_KEY] = uploads
    context.update(preview=preview, name=name, confirm=ConfirmForm(initial={"token": token}))
    return render(request, "finance/payment_import.html", context)


def _confirm(request, context):
    confirm = ConfirmForm(request.POST)
    stored = _stored(request, confirm.data.get("token", "")) if confirm.is_valid() else None
    if stored is None:
        messages.error(request, _("The uploaded file has expired: upload it again."))
        return redirect("finance:payment_import")
    name, data = stored
    try:
        preview, statement = statement_import(name=name, data=data, user=request.user)
    except StatementFileError as error:
        messages.error(request, str(error))
        return redirect("finance:payment_import")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("finance:payment_import")
    if statement is None:
        context.update(preview=preview, name=name, confirm=confirm)
        return render(request, "finance/payment_import.html", context)
    _forget(request, confirm.cleaned_data["token"])
    messages.success(
        request,
        _(
            "%(file)s imported: %(new)s payments (%(matched)s matched, %(waiting)s in the "
            "queue), %(recorded)s already recorded before."
        )
        % {
            "file": name,
            "new": len(preview.planned),
            "matched": len(preview.matched),
            "waiting": len(preview.unmatched),
            "recorded": len(preview.recorded),
        },
    )
    if preview.unmatched:
        return redirect("finance:payment_queue")
    return redirect("finance:payments")


@login_required
def payment_queue(request):
    _books(request)
    page = Paginator(selectors.queue(), PER_PAGE).get_page(request.GET.get("page"))
    hints = selectors.suggestions(page.object_list)
    rows = [(p, hints.get(p.pk)) for p in page.object_list]
    return render(
        request,
        "finance/payment_queue.html",
        {"page": page, "rows": rows, "tab": "queue", "form": AssignForm(user=request.user)},
    )


@login_required
@require_POST
def payment_assign_view(request, pk: int):
    _books(request)
    payment = get_object_or_404(Payment, pk=pk)
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return redirect("finance:payment_queue")
    try:
        payment_assign(payment=payment, unit=form.cleaned_data["unit"], user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Payment of %(amount)s assigned to %(unit)s.")
            % {"amount": format_money(payment.amount), "unit": form.cleaned_data["unit"]},
        )
    return redirect("finance:payment_queue")
