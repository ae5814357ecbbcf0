"""Demo reports: a monthly sales report and a quarterly quality report with 24 months of
history for every demo unit — seasonal, growing and declining units, a few outliers, late
and missing reports, returned ones with comments.

Figures are generated with numpy in one go; reports, figures and history are written as
plain rows (multi-row INSERTs, reports with explicit ids), so a 5,000-unit network takes
seconds. Idempotent: (unit, template, period) rows that exist are left alone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from portal.demo import DemoContext

from . import periods as P
from .models import ChangeLog, ReportField, ReportTemplate, Submission, Value
from .services import template_version_current

SALES = {
    "slug": "monthly-sales",
    "name_en": "Monthly sales",
    "name_ru": "Продажи за месяц",
    "description_en": "Revenue, receipts, staff and complaints of the month.",
    "description_ru": "Выручка, чеки, персонал и жалобы за месяц.",
    "period_kind": "monthly",
    "due_days": 5,
    "fields": [
        {
            "key": "revenue",
            "label_en": "Revenue",
            "label_ru": "Выручка",
            "kind": "money",
            "unit_en": "₽",
            "unit_ru": "₽",
            "min_value": 0,
        },
        {
            "key": "receipts",
            "label_en": "Receipts",
            "label_ru": "Чеки",
            "kind": "integer",
            "unit_en": "pcs",
            "unit_ru": "шт.",
            "min_value": 0,
        },
        {
            "key": "average_check",
            "label_en": "Average check",
            "label_ru": "Средний чек",
            "kind": "money",
            "unit_en": "₽",
            "unit_ru": "₽",
            "formula": "revenue / receipts",
        },
        {
            "key": "staff",
            "label_en": "Staff",
            "label_ru": "Персонал",
            "kind": "integer",
            "unit_en": "people",
            "unit_ru": "чел.",
            "min_value": 0,
            "max_value": 200,
        },
        {
            "key": "complaints",
            "label_en": "Complaints",
            "label_ru": "Жалобы",
            "kind": "integer",
            "min_value": 0,
        },
        {
            "key": "marketing",
            "label_en": "Local marketing spend",
            "label_ru": "Расходы на местный маркетинг",
            "kind": "money",
            "unit_en": "₽",
            "unit_ru": "₽",
            "min_value": 0,
            "required": False,
        },
        {
            "key": "format",
            "label_en": "Trading format",
            "label_ru": "Формат торговли",
            "kind": "choice",
            "choices_en": "Cafe\nKiosk\nTakeaway",
            "choices_ru": "Кафе\nКиоск\nНа вынос",
            "required": False,
        },
        {
            "key": "comment",
            "label_en": "Comment",
            "label_ru": "Комментарий",
            "kind": "text",
            "required": False,
        },
    ],
}
QUALITY = {
    "slug": "quarterly-quality",
    "name_en": "Quarterly quality",
    "name_ru": "Качество за квартал",
    "description_en": "Mystery shopper, hygiene audit and guest satisfaction.",
    "description_ru": "Тайный покупатель, санитарный аудит и удовлетворённость гостей.",
    "period_kind": "quarterly",
    "due_days": 10,
    "fields": [
        {
            "key": "mystery_score",
            "label_en": "Mystery shopper score",
            "label_ru": "Оценка тайного покупателя",
            "kind": "percent",
            "unit_en": "%",
            "unit_ru": "%",
            "min_value": 0,
            "max_value": 100,
        },
        {
            "key": "hygiene_passed",
            "label_en": "Hygiene audit passed",
            "label_ru": "Санитарный аудит пройден",
            "kind": "yesno",
            "help_text_en": "Yes when the last audit of the quarter found no violations.",
            "help_text_ru": "«Да», если последний аудит квартала не нашёл нарушений.",
        },
        {
            "key": "nps",
            "label_en": "Guest NPS",
            "label_ru": "NPS гостей",
            "kind": "integer",
            "min_value": -100,
            "max_value": 100,
        },
        {
            "key": "notes",
            "label_en": "Notes",
            "label_ru": "Заметки",
            "kind": "text",
            "required": False,
        },
    ],
}
RETURN_COMMENTS = [
    "Revenue does not match the cash register report, please check.",
    "Receipts look too low for this revenue — a typo?",
    "Please add the marketing spend for the promo week.",
    "Выручка не совпадает с данными кассы, проверьте, пожалуйста.",
]


def _template(spec: dict) -> ReportTemplate:
    template, created = ReportTemplate.objects.get_or_create(
        slug=spec["slug"],
        defaults={k: v for k, v in spec.items() if k not in ("slug", "fields")},
    )
    if created:
        for i, f in enumerate(spec["fields"]):
            ReportField.objects.create(template=template, sort_order=i, **f)
    return template


def _aware(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _periods(kind: str, today, count: int) -> list[P.Period]:
    return list(reversed(P.recent_periods(kind, today, count)))


def _status_plan(rng, n_units: int, n_periods: int):
    """Per (unit, period): 0 missing, 1 draft, 2 submitted, 3 returned, 4 approved; days late."""
    status = np.full((n_units, n_periods), 4)
    status[:, -1] = 2  # the last period waits for review
    status[:, -2] = np.where(rng.random(n_units) < 0.5, 2, 4)
    status[rng.random((n_units, n_periods)) < 0.03] = 0
    last = rng.random(n_units)
    status[last < 0.12, -1] = 0
    status[(last >= 0.12) & (last < 0.2), -1] = 1
    status[(last >= 0.2) & (last < 0.24), -1] = 3
    lateness = np.where(
        rng.random((n_units, n_periods)) < 0.12,
        rng.integers(1, 12, (n_units, n_periods)),
        -rng.integers(0, 5, (n_units, n_periods)),
    )
    return status, lateness


def _sales_figures(rng, n_units, periods):
    months = np.array([p.start.month for p in periods])
    season = 1 + 0.12 * np.cos((months - 12) / 12 * 2 * np.pi) - 0.06 * np.isin(months, [1, 2])
    base = rng.lognormal(np.log(1_400_000), 0.35, n_units)[:, None]
    growth = rng.normal(0.008, 0.012, n_units)[:, None]
    t = np.arange(len(periods))[None, :]
    revenue = (
        base * (1 + growth) ** t * season[None, :] * rng.normal(1, 0.05, (n_units, len(periods)))
    )
    shocks = rng.random(revenue.shape)
    revenue = np.where(shocks < 0.006, revenue * 2.8, revenue)
    revenue = np.where((shocks > 0.994), revenue * 0.45, revenue)
    check = rng.normal(430, 45, n_units)[:, None] * (1 + 0.004 * t)
    receipts = np.maximum(1, np.round(revenue / check))
    staff = np.clip(
        np.round(rng.normal(10, 3, n_units)[:, None] + rng.integers(-1, 2, revenue.shape)), 2, 60
    )
    complaints = rng.poisson(2.0, revenue.shape)
    marketing = np.round(revenue * rng.uniform(0.01, 0.04, revenue.shape), -2)
    revenue = np.round(revenue, -2)
    return {
        "revenue": revenue,
        "receipts": receipts,
        "average_check": np.round(revenue / receipts, 2),
        "staff": staff,
        "complaints": complaints,
        "marketing": marketing,
    }


def _quality_figures(rng, n_units, periods):
    shape = (n_units, len(periods))
    level = rng.normal(82, 7, n_units)[:, None]
    score = np.clip(np.round(level + rng.normal(0, 4, shape), 1), 35, 100)
    return {
        "mystery_score": score,
        "hygiene_passed": (rng.random(shape) > 0.08).astype(int),
        "nps": np.clip(
            np.round(rng.normal(45, 15, n_units)[:, None] + rng.normal(0, 6, shape)), -100, 100
        ),
    }


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows with multi-row INSERTs through executemany: a 5,000-unit history has about
    150,000 reports and 800,000 figures, and building a model instance per row (what
    bulk_create does) took most of the demo's time. Several rows per statement are about
    twice as fast as one (SQLite), within the backends' parameter limits."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per = max(1, 999 // len(columns))
    full = len(rows) - len(rows) % per
    many = f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * per)}"  # noqa: S608 - names only
    single = f"INSERT INTO {table} ({names}) VALUES {one}"  # noqa: S608 - names only
    statements = [
        [value for row in rows[start : start + per] for value in row]
        for start in range(0, full, per)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(statements), 50):
            cursor.executemany(many, statements[start : start + 50])
        if rows[full:]:
            cursor.executemany(single, rows[full:])


SUBMISSION_COLUMNS = (
    "id",
    "unit_id",
    "template_id",
    "version_id",
    "period_start",
    "period_end",
    "due_date",
    "status",
    "submitted_at",
    "submitted_by_id",
    "reviewed_at",
    "reviewed_by_id",
    "review_comment",
    "created_at",
    "updated_at",
)


def _next_submission_id() -> int:
    return (Submission.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _reset_submission_sequence() -> None:
    """Reports are written with explicit ids (so figures can point at them without reading
    them back); PostgreSQL's sequence is moved past them, as loaddata does."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Submission]):
            cursor.execute(sql)


