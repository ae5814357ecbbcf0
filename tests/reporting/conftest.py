"""Reporting fixtures: a monthly sales template with a computed field, and helpers."""

from decimal import Decimal

import pytest
from django.utils import timezone

from reporting import periods as P
from reporting import services
from reporting.models import ReportField, ReportTemplate, Submission, Value

SALES_FIELDS = [
    {"key": "revenue", "label": "Revenue", "kind": "money", "unit": "₽", "min_value": 0},
    {"key": "receipts", "label": "Receipts", "kind": "integer", "min_value": 0},
    {
        "key": "average_check",
        "label": "Average check",
        "kind": "money",
        "formula": "revenue / receipts",
    },
    {"key": "staff", "label": "Staff", "kind": "integer", "min_value": 0, "max_value": 200},
    {"key": "open_sundays", "label": "Open on Sundays", "kind": "yesno", "required": False},
    {
        "key": "format",
        "label": "Format",
        "kind": "choice",
        "choices": "Cafe\nKiosk",
        "required": False,
    },
    {"key": "comment", "label": "Comment", "kind": "text", "required": False},
]


def make_template(slug="sales", kind="monthly", due_days=5, fields=SALES_FIELDS, name=None):
    template = ReportTemplate.objects.create(
        name=name or slug.title(), slug=slug, period_kind=kind, due_days=due_days
    )
    for i, f in enumerate(fields):
        ReportField.objects.create(template=template, sort_order=i, **f)
    return template


@pytest.fixture
def sales(db):
    return make_template()


@pytest.fixture
def period(sales):
    return P.last_closed("monthly", timezone.localdate())


def report(unit, template, period, *, status="submitted", user=None, **values):
    """A report with numeric values, written straight to the tables (for analytics tests)."""
    sub = services.submission_open(unit=unit, template=template, period=period)
    Value.objects.bulk_create(
        [Value(submission=sub, field_key=k, number=Decimal(str(v))) for k, v in values.items()]
    )
    Submission.objects.filter(pk=sub.pk).update(
        status=status,
        submitted_at=timezone.now() if status != "draft" else None,
        submitted_by=user,
    )
    sub.refresh_from_db()
    return sub


def form_url(unit, template, period):
    return f"/reports/u/{unit.code}/{template.slug}/{period.key}/"
