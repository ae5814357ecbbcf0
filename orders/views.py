"""Pages of ordering: the unit's catalogue, cart and orders; the franchisor's order desk."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from franchise import access
from reporting.exports import table_response

from . import cart as C
from . import selectors
from . import services as O
from .blocks import landing
from .figures import DIMENSIONS, ordering_figures
from .forms import DeskFilter, ReasonForm, SubmitForm
from .invoices import invoice_pdf
from .models import Category, Invoice, OrderSettings, OrderSource
from .models import OrderStatus as S
from .stock import availability

PER_PAGE = 50


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def orders_home(request):
    """Where "Orders" in the navigation leads: the unit's catalogue, or the order desk."""
    if url := landing(request):
        return redirect(url)
    raise Http404


# The unit's side --------------------------------------------------------------------


@login_required
def catalogue(request, code):
    unit = access.get_unit_or_404(request, code, "work")
    category = None
    if (raw := request.GET.get("category", "")).isdigit():
        category = Category.objects.filter(pk=raw, is_active=True).first()
    query = request.GET.get("q", "")[:200]
    page = Paginator(selectors.catalogue(unit, category=category, query=query), PER_PAGE).get_page(
        request.GET.get("page")
    )
    settings = OrderSettings.load()
    for product in page:
        product.availability = availability(
            getattr(product, "available", None),
            getattr(product, "expected_on", None),
            settings=settings,
            unit_label=product.get_unit_of_measure_display(),
        )
    return render(
        request,
        "orders/catalogue.html",
        {
            "unit": unit,
            "page": page,
            "categories": selectors.categories(),
            "category": category,
            "query": query,
            "in_cart": selectors.cart_summary(unit),
        },
    )


@login_required
@require_POST
def cart_add(request, code):
    unit = access.get_unit_or_404(request, code, "work")
    raw = request.POST.get("product", "")
    try:
        if not raw.isdigit():
            raise ValidationError(_("Choose a product."))
        line = C.cart_add(
            unit=unit, product_id=int(raw), quantity=request.POST.get("quantity"), user=request.user
        )
        messages.success(request, _("%(product)s is in the cart.") % {"product": line.product.name})
    except ValidationError as error:
        _errors(request, error)
    back = request.POST.get("next", "")
    if back.startswith(f"/orders/{unit.code}/catalogue/"):
        return redirect(back)
    return redirect("orders:catalogue", code=unit.code)


@login_required
def cart(request, code):
    unit = access.get_unit_or_404(request, code, "work")
    errors = {}
    if request.method == "POST":
        quantities = {
            int(key[4:]): value
            for key, value in request.POST.items()
            if key.startswith("qty-") and key[4:].isdigit()
        }
        errors = C.cart_update(unit=unit, quantities=quantities)
        if not errors:
            messages.success(request, _("The cart is updated."))
            return redirect("orders:cart", code=unit.code)
    return _cart_page(request, unit, errors=errors)


def _cart_page(request, unit, *, errors=None, form=None, status=200):
    view = C.cart_view(unit)
    dates = O.delivery_dates(unit)
    form = form or SubmitForm(
        initial={"token": O.new_token(), "accepted_total": view.total}, dates=dates
    )
    if form.is_bound:  # re-shown after a refusal: the new total is what the person confirms
        data = form.data.copy()
        data["accepted_total"] = str(view.total)
        data["token"] = O.new_token()
        form = SubmitForm(data, dates=dates)
        form.is_valid()
    return render(
        request,
        "orders/cart.html",
        {
            "unit": unit,
            "view": view,
            "errors": errors or {},
            "form": form,
            "has_usual": unit.usual_order.exists(),
        },
        status=status,
    )


