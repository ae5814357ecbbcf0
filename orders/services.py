"""Order writes: submit, and one service per status change, all through `_move`.

`ALLOWED` is the one table of allowed transitions; `_move` checks it on the locked row and
writes the event the timeline shows, so no view or task changes a status any other way.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from franchise import access
from franchise.models import Franchisee
from portal.money import round_money

from . import rules, stock
from .cart import cart_view, vat_included
from .models import (
    Cart,
    DeliverySchedule,
    Order,
    OrderEvent,
    OrderLine,
    OrderSource,
    Shipment,
    ShipmentLine,
)
from .models import OrderStatus as S
from .notices import tell, unit_people
from .signals import order_status_changed

ALLOWED: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.CONFIRMED, S.REJECTED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.INVOICED, S.CANCELLED}),
    S.INVOICED: frozenset({S.PAID, S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    S.PAID: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED}),
    S.PARTIALLY_SHIPPED: frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
}

#: Statuses in which stock is held for the order (reserved, not yet shipped).
HOLDING = frozenset({S.CONFIRMED, S.INVOICED, S.PAID, S.PARTIALLY_SHIPPED})


def _locked(order: Order) -> Order:
    rows = Order.objects.select_for_update(of=("self",)).select_related("unit", "warehouse")
    return rows.get(pk=order.pk)


def _move(order: Order, to: str, *, user, note: str = "") -> Order:
    if to not in ALLOWED.get(order.status, ()):
        raise ValidationError(
            _("An order that is %(status)s cannot become %(to)s.")
            % {"status": order.get_status_display().lower(), "to": S(to).label.lower()}
        )
    event = OrderEvent.objects.create(
        order=order, from_status=order.status, to_status=to, by=user, note=note
    )
    order.status = to
    order.save()
    order_status_changed.send(sender=Order, order=order, event=event, user=user)
    return order


def _require(user, action: str, unit: Franchisee) -> None:
    if not access.can(user, action, unit):
        raise PermissionDenied


# The unit's side ----------------------------------------------------------------------


def delivery_dates(unit: Franchisee, *, today: date | None = None, count: int = 6) -> list[date]:
    """The next delivery days the unit may choose: its weekdays, after the lead time."""
    schedule = DeliverySchedule.objects.filter(unit=unit).first() or DeliverySchedule(unit=unit)
    weekdays = {int(d) for d in schedule.weekdays.split(",") if d.strip().isdigit()} or {1, 4}
    day = (today or timezone.localdate()) + timedelta(days=max(schedule.lead_days, 1))
    dates = []
    while len(dates) < count:
        if day.isoweekday() in weekdays:
            dates.append(day)
        day += timedelta(days=1)
    return dates


class PriceChanged(ValidationError):
    """The server's total differs from the one the person saw: show it and ask again."""


def new_token() -> str:
    return uuid.uuid4().hex


@transaction.atomic
def order_submit(
    *,
    unit: Franchisee,
    user,
    token: str,
    delivery_date: date,
    accepted_total: Decimal,
    comment: str = "",
    source: str = OrderSource.PORTAL,
    repeat_of: Order | None = None,
) -> Order:
    """The cart becomes a submitted order, once: the same form token returns the same order."""
    _require(user, "work", unit)
    Cart.objects.select_for_update().filter(unit=unit).first()  # one submit per unit at a time
    if done := Order.objects.filter(idempotency_token=token).first():
        if done.unit_id != unit.pk:
            raise ValidationError(_("This form was already used. Reload the cart."))
        return done
    view = cart_view(unit)
    if not view.rows:
        raise ValidationError(_("The cart is empty."))
    if view.problems:
        raise ValidationError(view.problems)
    if round_money(accepted_total) != view.total:
        raise PriceChanged(
            _("Prices have changed since you opened the cart: the total is now %(total)s.")
            % {"total": view.total}
        )
    if delivery_date not in delivery_dates(unit):
        raise ValidationError(_("Choose one of the offered delivery dates."))
    now = timezone.now()
    order = Order(
        unit=unit,
        number=f"tmp-{token[:24]}",
        source=source,
        repeat_of=repeat_of,
        warehouse=stock.warehouse_for(unit),
        delivery_date=delivery_date,
        comment=comment.strip()[:2000],
        total=view.total,
        vat_total=view.vat_total,
        idempotency_token=token,
        created_by=user,
        created_at=now,
        submitted_at=now,
    )
    try:
        with transaction.atomic():
            order.save()
    except IntegrityError as error:
        raise ValidationError(_("This form was already used. Reload the cart.")) from error
    order.number = f"{now:%Y}-{order.pk:06d}"
    order.save(update_fields=["number"])
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                product=row.product,
                quantity_ordered=row.quantity,
                quantity=row.quantity,
                price=row.price,
                vat_rate=row.product.vat_rate,
                line_total=row.line_total,
                vat_amount=row.vat_amount,
            )
            for row in view.rows
        ]
    )
    event = OrderEvent.objects.create(
        order=order, from_status=S.DRAFT, to_status=S.SUBMITTED, by=user
    )
    order.status = S.SUBMITTED
    order.save(update_fields=["status"])
    order_status_changed.send(sender=Order, order=order, event=event, user=user)
    view.cart.lines.all().delete()
    manager = unit.account_manager
    tell(
        order,
        [manager],
        lambda: _("New order %(number)s from %(unit)s") % {"number": order.number, "unit": unit},
        lambda: "",
    )
    return order