#: The demo login whose units keep their latest period open: whoever signs in as "owner" (or
#: as "staff", of the same unit) can fill in and submit a report at once.
TRY_OUT_LOGIN = "owner"


def _try_out_units() -> set[int]:
    from franchise.models import Membership, Role

    return set(
        Membership.objects.filter(user__username=TRY_OUT_LOGIN, role=Role.OWNER).values_list(
            "unit_id", flat=True
        )
    )


def _seed_template(ctx, spec, units, periods, figures, rng, people):
    template = _template(spec)
    version = template_version_current(template=template)
    existing = set(
        Submission.objects.filter(template=template).values_list("unit_id", "period_start")
    )
    status_codes, lateness = _status_plan(rng, len(units), len(periods))
    try_out = _try_out_units()
    for i, unit in enumerate(units):
        if unit.pk in try_out:
            status_codes[i, -1] = 0  # nothing sent yet for the latest period
    statuses = {
        1: Submission.Status.DRAFT.value,
        2: Submission.Status.SUBMITTED.value,
        3: Submission.Status.RETURNED.value,
        4: Submission.Status.APPROVED.value,
    }
    reviewed_codes = {3, 4}
    ops = connection.ops
    opened = ops.adapt_datetimefield_value(_aware(ctx.today, 9))
    moments: dict = {}  # (day, hour) -> (submitted, reviewed), adapted for the database

    def moment(day, hour):
        if (day, hour) not in moments:
            at = _aware(day, hour)
            moments[day, hour] = (
                ops.adapt_datetimefield_value(at),
                ops.adapt_datetimefield_value(at + timedelta(days=2)),
            )
        return moments[day, hour]

    unit_ids = [u.pk for u in units]
    managers = [u.account_manager_id for u in units]
    owners = [people.get(pk) for pk in unit_ids]
    keys = list(figures)
    columns = [figures[key].tolist() for key in keys]
    next_id = _next_submission_id()
    reports, values, changes = [], [], []
    for j, period in enumerate(periods):
        due = period.due_date(template.due_days)
        start, end = ops.adapt_datefield_value(period.start), ops.adapt_datefield_value(period.end)
        due_on = ops.adapt_datefield_value(due)
        codes, late = status_codes[:, j].tolist(), lateness[:, j].tolist()
        for i, unit_id in enumerate(unit_ids):
            code = codes[i]
            if code == 0 or (unit_id, period.start) in existing:
                continue
            submitted = reviewed = None
            if code != 1:
                day = min(due + timedelta(days=late[i]), ctx.today)
                submitted, reviewed = moment(day, 10 + i % 8)
            if code not in reviewed_codes:
                reviewed = None
            sid = next_id + len(reports)
            reports.append(
                (
                    sid,
                    unit_id,
                    template.pk,
                    version.pk,
                    start,
                    end,
                    due_on,
                    statuses[code],
                    submitted,
                    owners[i] if submitted else None,
                    reviewed,
                    managers[i] if reviewed else None,
                    RETURN_COMMENTS[i % len(RETURN_COMMENTS)] if code == 3 else "",
                    submitted or opened,
                    submitted or opened,
                )
            )
            values.extend(
                (sid, key, str(column[i][j]), "", "")
                for key, column in zip(keys, columns, strict=True)
            )
            if code == 3:
                changes.append((sid, "status", "submitted", "returned", managers[i], reviewed))
    _insert(Submission, SUBMISSION_COLUMNS, reports)
    if reports:
        _reset_submission_sequence()
    _insert(Value, ("submission_id", "field_key", "number", "text", "file"), values)
    _insert(ChangeLog, ("submission_id", "field_key", "old", "new", "user_id", "at"), changes)
    return len(reports)


@transaction.atomic
def seed(ctx: DemoContext) -> None:
    from franchise.models import Membership, Role

    units = list(ctx.unit_objects) or []
    if not units:
        from franchise.models import Franchisee

        units = list(Franchisee.objects.order_by("code"))
    seed_int = ctx.rng_for("reporting").randrange(2**32)
    owners = dict(
        Membership.objects.filter(unit__in=units, role=Role.OWNER).values_list("unit_id", "user_id")
    )
    monthly = _periods("monthly", ctx.today, 24)
    quarterly = _periods("quarterly", ctx.today, 8)
    rng = np.random.default_rng(seed_int)
    made = _seed_template(
        ctx, SALES, units, monthly, _sales_figures(rng, len(units), monthly), rng, owners
    )
    rng = np.random.default_rng(seed_int + 1)
    made += _seed_template(
        ctx, QUALITY, units, quarterly, _quality_figures(rng, len(units), quarterly), rng, owners
    )
    ctx.log(f"reporting: {made} reports")
