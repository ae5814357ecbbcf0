"""The finance staff's payment pages: the list, entry by hand, statement import (a background
job: preview, then confirm), and the queue of unmatched payments. Everyone else gets 404
(access.deny)."""

from __future__ import annotations

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
from .models import Payment
from .payment_forms import AssignForm, ImportForm, PaymentFilter, PaymentForm
from .payments import payment_enter
from .services import payment_assign
from .statement_jobs import statement_import_job_create

PER_PAGE = 50


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


@login_required
@upload_rate_limit
def payment_import(request):
    """GET: the upload form. POST with a file: store it and check it in the background
    (finance.statement_jobs); its status page shows the preview and asks for confirmation."""
    _books(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = statement_import_job_create(
            user=request.user, name=upload.name[-150:], data=upload.read()
        )
        return redirect("jobs:status", pk=job.pk)
    return render(request, "finance/payment_import.html", {"tab": "import", "form": form})


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
