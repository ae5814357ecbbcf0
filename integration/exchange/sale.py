"""sale/query: the orders 1C has not taken yet, as CommerceML documents; sale/success marks
them taken. An order changed after it was taken is handed over again."""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, tostring  # noqa: S405 - writing only

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from orders.models import Order, OrderLine, OrderStatus

from ..models import OrderExport

EXPORTED_STATUSES = [s for s in OrderStatus.values if s != OrderStatus.DRAFT]


def orders_to_export():
    taken = OrderExport.objects.filter(order=OuterRef("pk"), version__gte=OuterRef("updated_at"))
    return (
        Order.objects.filter(status__in=EXPORTED_STATUSES)
        .filter(~Exists(taken))
        .select_related("unit")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related("product")))
        .order_by("created_at", "pk")
    )


def _add(parent, tag, text=None, **attrs):
    elem = SubElement(parent, tag, attrs)
    if text is not None:
        elem.text = str(text)
    return elem


def orders_xml(orders) -> bytes:
    now = timezone.localtime()
    root = Element(
        "КоммерческаяИнформация",
        {"ВерсияСхемы": "2.10", "ДатаФормирования": now.strftime("%Y-%m-%dT%H:%M:%S")},
    )
    for order in orders:
        created = timezone.localtime(order.created_at)
        doc = _add(root, "Документ")
        _add(doc, "Ид", order.number)
        _add(doc, "Номер", order.number)
        _add(doc, "Дата", created.strftime("%Y-%m-%d"))
        _add(doc, "Время", created.strftime("%H:%M:%S"))
        _add(doc, "ХозОперация", "Заказ товара")
        _add(doc, "Роль", "Продавец")
        _add(doc, "Валюта", "RUB")
        _add(doc, "Курс", "1")
        _add(doc, "Сумма", order.total)
        agents = _add(doc, "Контрагенты")
        agent = _add(agents, "Контрагент")
        unit = order.unit
        _add(agent, "Ид", unit.code)
        _add(agent, "Наименование", unit.trading_name)
        _add(agent, "ОфициальноеНаименование", unit.legal_name)
        _add(agent, "ИНН", unit.inn)
        _add(agent, "КПП", unit.kpp)
        _add(agent, "Роль", "Покупатель")
        if order.comment:
            _add(doc, "Комментарий", order.comment)
        goods = _add(doc, "Товары")
        for line in order.lines.all():
            item = _add(goods, "Товар")
            _add(item, "Ид", line.product.external_id or line.product.sku)
            _add(item, "Артикул", line.product.sku)
            _add(item, "Наименование", line.product.name_ru or line.product.name_en)
            _add(item, "БазоваяЕдиница", line.product.unit_of_measure)
            _add(item, "ЦенаЗаЕдиницу", line.price)
            _add(item, "Количество", line.quantity)
            _add(item, "Сумма", line.line_total)
            rates = _add(_add(item, "СтавкиНалогов"), "СтавкаНалога")
            _add(rates, "Наименование", "НДС")
            _add(rates, "Ставка", line.vat_rate)
        props = _add(doc, "ЗначенияРеквизитов")
        prop = _add(props, "ЗначениеРеквизита")
        _add(prop, "Наименование", "Статус заказа")
        _add(prop, "Значение", order.status)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()


@transaction.atomic
def orders_handed(*, session: str) -> bytes:
    """The export for this session; remembered as handed over (not yet confirmed)."""
    orders = list(orders_to_export()[:500])
    for order in orders:
        OrderExport.objects.update_or_create(
            order=order, defaults={"version": order.updated_at, "confirmed_at": None}
        )
    return orders_xml(orders)


def orders_confirmed() -> int:
    return OrderExport.objects.filter(confirmed_at__isnull=True).update(confirmed_at=timezone.now())