@transaction.atomic
def order_cancel(*, order: Order, user, reason: str = "") -> Order:
    """The unit cancels before confirmation; the franchisor until shipment, with a reason."""
    order = _locked(order)
    by_franchisor = access.can(user, "review", order.unit)
    if not by_franchisor:
        _require(user, "work", order.unit)
        if order.status != S.SUBMITTED:
            raise ValidationError(_("Only an order not yet confirmed can be cancelled here."))
    elif order.status != S.SUBMITTED and not reason.strip():
        raise ValidationError(_("Say why the order is cancelled."))
    was_holding = order.status in HOLDING
    order.cancel_reason = reason.strip()
    _move(order, S.CANCELLED, user=user, note=reason.strip())
    if was_holding:
        stock.release(order.warehouse, _unshipped(order))
    from .signals import order_cancelled

    order_cancelled.send(sender=Order, order=order, user=user)
    _tell_unit_or_manager(order, user, _status_title)
    return order


@transaction.atomic
def order_deliver(*, order: Order, user) -> Order:
    """Goods arrived: the unit (or the franchisor) says so."""
    order = _locked(order)
    if not (access.can(user, "work", order.unit) or access.can(user, "review", order.unit)):
        raise PermissionDenied
    _move(order, S.DELIVERED, user=user)
    order.delivered_at = timezone.now()
    order.save(update_fields=["delivered_at"])
    return order


# The franchisor's side -----------------------------------------------------------------


def _unshipped(order: Order) -> dict[int, Decimal]:
    return {
        ln.product_id: ln.quantity - ln.quantity_shipped
        for ln in order.lines.all()
        if ln.quantity > ln.quantity_shipped
    }


def _reprice(line: OrderLine) -> None:
    line.line_total = round_money(line.price * line.quantity)
    line.vat_amount = vat_included(line.line_total, line.vat_rate)


def _totals(order: Order) -> None:
    lines = list(order.lines.all())
    order.total = sum((ln.line_total for ln in lines), Decimal("0.00"))
    order.vat_total = sum((ln.vat_amount for ln in lines), Decimal("0.00"))


@transaction.atomic
def order_confirm(
    *, order: Order, user, quantities: dict[int, str] | None = None, note: str = ""
) -> Order:
    """Confirm a submitted order, possibly with other quantities: reserves stock (all or
    nothing), stores the changes in the event, issues the invoice and tells the unit."""
    order = _locked(order)
    _require(user, "review", order.unit)
    if order.status != S.SUBMITTED:
        raise ValidationError(
            _("This order was already handled: it is %(status)s.")
            % {"status": order.get_status_display().lower()}
        )
    lines = list(order.lines.select_related("product"))
    changes, errors = [], []
    for line in lines:
        raw = (quantities or {}).get(line.pk)
        if raw is None or str(raw).strip() == "":
            continue
        qty = rules.parse_quantity(raw)
        if qty is not None and qty == 0:
            pass
        elif error := rules.quantity_error(line.product, qty):
            errors.append(error)
            continue
        if qty != line.quantity:
            changes.append(
                _("%(product)s: %(old)s → %(new)s")
                % {
                    "product": line.product.name,
                    "old": rules.quantity_text(line.quantity),
                    "new": rules.quantity_text(qty),
                }
            )
            line.quantity = qty
            _reprice(line)
    if errors:
        raise ValidationError(errors)
    if not any(line.quantity > 0 for line in lines):
        raise ValidationError(_("Nothing is left to confirm: reject the order instead."))
    OrderLine.objects.bulk_update(lines, ["quantity", "line_total", "vat_amount"])
    if order.warehouse is None:
        order.warehouse = stock.warehouse_for(order.unit)
        if order.warehouse is None:
            raise ValidationError(_("No warehouse serves this unit's region."))
    stock.reserve(
        order.warehouse,
        {ln.product_id: ln.quantity for ln in lines},
        {ln.product_id: ln.product.name for ln in lines},
    )
    _totals(order)
    order.confirmed_at = timezone.now()
    text = "; ".join(changes)
    _move(order, S.CONFIRMED, user=user, note="\n".join(p for p in (text, note.strip()) if p))
    from .invoices import invoice_issue

    invoice_issue(order=order, user=user)
    _tell_unit_or_manager(order, user, _status_title)
    return order


