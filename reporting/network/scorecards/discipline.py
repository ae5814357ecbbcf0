"""Report discipline: every report expected in the last periods, classified on time, late,
missing or pending."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Q,
)

from reporting import periods as P
from reporting.models import Submission

from .measures import DISCIPLINE_PERIODS, SENT

# Report discipline ---------------------------------------------------------------------


def expected_reports(unit_frame: pd.DataFrame, templates, today: date) -> pd.DataFrame:
    """unit_id, template_id, period_start, due_date: every report due in the last 12 periods
    of each active template, for the units in its audience."""
    parts = []
    for template in templates:
        regions = {r.pk for r in template.audience_regions.all()}
        units = unit_frame if not regions else unit_frame[unit_frame["region_id"].isin(regions)]
        if units.empty:
            continue
        periods = P.recent_periods(template.period_kind, today, DISCIPLINE_PERIODS)
        grid = pd.DataFrame(
            {
                "template_id": template.pk,
                "period_start": [pd.Timestamp(p.start) for p in periods],
                "due_date": [pd.Timestamp(p.due_date(template.due_days)) for p in periods],
            }
        )
        parts.append(units[["unit_id"]].merge(grid, how="cross"))
    if not parts:
        return pd.DataFrame(columns=["unit_id", "template_id", "period_start", "due_date"])
    return pd.concat(parts, ignore_index=True)


def submissions_frame(units, templates, since: date) -> pd.DataFrame:
    """unit_id, template_id, period_start, late: the reports sent (reporting's own frame has no
    template column, and monthly and quarterly periods share start dates). Whether a report
    was late is decided by the database (sent after its own due date, in the local time
    zone), so 150,000 timestamps are not converted in Python. A draft counts as not sent; a
    returned report by when it was first sent."""
    late = ExpressionWrapper(Q(submitted_at__date__gt=F("due_date")), output_field=BooleanField())
    rows = (
        Submission.objects.filter(
            unit__in=units,
            template__in=[t.pk for t in templates],
            period_start__gte=since,
            status__in=SENT,
            submitted_at__isnull=False,
        )
        .annotate(late=late)
        .values_list("unit_id", "template_id", "period_start", "late")
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["unit_id", "template_id", "period_start", "late"]
    )
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    frame["late"] = frame["late"].astype(bool)
    return frame


def discipline(expected: pd.DataFrame, submitted: pd.DataFrame, today: date) -> pd.DataFrame:
    """Each expected report classified: on_time, late, missing (past due, not sent) or
    pending (not sent, not yet due)."""
    if expected.empty:
        return expected.assign(sent=False, late=False, state="")
    merged = expected.merge(
        submitted.assign(sent=True), on=["unit_id", "template_id", "period_start"], how="left"
    )
    sent = merged["sent"].fillna(False).astype(bool)
    late = merged["late"].fillna(False).astype(bool)
    now = pd.Timestamp(today)
    merged["state"] = np.select(
        [sent & ~late, sent, merged["due_date"] < now],
        ["on_time", "late", "missing"],
        default="pending",
    )
    return merged