@login_required
@require_POST
def cart_submit(request, code):
    unit = access.get_unit_or_404(request, code, "work")
    form = SubmitForm(request.POST, dates=O.delivery_dates(unit))
    if not form.is_valid():
        return _cart_page(request, unit, form=form, status=400)
    try:
        order = O.order_submit(
            unit=unit,
            user=request.user,
            token=form.cleaned_data["token"],
            delivery_date=form.cleaned_data["delivery_date"],
            accepted_total=form.cleaned_data["accepted_total"],
            comment=form.cleaned_data["comment"],
            source=request.session.pop(f"order-source-{unit.pk}", OrderSource.PORTAL),
        )
    except ValidationError as error:
        _errors(request, error)
        return _cart_page(request, unit, form=form, status=409)
    messages.success(request, _("Order %(number)s is submitted.") % {"number": order.number})
    return redirect("orders:order_detail", code=unit.code, number=order.number)


@login_required
@require_POST
def cart_usual(request, code):
    unit = access.get_unit_or_404(request, code, "work")
    if request.POST.get("action") == "save":
        count = C.usual_order_save(unit=unit)
        messages.success(request, _("Saved as your usual order (%(n)s lines).") % {"n": count})
    else:
        for note in C.cart_fill_from_usual(unit=unit, user=request.user):
            messages.warning(request, note)
        request.session[f"order-source-{unit.pk}"] = OrderSource.USUAL
        messages.success(request, _("Your usual order is in the cart."))
    return redirect("orders:cart", code=unit.code)


@login_required
def unit_orders(request, code):
    unit = access.get_unit_or_404(request, code)
    page = Paginator(selectors.unit_orders(unit), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/unit_orders.html",
        {"unit": unit, "page": page, "can_work": access.can(request.user, "work", unit)},
    )


@login_required
def order_detail(request, code, number):
    order = selectors.order_for_unit_or_404(request, code, number)
    user, unit = request.user, order.unit
    reviews = access.can(user, "review", unit)
    lines = list(order.lines.select_related("product"))
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "unit": unit,
            "lines": lines,
            "events": order.events.select_related("by"),
            "invoice": Invoice.objects.filter(order=order).first(),
            "can_work": access.can(user, "work", unit),
            "reviews": reviews,
            "can_ship": reviews and order.status in O.HOLDING and order.status != S.CONFIRMED,
            "reason_form": ReasonForm(),
        },
    )


def _reason(request) -> str:
    return request.POST.get("reason", "")[:2000]


def _quantities(request, prefix: str) -> dict[int, str]:
    return {
        int(key[len(prefix) :]): value
        for key, value in request.POST.items()
        if key.startswith(prefix) and key[len(prefix) :].isdigit()
    }


#: The order page's buttons: the URL's action -> the right it needs on the unit, the service
#: that makes the change, and what the person is told when it is done.
TRANSITIONS = {
    "cancel": (
        "view",
        lambda r, o: O.order_cancel(order=o, user=r.user, reason=_reason(r)),
        gettext_lazy("The order is cancelled."),
    ),
    "received": (
        "view",
        lambda r, o: O.order_deliver(order=o, user=r.user),
        gettext_lazy("Thank you: the order is marked as delivered."),
    ),
    "confirm": (
        "review",
        lambda r, o: O.order_confirm(
            order=o,
            user=r.user,
            quantities=_quantities(r, "qty-"),
            note=r.POST.get("note", "")[:2000],
        ),
        gettext_lazy("The order is confirmed and the invoice is sent."),
    ),
    "reject": (
        "review",
        lambda r, o: O.order_reject(order=o, user=r.user, reason=_reason(r)),
        gettext_lazy("The order is rejected."),
    ),
    "paid": (
        "review",
        lambda r, o: O.order_mark_paid(order=o, user=r.user),
        gettext_lazy("The order is marked as paid."),
    ),
    "ship": (
        "review",
        lambda r, o: O.order_ship(order=o, user=r.user, quantities=_quantities(r, "ship-")),
        gettext_lazy("The shipment is recorded."),
    ),
}


