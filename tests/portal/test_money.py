from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from portal.money import format_money, round_money


def test_round_money_is_half_up_to_kopecks():
    assert round_money(Decimal("0.005")) == Decimal("0.01")
    assert round_money(Decimal("2.675")) == Decimal("2.68")
    assert round_money(Decimal("-0.005")) == Decimal("-0.01")
    assert round_money("10") == Decimal("10.00")


def test_money_in_russian_and_english():
    with translation.override("ru"):
        assert format_money(Decimal("1250000")) == "1\xa0250\xa0000,00\xa0₽"
    with translation.override("en"):
        assert format_money(Decimal("1250000.5")) == "1,250,000.50\xa0₽"


def test_money_filter():
    with translation.override("ru"):
        html = Template("{% load money %}{{ v|money }}").render(Context({"v": Decimal("75000")}))
    assert html == "75\xa0000,00\xa0₽"
