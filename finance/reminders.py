"""Payment reminders: to a unit's people before, on and after a due date, and after it to the
account manager (the same pattern and notifications as the report reminders).

What is open by a due date comes from the FIFO open items (`receivables.open_items`), so a
unit that has paid is not reminded. A ReminderLog row per (unit, due date, stage, day) is
written before anything is sent; the units' balance rows are locked first, so two runs at
once take turns and the second finds the first one's rows: a rerun sends nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from franchise import notifications
from franchise.models import Franchisee, Membership, Role
from portal.money import format_money

from .models import Balance, ReminderLog
from .receivables import open_items, to_money

KIND = "finance"
notifications.register_kind(KIND, gettext_lazy("Settlements"))

BEFORE, DUE, OVERDUE = "before", "due", "overdue"
#: Days relative to the due date on which an open amount is reminded of.
OFFSETS = {-3: BEFORE, 0: DUE}
OVERDUE_OFFSETS = (1, 7, 14, 30)


def stage_for(offset: int) -> str | None:
    if offset in OFFSETS:
        return OFFSETS[offset]
    if offset in OVERDUE_OFFSETS:
        return OVERDUE
    return None


def _people(unit_ids) -> dict[int, list]:
    people: dict[int, list] = {}
    for m in Membership.objects.filter(
        unit_id__in=unit_ids, role__in=[Role.OWNER, Role.MEMBER], user__is_active=True
    ).select_related("user"):
        people.setdefault(m.unit_id, []).append(m.user)
    return people


def _language(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _title(stage: str, amount: Decimal, due: date) -> str:
    names = {"amount": format_money(amount), "due": date_format(due)}
    if stage == BEFORE:
        return _("Payment reminder: %(amount)s is due on %(due)s") % names
    if stage == DUE:
        return _("Payment reminder: %(amount)s is due today") % names
    return _("Overdue payment: %(amount)s was due on %(due)s") % names


@transaction.atomic
def reminders_send(*, today: date | None = None) -> int:
    """Send today's payment reminders; returns the number of (unit, due date) reminders."""
    today = today or timezone.localdate()
    units = Franchisee.objects.filter(status=Franchisee.Status.ACTIVE)
    items = open_items(units=units, today=today)
    if items.empty:
        return 0
    items["stage"] = items["days"].map(stage_for)
    items = items[items["stage"].notna()]
    if items.empty:
        return 0
    due = items.groupby(["unit_id", "due", "stage"], sort=True)["kopecks"].sum().reset_index()
    unit_ids = sorted({int(u) for u in due["unit_id"]})
    # Concurrent runs take turns here, then see each other's log rows.
    list(Balance.objects.select_for_update().filter(unit_id__in=unit_ids).order_by("pk"))
    already = set(
        ReminderLog.objects.filter(unit_id__in=unit_ids, sent_on=today).values_list(
            "unit_id", "due_on", "stage"
        )
    )
    todo = [
        (int(r.unit_id), r.due, r.stage, to_money(r.kopecks))
        for r in due.itertuples(index=False)
        if (int(r.unit_id), r.due, r.stage) not in already
    ]
    if not todo:
        return 0
    ReminderLog.objects.bulk_create(
        [ReminderLog(unit_id=u, due_on=d, stage=s, sent_on=today, amount=a) for u, d, s, a in todo],
        ignore_conflicts=True,
    )
    found = Franchisee.objects.select_related("account_manager").in_bulk({u for u, *_rest in todo})
    people = _people(list(found))
    notices, late_by_manager = [], {}
    for unit_id, due_on, stage, amount in todo:
        unit = found[unit_id]
        url = reverse("finance:unit_ledger", args=[unit.code])
        groups: dict[str, list] = {}
        for user in people.get(unit_id, []):
            groups.setdefault(_language(user), []).append(user)
        context = {
            "unit": unit,
            "stage": stage,
            "amount": amount,
            "due": due_on,
            "days_late": (today - due_on).days,
        }
        for language, users in groups.items():
            with translation.override(language):
                notices.append(
                    notifications.Notice(
                        recipients=users,
                        title=_title(stage, amount, due_on),
                        body=render_to_string("email/finance_reminder.txt", context).strip(),
                        url=url,
                        unit=unit,
                    )
                )
        if stage == OVERDUE and unit.account_manager_id:
            late_by_manager.setdefault(unit.account_manager, []).append(context)
    late_url = reverse("finance:receivables") + "?show=overdue"
    for manager, late in late_by_manager.items():
        with translation.override(_language(manager)):
            notices.append(
                notifications.Notice(
                    recipients=[manager],
                    title=_("Overdue payments of %(count)s units of your portfolio")
                    % {"count": len({c["unit"].pk for c in late})},
                    body=render_to_string("email/finance_escalation.txt", {"late": late}).strip(),
                    url=late_url,
                )
            )
    notifications.notify_many(kind=KIND, notices=notices)
    return len(todo)


@shared_task
def reminders_send_task():
    return reminders_send()