@login_required
@require_POST
def order_transition(request, code, number, action):
    right, run, done = TRANSITIONS[action]
    order = selectors.order_for_unit_or_404(request, code, number, right)
    try:
        run(request, order)
    except ValidationError as error:
        _errors(request, error)
    except PermissionDenied:
        access.deny(request, target=f"order:{code}/{number}", action=right)
    else:
        messages.success(request, done)
    return redirect("orders:order_detail", code=order.unit.code, number=order.number)


@login_required
@require_POST
def order_repeat(request, code, number):
    order = selectors.order_for_unit_or_404(request, code, number, "work")
    for note in C.cart_fill_from_order(unit=order.unit, order=order, user=request.user):
        messages.warning(request, note)
    request.session[f"order-source-{order.unit.pk}"] = OrderSource.REPEAT
    messages.success(request, _("The order is in the cart: check it and submit."))
    return redirect("orders:cart", code=order.unit.code)


@login_required
def order_invoice(request, code, number):
    order = selectors.order_for_unit_or_404(request, code, number)
    invoice = Invoice.objects.filter(order=order).select_related("order", "unit").first()
    if invoice is None:
        raise Http404
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="invoice-{invoice.number}.pdf"'
    return response


# The franchisor's order desk ----------------------------------------------------------


@login_required
def desk(request):
    if not access.units_visible_to(request.user, "review").exists():
        access.deny(request, target="order-desk", action="review")
    form = DeskFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {"status": S.SUBMITTED}
    orders = selectors.desk(
        request.user,
        status=data.get("status", S.SUBMITTED) if request.GET else S.SUBMITTED,
        region=data.get("region"),
        query=data.get("q", ""),
    )
    page = Paginator(orders, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/desk.html",
        {"form": form, "page": page, "rows": selectors.desk_rows(page)},
    )


@login_required
@require_POST
def desk_confirm(request):
    """Confirm the ticked orders; each on its own, so one out of stock stops only itself."""
    ids = [int(v) for v in request.POST.getlist("order") if v.isdigit()][:PER_PAGE]
    orders = selectors.desk(request.user, status=S.SUBMITTED).filter(pk__in=ids)
    done = 0
    for order in orders:
        try:
            O.order_confirm(order=order, user=request.user)
            done += 1
        except ValidationError as error:
            messages.error(request, f"{order.number}: {' '.join(error.messages)}")
    if done:
        messages.success(request, _("%(n)s orders confirmed.") % {"n": done})
    return redirect("orders:desk")


@login_required
def figures(request):
    """Ordering figures of the viewer's units (a manager's portfolio, a lead's network)."""
    if not (
        access.has_network_right(request.user)
        or access.units_visible_to(request.user, "review").exists()
    ):
        access.deny(request, target="order-figures", action="review")
    by = request.GET.get("by", "region")
    by = by if by in DIMENSIONS else "region"
    since = timezone.localdate().replace(day=1) - timedelta(days=365)
    rows = ordering_figures(request.user, since=since.replace(day=1), by=by)
    columns = [
        _("Month"),
        _("Region") if by == "region" else _("Manager"),
        _("Orders"),
        _("Placed online"),
        _("Order requests"),
        _("Confirmation, median h"),
        _("Confirmation, 90th percentile h"),
        _("Failed orders, %"),
        _("Repeat orders, %"),
    ]
    keys = [
        "month",
        "group",
        "orders",
        "online",
        "requests",
        "confirm_median",
        "confirm_p90",
        "failed_share",
        "repeat_share",
    ]
    if by == "":
        columns.pop(1)
        keys.remove("group")
    if (fmt := request.GET.get("format")) in ("csv", "xlsx"):
        table = [[_round(r.get(k)) for k in keys] for r in rows]
        return table_response("order-figures", columns, table, fmt)
    return render(
        request,
        "orders/figures.html",
        {"rows": [[_round(r.get(k)) for k in keys] for r in rows], "columns": columns, "by": by},
    )


def _round(value):
    return round(value, 1) if isinstance(value, float) else value
