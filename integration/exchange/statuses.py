"""sale/file: order statuses 1C sends back (CommerceML documents with the requisite
"Статус заказа", or "Отменен" = true). Each change runs the order service the order desk runs,
as the exchange key's person, so the timeline, stock, invoice, notices and signals are the
desk's; one impossible change in a file and nothing of the file is saved."""

from __future__ import annotations

import io
import zipfile

from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from orders import services as O
from orders.models import Order
from orders.models import OrderStatus as S

from .commerceml import PackageError, _child, _local, _text
from .importer import MAX_ERRORS

MAX_DOCUMENTS = 5000
_TRUE = {"true", "1", "да", "истина"}


def _status_names() -> dict[str, str]:
    """Status codes and their English and Russian labels (lower case, ё as е) -> code."""
    names = {}
    for status in S:
        names[status.value] = status.value
        for language in ("en", "ru"):
            with translation.override(language):
                names[str(status.label).lower().replace("ё", "е")] = status.value
    return names


def _xml_files(data: bytes) -> list[bytes]:
    """The file itself, or the .xml files of 1C's zip within EXCHANGE_UNZIPPED_LIMIT."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [data]
    budget, files = settings.EXCHANGE_UNZIPPED_LIMIT, []
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        for member in bundle.infolist():
            if member.is_dir() or not member.filename.lower().endswith(".xml"):
                continue
            with bundle.open(member) as source:
                content = source.read(budget + 1)
            budget -= len(content)
            if budget < 0:
                raise PackageError(_("The zip unpacks to more than allowed."))
            files.append(content)
    return files


def read_statuses(data: bytes) -> list[dict]:
    """[{'number', 'status' (as sent), 'cancelled', 'reason'}] for every document."""
    documents = []
    for content in _xml_files(data):
        try:
            root = fromstring(content, forbid_dtd=True)
        except Exception as error:  # ParseError and defusedxml's DTD/entity refusals
            raise PackageError(f"{type(error).__name__}: {error}") from error
        if _local(root.tag) != "КоммерческаяИнформация":
            raise PackageError(_("Not a CommerceML file."))
        for doc in root.iter():
            if _local(doc.tag) != "Документ":
                continue
            props = {}
            values = _child(doc, "ЗначенияРеквизитов")
            for prop in values if values is not None else ():
                props[_text(prop, "Наименование").lower()] = _text(prop, "Значение")
            documents.append(
                {
                    "number": _text(doc, "Номер") or _text(doc, "Ид"),
                    "status": props.get("статус заказа", ""),
                    "cancelled": props.get("отменен", "").lower() in _TRUE,
                    "reason": props.get("причина отмены") or _text(doc, "Комментарий"),
                }
            )
    if len(documents) > MAX_DOCUMENTS:
        raise PackageError(_("More than %(n)s documents in one file.") % {"n": MAX_DOCUMENTS})
    return documents


def _change(order: Order, to: str, *, user, reason: str) -> bool:
    """Run the desk's service that brings `order` to `to`; False if it is there already."""
    if order.status == to or (to == S.CONFIRMED and order.status == S.INVOICED):
        return False
    if to in (S.CONFIRMED, S.INVOICED):
        O.order_confirm(order=order, user=user)
    elif to == S.PAID:
        O.order_mark_paid(order=order, user=user)
    elif to == S.SHIPPED:
        left = {ln.pk: str(ln.quantity - ln.quantity_shipped) for ln in order.lines.all()}
        O.order_ship(order=order, user=user, quantities=left)
    elif to == S.DELIVERED:
        O.order_deliver(order=order, user=user)
    elif to == S.CANCELLED:
        O.order_cancel(order=order, user=user, reason=reason)
    elif to == S.REJECTED:
        O.order_reject(order=order, user=user, reason=reason)
    else:
        raise ValidationError(
            _("1C cannot set the status %(status)s.") % {"status": S(to).label.lower()}
        )
    return True


def statuses_apply(documents: list[dict], *, user) -> list[str]:
    """Apply every document in one transaction; the errors, one per document, or [] when
    everything was applied (an empty list also when nothing had to change)."""
    names, errors = _status_names(), []
    with transaction.atomic():
        for doc in documents:
            number = doc["number"][:30]
            raw = doc["status"].strip()
            to = S.CANCELLED if doc["cancelled"] else names.get(raw.lower().replace("ё", "е"))
            order = Order.objects.filter(number=number).select_related("unit").first()
            if order is None:
                errors.append(_("%(number)s: no such order.") % {"number": number or "?"})
            elif to is None:
                errors.append(
                    _("%(number)s: unknown status %(status)s.")
                    % {"number": number, "status": raw[:60] or "?"}
                )
            else:
                try:
                    with transaction.atomic():
                        _change(order, to, user=user, reason=doc["reason"][:2000])
                except ValidationError as error:
                    errors.append(f"{number}: {' '.join(error.messages)}")
                except PermissionDenied:
                    errors.append(
                        _("%(number)s: the exchange key may not change it.") % {"number": number}
                    )
            if len(errors) >= MAX_ERRORS:
                break
        if errors:
            transaction.set_rollback(True)
    return errors
