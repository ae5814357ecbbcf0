"""The weekly digest: what changed in a manager's portfolio since last Monday.

Built from the same cached network scorecards as the network table (sliced to the portfolio),
sent once per manager per week (`portal.activity.WeeklyDigestLog` makes reruns harmless) and
also shown as a page.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pandas as pd
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from franchise.models import Franchisee
from portal.activity import WeeklyDigestLog
from reporting import periods as P

from . import scorecards

logger = logging.getLogger(__name__)
SHOWN = 10
#: New late reports listed (the rest: the late reports page).
LATE_SHOWN = 50


#: Sections other apps add to the digest: fn(user, units, today) -> {"title", "lines"} or None.
SECTIONS: list = []


def register_section(section) -> None:
    """Add a section (e.g. surveys' NPS); called from an app's ready(), once."""
    if section not in SECTIONS:
        SECTIONS.append(section)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_for(units: QuerySet, *, today: date, user=None) -> dict:
    """New late reports, units whose key figure fell most, overdue training, unanswered
    requests: each a list of rows with the unit's code and name; then the registered
    sections of other apps for `user`."""
    table, net = scorecards.scope_table(units, today=today)
    names = table.set_index("unit_id")[["code", "name", "region", "manager"]]

    def unit(pk) -> dict:
        r = names.loc[pk]
        return {"code": r["code"], "name": r["name"], "region": r["region"]}

    rep = net.details.recent
    since = pd.Timestamp(today - timedelta(days=7))
    late_rows, late_total = [], 0
    if not rep.empty:
        fresh = rep[
            rep["unit_id"].isin(names.index)
            & (rep["due_date"] >= since)
            & (rep["due_date"] < pd.Timestamp(today))
            & rep["state"].isin(["late", "missing"])
        ].sort_values(["due_date", "unit_id"])
        late_total = len(fresh)
        for r in fresh.head(LATE_SHOWN).itertuples():
            template = net.details.templates[r.template_id]
            late_rows.append(
                {
                    **unit(r.unit_id),
                    "report": template.name,
                    "period": P.period_containing(
                        template.period_kind, r.period_start.date()
                    ).label,
                    "due": r.due_date.date(),
                    "state": r.state,
                }
            )
    falls = table[table["key_change"].notna() & (table["key_change"] < 0)].sort_values(
        ["key_change", "code"]
    )
    fall_rows = [
        {**unit(r.unit_id), "value": float(r.key_value), "change": float(r.key_change)}
        for r in falls.head(SHOWN).itertuples()
    ]
    overdue = net.details.overdue_courses
    training_rows = [
        {
            **unit(pk),
            "people": int(table.loc[table["unit_id"] == pk, "people_overdue"].iloc[0]),
            "courses": ", ".join(f"{title} ({n})" for title, n in courses),
        }
        for pk, courses in sorted(overdue.items(), key=lambda kv: -sum(n for _t, n in kv[1]))
        if pk in names.index
    ]
    requests = table[table["unanswered_requests"] > 0].sort_values(
        ["unanswered_requests", "code"], ascending=[False, True]
    )
    request_rows = [
        {**unit(r.unit_id), "count": int(r.unanswered_requests)} for r in requests.itertuples()
    ]
    return {
        "today": today,
        "week": week_start(today),
        "key_label": net.key_label,
        "period": net.period,
        "counts": scorecards.status_counts(table),
        "call_first": scorecards.call_first(table).to_dict("records"),
        "late": late_rows,
        "late_more": late_total - len(late_rows),
        "falls": fall_rows,
        "training": training_rows[:SHOWN],
        "training_total": len(training_rows),
        "requests": request_rows[:SHOWN],
        "requests_total": len(request_rows),
        "units": len(table),
        "sections": [
            found for section in SECTIONS if (found := section(user, units, today)) is not None
        ],
    }


def managers_with_portfolio():
    """Account managers of at least one open unit, with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            portfolio__in=Franchisee.objects.exclude(status=Franchisee.Status.CLOSED),
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def digest_send(*, user, today: date) -> bool:
    """Send this week's digest to `user` unless it went already; True if sent now."""
    units = scorecards.units_in_scope(user)
    if units is None:
        return False
    week = week_start(today)
    with transaction.atomic():
        _log, created = WeeklyDigestLog.objects.get_or_create(user=user, week=week)
        if not created:
            return False
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = digest_for(units, today=today, user=user)
            context.update(
                {
                    "user": user,
                    "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("network:digest"),
                }
            )
            subject = render_to_string("email/network_digest_subject.txt", context).strip()
            body = render_to_string("email/network_digest.txt", context)
        send_mail(subject, body, None, [user.email])
    return True


def digests_send(*, today: date | None = None) -> int:
    """The weekly job: every manager's digest, at most once a week each."""
    today = today or timezone.localdate()
    sent = 0
    for user in managers_with_portfolio():
        try:
            sent += digest_send(user=user, today=today)
        except Exception:
            logger.exception("network digest for user %s failed", user.pk)
    return sent
