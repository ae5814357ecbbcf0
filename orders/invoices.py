"""Invoices: issued when an order is confirmed, laid out as a Russian "Счёт на оплату",
filed in the unit's "Invoices and acts" and e-mailed to its owners."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from num2words import num2words

from franchise.documents.services import document_create
from franchise.documents.validation import CheckedFile
from franchise.models import DocumentFolder, Membership, Role
from portal.money import round_money
from portal.pdf import render_pdf

from .models import FranchisorDetails, Invoice, Order, OrderSettings
from .models import OrderStatus as S
from .signals import invoice_issued


def amount_in_words(amount: Decimal) -> str:
    """ "Одна тысяча двести пятьдесят рублей 50 копеек": the line every Russian invoice has."""
    amount = round_money(amount)
    rubles = int(amount)
    kopecks = int((amount - rubles) * 100)
    # A Decimal is read as roubles and kopecks; the kopecks stay in figures, as invoices write.
    text = num2words(amount, lang="ru", to="currency", currency="RUB").split(",")[0]
    words = text[:1].upper() + text[1:]
    return f"{words} {kopecks:02d} {_kopeck_word(kopecks)}"


def _kopeck_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "копейка"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "копейки"
    return "копеек"


def invoice_issue(*, order: Order, user) -> Invoice:
    """Called by `order_confirm` inside its transaction, with the order locked."""
    from .services import _move

    today = timezone.localdate()
    invoice = Invoice.objects.create(
        order=order,
        unit=order.unit,
        number=order.number,
        issued_on=today,
        due_on=today + timedelta(days=OrderSettings.load().payment_days),
        total=order.total,
        vat_total=order.vat_total,
    )
    _move(order, S.INVOICED, user=user)
    invoice_issued.send(sender=Invoice, invoice=invoice)
    from .tasks import invoice_file_task

    invoice_file_task.delay_on_commit(invoice.pk, getattr(user, "pk", None))
    return invoice


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice in Russian, whoever asks: it is a Russian legal document."""
    order = invoice.order
    with translation.override("ru"):
        return render_pdf(
            "pdf/invoice.html",
            {
                "invoice": invoice,
                "order": order,
                "unit": invoice.unit,
                "lines": order.lines.select_related("product").filter(quantity__gt=0),
                "seller": FranchisorDetails.load(),
                "in_words": amount_in_words(invoice.total),
            },
        )


def invoice_file(*, invoice_id: int, user_id: int | None) -> Invoice:
    """Render, file in the unit's documents and e-mail; idempotent (a filed invoice is left)."""
    invoice = Invoice.objects.select_related("order", "unit__account_manager").get(pk=invoice_id)
    if invoice.document_id:
        return invoice
    by = get_user_model().objects.filter(pk=user_id).first() or invoice.unit.account_manager
    data = invoice_pdf(invoice)
    name = f"invoice-{invoice.number}.pdf"
    with transaction.atomic():
        with translation.override("ru"):
            title = _("Invoice %(number)s of %(date)s") % {
                "number": invoice.number,
                "date": invoice.issued_on.strftime("%d.%m.%Y"),
            }
        document = document_create(
            unit=invoice.unit,
            folder=DocumentFolder.INVOICES,
            title=title,
            checked=CheckedFile(name, "pdf", "application/pdf", len(data), data),
            by=by,
            notify=False,
        )
        Invoice.objects.filter(pk=invoice.pk).update(document=document)
    invoice.document = document
    owners = [
        m.user
        for m in Membership.objects.filter(
            unit=invoice.unit, role=Role.OWNER, user__is_active=True
        ).select_related("user")
        if m.user.email
    ]
    for owner in owners:
        with translation.override(owner.preferred_language or "ru"):
            mail = EmailMessage(
                subject=title,
                body=_("Your order %(number)s is confirmed. The invoice is attached.")
                % {"number": invoice.number},
                to=[owner.email],
            )
        mail.attach(name, data, "application/pdf")
        mail.send(fail_silently=True)
    return invoice
