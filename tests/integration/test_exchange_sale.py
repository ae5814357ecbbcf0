"""Order statuses from 1C (`type=sale&mode=file`): changed through the order services, exactly
as on the order desk, and a file with one impossible change saves nothing."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from franchise.models import Notification
from integration.models import IntegrationKey
from orders.models import Order, OrderEvent, Stock
from orders.signals import order_status_changed
from tests.integration import test_exchange_1c
from tests.integration.conftest import make_order

_client = test_exchange_1c.one_c


@pytest.fixture
def one_c(_client):
    """The logged-in 1C client; its key's person reviews every unit, as the desk's people
    review theirs (a network key without that right is refused, see the last test)."""
    user = IntegrationKey.objects.get(name="1C").user
    user.user_permissions.add(Permission.objects.get(codename="review_unit"))
    return _client


def _document(number: str, status: str, **extra: str) -> str:
    props = {"Статус заказа": status, **extra}
    values = "".join(
        f"<ЗначениеРеквизита><Наименование>{k}</Наименование><Значение>{v}</Значение>"
        "</ЗначениеРеквизита>"
        for k, v in props.items()
    )
    return (
        f"<Документ><Ид>{number}</Ид><Номер>{number}</Номер><ХозОперация>Заказ товара"
        f"</ХозОперация><ЗначенияРеквизитов>{values}</ЗначенияРеквизитов></Документ>"
    )


def _send(client, *documents: str, name="orders.xml"):
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация ВерсияСхемы="2.10">'
        + "".join(documents)
        + "</КоммерческаяИнформация>"
    ).encode()
    return client.post(
        f"/exchange/1c/?type=sale&mode=file&filename={name}",
        body,
        content_type="application/octet-stream",
    )


@pytest.fixture
def signals():
    seen = []

    def receiver(sender, order, event, user, **kw):
        seen.append((order.number, event.from_status, event.to_status, user))

    order_status_changed.connect(receiver, dispatch_uid="test-sale-signals")
    yield seen
    order_status_changed.disconnect(dispatch_uid="test-sale-signals")


def _trail(number: str) -> dict:
    order = Order.objects.get(number=number)
    return {
        "status": order.status,
        "events": list(
            OrderEvent.objects.filter(order=order)
            .order_by("pk")
            .values_list("from_status", "to_status")
        ),
        "notices": sorted(
            Notification.objects.filter(url__contains=f"/{number}/").values_list(
                "user__username", flat=True
            )
        ),
    }


@pytest.mark.django_db
def test_confirmation_from_1c_does_what_the_desk_does(
    one_c, network, shop, client_for, signals, django_capture_on_commit_callbacks
):
    make_order(network.other_unit, "Z-0003", shop.product)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(network.other_manager).post(
            reverse("orders:order_confirm", args=[network.other_unit.code, "Z-0003"])
        )
    with django_capture_on_commit_callbacks(execute=True):
        answer = _send(one_c, _document("Z-0002", "confirmed"))
    assert answer.content == b"success"
    desk, from_1c = _trail("Z-0003"), _trail("Z-0002")
    assert from_1c == desk and from_1c["status"] == "invoiced" and from_1c["notices"]
    assert [s[1:3] for s in signals if s[0] == "Z-0002"] == [
        s[1:3] for s in signals if s[0] == "Z-0003"
    ]
    by = OrderEvent.objects.filter(order__number="Z-0002").latest("pk").by
    assert by is not None and by == [s[3] for s in signals if s[0] == "Z-0002"][0]
    assert Stock.objects.get(product=shop.product).reserved == 4  # both orders hold stock


@pytest.mark.django_db
def test_shipped_paid_cancelled_and_a_repeated_file(one_c, network, shop, signals):
    assert _send(one_c, _document("Z-0002", "confirmed")).content == b"success"
    assert _send(one_c, _document("Z-0002", "shipped")).content == b"success"
    order = Order.objects.get(number="Z-0002")
    assert order.status == "shipped" and order.shipments.count() == 1
    assert Stock.objects.get(product=shop.product).on_hand == 8
    events = OrderEvent.objects.count()
    assert _send(one_c, _document("Z-0002", "shipped")).content == b"success"  # sent again
    assert OrderEvent.objects.count() == events
    answer = _send(
        one_c, _document("Z-0001", "", **{"Отменен": "true", "Причина отмены": "Нет машины"})
    )
    assert answer.content == b"success"
    cancelled = Order.objects.get(number="Z-0001")
    assert cancelled.status == "cancelled" and cancelled.cancel_reason == "Нет машины"


@pytest.mark.django_db
def test_an_impossible_change_is_reported_and_nothing_is_saved(one_c, network, shop, signals):
    before = {n: _trail(n) for n in ("Z-0001", "Z-0002")}
    answer = _send(
        one_c,
        _document("Z-0002", "confirmed"),
        _document("Z-0001", "delivered"),
        _document("Z-9999", "paid"),
        _document("Z-0002", "teleported"),
    )
    text = answer.content.decode()
    assert answer.status_code == 400 and text.startswith("failure\n")
    assert "Z-0001" in text and "Z-9999" in text and "teleported" in text
    assert {n: _trail(n) for n in ("Z-0001", "Z-0002")} == before
    assert Stock.objects.get(product=shop.product).reserved == 0
    assert not signals or all(s[0] != "Z-0001" for s in signals)


@pytest.mark.django_db
def test_bad_files_fail_without_a_500(one_c, network, shop):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        b"<\xd0\x9a\xd0\x98>&a;</\xd0\x9a\xd0\x98>"
    )
    for body in (b"not xml", bomb, b""):
        r = one_c.post(
            "/exchange/1c/?type=sale&mode=file&filename=orders.xml",
            body,
            content_type="application/octet-stream",
        )
        assert r.status_code == 400 and r.content.startswith(b"failure")
    bad_name = one_c.post(
        "/exchange/1c/?type=sale&mode=file&filename=.x.xml", b"<a/>", content_type="text/xml"
    )
    assert bad_name.content.startswith(b"failure")
    assert Order.objects.get(number="Z-0001").status == "submitted"


@pytest.mark.django_db
def test_a_key_without_the_review_right_is_refused(_client, network, shop):
    answer = _send(_client, _document("Z-0001", "confirmed"))
    assert answer.status_code == 400 and "Z-0001" in answer.content.decode()
    assert Order.objects.get(number="Z-0001").status == "submitted"