@transaction.atomic
def order_reject(*, order: Order, user, reason: str) -> Order:
    order = _locked(order)
    _require(user, "review", order.unit)
    if not reason.strip():
        raise ValidationError(_("Say why the order is rejected."))
    order.cancel_reason = reason.strip()
    _move(order, S.REJECTED, user=user, note=reason.strip())
    _tell_unit_or_manager(order, user, _status_title)
    return order


@transaction.atomic
def order_mark_paid(*, order: Order, user=None, note: str = "") -> Order:
    """The invoice is paid (finance matched a payment, or staff say so)."""
    order = _locked(order)
    if user is not None:
        _require(user, "review", order.unit)
    if order.paid_at is not None:
        return order
    order.paid_at = timezone.now()
    if order.status == S.INVOICED:
        _move(order, S.PAID, user=user, note=note)
    else:
        order.save(update_fields=["paid_at"])
        OrderEvent.objects.create(
            order=order,
            from_status=order.status,
            to_status=order.status,
            by=user,
            note=note or _("Paid"),
        )
    return order


@transaction.atomic
def order_ship(*, order: Order, user, quantities: dict[int, str], note: str = "") -> Shipment:
    """Ship some or all of what is left; stock leaves the warehouse."""
    order = _locked(order)
    _require(user, "review", order.unit)
    lines = {ln.pk: ln for ln in order.lines.select_related("product")}
    shipped, errors = {}, []
    for line_id, raw in quantities.items():
        line = lines.get(line_id)
        if line is None or str(raw).strip() == "":
            continue
        qty = rules.parse_quantity(raw)
        left = line.quantity - line.quantity_shipped
        if qty is None or qty < 0 or (line.product.is_piece_goods and qty % 1):
            errors.append(
                _("%(product)s: enter a whole quantity.") % {"product": line.product.name}
            )
        elif qty > left:
            errors.append(
                _("%(product)s: only %(left)s left to ship.")
                % {"product": line.product.name, "left": rules.quantity_text(left)}
            )
        elif qty > 0:
            shipped[line_id] = qty
    if errors:
        raise ValidationError(errors)
    if not shipped:
        raise ValidationError(_("Enter what is shipped."))
    complete = all(
        ln.quantity - ln.quantity_shipped == shipped.get(ln.pk, 0) for ln in lines.values()
    )
    _move(order, S.SHIPPED if complete else S.PARTIALLY_SHIPPED, user=user, note=note)
    shipment = Shipment.objects.create(order=order, warehouse=order.warehouse, by=user, note=note)
    ShipmentLine.objects.bulk_create(
        [ShipmentLine(shipment=shipment, order_line_id=pk, quantity=q) for pk, q in shipped.items()]
    )
    for pk, qty in shipped.items():
        lines[pk].quantity_shipped += qty
    OrderLine.objects.bulk_update([lines[pk] for pk in shipped], ["quantity_shipped"])
    stock.consume(order.warehouse, {lines[pk].product_id: q for pk, q in shipped.items()})
    _tell_unit_or_manager(order, user, _status_title)
    return shipment


def _status_title(order: Order) -> str:
    return _("Order %(number)s: %(status)s") % {
        "number": order.number,
        "status": order.get_status_display().lower(),
    }


def _tell_unit_or_manager(order: Order, user, title) -> None:
    """A change made by the unit goes to its manager; one made by the franchisor to the unit."""
    if access.can(user, "review", order.unit):
        readers = unit_people(order)
    else:
        readers = [order.unit.account_manager]
    tell(order, readers, lambda: title(order), lambda: order.cancel_reason)
