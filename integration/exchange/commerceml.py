"""Streaming readers of CommerceML 2 packages (import.xml: catalogue, offers.xml: prices and
stock), with defusedxml: no DTDs, no entities, no external references.

Each reader yields plain dicts and clears what it has read, so a 20,000-product package is
never held as a tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from defusedxml.ElementTree import iterparse

#: 1C's unit codes (ОКЕИ) and international abbreviations to the portal's units.
UNITS = {
    "796": "pcs",
    "PCE": "pcs",
    "шт": "pcs",
    "778": "pack",
    "упак": "pack",
    "166": "kg",
    "KGM": "kg",
    "кг": "kg",
    "112": "l",
    "LTR": "l",
    "л": "l",
    "006": "m",
    "MTR": "m",
    "м": "m",
}


class PackageError(ValueError):
    """The file is not well-formed XML or not a CommerceML package."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem, name: str):
    for child in elem:
        if _local(child.tag) == name:
            return child
    return None


def _text(elem, name: str) -> str:
    child = _child(elem, name)
    return (child.text or "").strip() if child is not None else ""


def number(value: str) -> Decimal | None:
    try:
        result = Decimal(value.replace(",", ".").replace(" ", "").replace("\xa0", ""))
    except (InvalidOperation, AttributeError):
        return None
    return result if result.is_finite() else None


def _events(path):
    try:
        yield from iterparse(path, events=("start", "end"), forbid_dtd=True)
    except Exception as error:  # ParseError and defusedxml's DTD/entity refusals
        raise PackageError(f"{type(error).__name__}: {error}") from error


def read_import(path) -> Iterator[dict]:
    """{'kind': 'group', ...} for every catalogue group (parents first), then
    {'kind': 'product', ...} for every product."""
    tags: list[str] = []
    groups: list[dict] = []
    root_seen = False
    for event, elem in _events(path):
        tag = _local(elem.tag)
        if event == "start":
            if not root_seen:
                if tag != "КоммерческаяИнформация":
                    raise PackageError("not a CommerceML package (no КоммерческаяИнформация)")
                root_seen = True
            if tag == "Группа" and "Классификатор" in tags:
                groups.append({"kind": "group", "id": "", "name": "", "parent": ""})
                groups[-1]["parent"] = groups[-2]["id"] if len(groups) > 1 else ""
            tags.append(tag)
            continue
        tags.pop()
        parent = tags[-1] if tags else ""
        if parent == "Группа" and groups and tag in ("Ид", "Наименование"):
            groups[-1]["id" if tag == "Ид" else "name"] = (elem.text or "").strip()
        elif tag == "Группа" and groups and "Классификатор" in tags:
            yield groups.pop()
            elem.clear()
        elif tag == "Товар" and parent == "Товары":
            yield _product(elem)
            elem.clear()


def _product(elem) -> dict:
    unit = _child(elem, "БазоваяЕдиница")
    unit_code = ""
    if unit is not None:
        for candidate in (unit.get("Код"), unit.get("МеждународноеСокращение"), unit.text):
            if candidate and candidate.strip() in UNITS:
                unit_code = UNITS[candidate.strip()]
                break
    groups = _child(elem, "Группы")
    vat = ""
    rates = _child(elem, "СтавкиНалогов")
    if rates is not None:
        for rate in rates:
            if _text(rate, "Наименование").upper() == "НДС":
                vat = _text(rate, "Ставка")
    deleted = elem.get("Статус") == "Удален" or _text(elem, "ПометкаУдаления") == "true"
    return {
        "kind": "product",
        "id": _text(elem, "Ид"),
        "sku": _text(elem, "Артикул"),
        "name": _text(elem, "Наименование"),
        "description": _text(elem, "Описание"),
        "group": _text(groups, "Ид") if groups is not None else "",
        "unit": unit_code,
        "vat": vat,
        "deleted": deleted,
    }


def read_offers(path) -> Iterator[dict]:
    """{'kind': 'price_type'|'warehouse', 'id', 'name'} then {'kind': 'offer', ...}."""
    tags: list[str] = []
    root_seen = False
    for event, elem in _events(path):
        tag = _local(elem.tag)
        if event == "start":
            if not root_seen:
                if tag != "КоммерческаяИнформация":
                    raise PackageError("not a CommerceML package (no КоммерческаяИнформация)")
                root_seen = True
            tags.append(tag)
            continue
        tags.pop()
        parent = tags[-1] if tags else ""
        if tag == "ТипЦены" and parent == "ТипыЦен":
            yield {
                "kind": "price_type",
                "id": _text(elem, "Ид"),
                "name": _text(elem, "Наименование"),
            }
            elem.clear()
        elif tag == "Склад" and parent == "Склады":
            yield {
                "kind": "warehouse",
                "id": _text(elem, "Ид"),
                "name": _text(elem, "Наименование"),
            }
            elem.clear()
        elif tag == "Предложение" and parent == "Предложения":
            yield _offer(elem)
            elem.clear()


def _offer(elem) -> dict:
    prices = []
    block = _child(elem, "Цены")
    for price in block if block is not None else ():
        prices.append((_text(price, "ИдТипаЦены"), _text(price, "ЦенаЗаЕдиницу")))
    stock = [
        (child.get("ИдСклада", ""), child.get("КоличествоНаСкладе", ""))
        for child in elem
        if _local(child.tag) == "Склад"
    ]
    return {
        "kind": "offer",
        "id": _text(elem, "Ид").split("#", 1)[0],
        "prices": prices,
        "quantity": _text(elem, "Количество"),
        "stock": stock,
    }
