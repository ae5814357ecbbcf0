"""Telling people about an order: in-app notice and e-mail, each in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from franchise import notifications
from franchise.models import Membership, Role

from .models import Order

notifications.register_kind("order", translation.gettext_lazy("Orders"))


def order_url(order: Order) -> str:
    return reverse("orders:order_detail", args=[order.unit.code, order.number])


def unit_people(order: Order) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            unit_id=order.unit_id, role__in=[Role.OWNER, Role.MEMBER], user__is_active=True
        ).select_related("user")
    ]


def tell(order: Order, users: Iterable, title: Callable[[], str], body: Callable[[], str]):
    """One notice per reader; `title` and `body` are called with each reader's language on."""
    groups: dict[str, list] = {}
    for user in users:
        if user is not None:
            groups.setdefault(user.preferred_language or settings.LANGUAGE_CODE, []).append(user)
    notices = []
    for language, people in groups.items():
        with translation.override(language):
            notices.append(
                notifications.Notice(people, title(), body(), order_url(order), order.unit)
            )
    notifications.notify_many(kind="order", notices=notices)
