"""Unit scorecards for managers and network leads: one row per unit, computed with pandas.

A scorecard joins what the other parts already know about a unit: the latest figures of the
main report with rank and change (reporting analytics), report discipline over the last 12
periods, training compliance (learning's `targets_frame`), open tasks and requests, and
portal activity (`portal.activity.ActivityDay`). Every source is read with one `values_list`
query for all units in scope, so the page costs the same number of queries for 10 units as
for 5,000. The traffic light is derived from the measures with the reasons spelled out, so a
manager reads *why* a unit is red, not just that it is.

The pages do not compute per request: `network_scorecards` computes every open unit's row once
and keeps it in the cache under the data versions of what it reads (`portal.versions`), so it
is rebuilt after a write and read back otherwise; a manager's portfolio is a slice of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from franchise import access
from franchise.models import Franchisee, Membership, UnitRequest, UnitTask
from learning import selectors as learning_selectors
from learning.models import Certificate, CoursePage
from portal import versions
from portal.activity import ActivityDay
from portal.dashboard import AMBER, GREEN, RED
from reporting import periods as P
from reporting.analytics import frames, stats
from reporting.models import ReportTemplate, Submission
from reporting.summaries import numeric_definitions

#: How many closed periods count for report discipline.
DISCIPLINE_PERIODS = 12
#: Days of the activity window ("active in the last 30 days").
ACTIVE_DAYS = 30
#: Certificates expiring within this many days are flagged.
EXPIRY_DAYS = 30
#: A request without a due date counts as unanswered after this many days.
REQUEST_ANSWER_DAYS = 3
#: A fall of the key figure beyond this (period on period) turns the light amber.
DROP_LIMIT = stats.DROP_LIMIT

#: What the cached network frame reads, portal activity aside (see ACTIVITY_LABELS): every
#: write to one of these apps/models makes the next request rebuild it. Whole apps where
#: several of their tables are read (reports and template fields, courses and assignments,
#: units, regions, memberships, tasks, requests); the course titles (Wagtail's page table).
#: The account managers' names are read apart (MANAGER_LABELS): every sign-in writes the
#: user table.
FRAME_LABELS = ("reporting", "learning", "franchise", "wagtailcore.Page")
MANAGER_LABELS = ("portal.User", "franchise.Franchisee")
#: What the activity columns read. Kept apart: the first request of each person each day
#: writes an activity row, which must not throw away the rest of the network's figures.
ACTIVITY_LABELS = ("portal.ActivityDay", "franchise.Membership")
#: Bump when the layout of a cached object changes, so an old pickle is never read.
CACHE_FORMAT = 1

LEVEL_RANK = {GREEN: 0, AMBER: 1, RED: 2}
SENT = [Submission.Status.SUBMITTED, Submission.Status.APPROVED, Submission.Status.RETURNED]

#: The measures of the network table: key -> (label, kind). Sortable, filterable, exportable.
MEASURES: dict[str, tuple] = {
    "key_value": (gettext_lazy("Key figure"), "number"),
    "key_rank": (gettext_lazy("Rank"), "int"),
    "key_change": (gettext_lazy("Change"), "pct"),
    "on_time": (gettext_lazy("Reports on time"), "int"),
    "late": (gettext_lazy("Reports late"), "int"),
    "missing": (gettext_lazy("Reports missing"), "int"),
    "on_time_rate": (gettext_lazy("On-time rate"), "pct"),
    "training_assigned": (gettext_lazy("Courses assigned"), "int"),
    "training_done": (gettext_lazy("Courses completed"), "int"),
    "training_overdue": (gettext_lazy("Courses overdue"), "int"),
    "people_overdue": (gettext_lazy("People overdue"), "int"),
    "certs_expiring": (gettext_lazy("Certificates expiring"), "int"),
    "training_rate": (gettext_lazy("Training completed"), "pct"),
    "open_tasks": (gettext_lazy("Open tasks"), "int"),
    "overdue_tasks": (gettext_lazy("Overdue tasks"), "int"),
    "open_requests": (gettext_lazy("Open requests"), "int"),
    "unanswered_requests": (gettext_lazy("Unanswered requests"), "int"),
    "active_users": (gettext_lazy("Active users (30 days)"), "int"),
    "score": (gettext_lazy("Attention score"), "int"),
}

UNIT_COLUMNS = [
    "unit_id",
    "code",
    "name",
    "city",
    "region_id",
    "region",
    "manager_id",
    "manager",
    "unit_status",
]


# Scope -------------------------------------------------------------------------------


def units_in_scope(user) -> QuerySet[Franchisee] | None:
    """A network lead's network, a manager's portfolio; None for everyone else (they get 404).

    Closed units are left out: nobody calls a closed unit.
    """
    if access.has_network_right(user):
        units = Franchisee.objects.all()
    else:
        units = access.units_visible_to(user, "review")
        if not units.exists():
            return None
    return units.exclude(status=Franchisee.Status.CLOSED)


def is_network_viewer(user) -> bool:
    return access.has_network_right(user) or access.units_visible_to(user, "review").exists()


# The main report -----------------------------------------------------------------------


def key_template() -> ReportTemplate | None:
    """The report whose figures the scorecard shows: NETWORK_KEY_TEMPLATE, else the first
    active monthly template."""
    templates = ReportTemplate.objects.filter(is_active=True)
    slug = getattr(settings, "NETWORK_KEY_TEMPLATE", "")
    chosen = templates.filter(slug=slug).first() if slug else None
    return (
        chosen
        or templates.filter(period_kind="monthly").order_by("name").first()
        or templates.order_by("name").first()
    )


def due_period(kind: str, today: date, due_days: int) -> P.Period:
    """The latest period whose report is already due (its due date has passed)."""
    period = P.last_closed(kind, today)
    return period if period.due_date(due_days) < today else period.previous()


@dataclass
class KeyFigures:
    template: ReportTemplate | None
    definitions: list = field(default_factory=list)
    period: P.Period | None = None
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def key_field(self) -> str | None:
        keys = [d["key"] for d in self.definitions]
        wanted = getattr(settings, "NETWORK_KEY_FIELD", "")
        return wanted if wanted in keys else (keys[0] if keys else None)

    @property
    def key_label(self) -> str:
        return next((d["label"] for d in self.definitions if d["key"] == self.key_field), "")


def load_key_figures(
    today: date, periods: int = 2, *, key_only: bool = False, units=None
) -> KeyFigures:
    """Values of the main report's numeric fields for the latest due period and the ones
    before it, network-wide unless `units` is given (ranks are in the whole network).
    `key_only` reads just the key field (the charts). Three queries."""
    template = key_template()
    if template is None:
        return KeyFigures(None)
    definitions = numeric_definitions(template)
    key = KeyFigures(template, definitions)
    period = due_period(template.period_kind, today, template.due_days)
    since = period.shifted(-(periods - 1))
    fields = [key.key_field] if key_only else [d["key"] for d in definitions]
    frame = frames.values_frame(
        frames.counted_values(template, fields=fields, units=units, since=since.start).filter(
            submission__period_start__lte=period.start
        )
    )
    return KeyFigures(template, definitions, period, frame)


def field_ranks(key: KeyFigures, field_key: str) -> pd.DataFrame:
    """unit_id, value, rank, of, region_rank, region_of, band, previous, change."""
    columns = ["unit_id", "value", "rank", "of", "region_rank", "region_of", "band", "change"]
    if key.period is None or key.frame.empty:
        return pd.DataFrame(columns=columns)
    ranks = stats.rankings(key.frame, field=field_key, period=key.period.start)
    before = key.frame[
        (key.frame["field"] == field_key)
        & (key.frame["period_start"] == pd.Timestamp(key.period.previous().start))
    ][["unit_id", "value"]].rename(columns={"value": "previous"})
    ranks = ranks.merge(before, on="unit_id", how="left")
    old = ranks["previous"].where(ranks["previous"] != 0)
    ranks["change"] = (ranks["value"] - old) / old.abs()
    return ranks


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


# Loading ----------------------------------------------------------------------------


@dataclass
class Sources:
    """Everything the scorecards need, one frame per source; built with fixed queries."""

    today: date
    units: pd.DataFrame
    key: KeyFigures
    reports: pd.DataFrame
    templates: dict
    targets: pd.DataFrame
    courses: dict
    expiring: pd.DataFrame
    tasks: pd.DataFrame
    requests: pd.DataFrame
    activity: pd.DataFrame
    last_active: pd.DataFrame


def unit_frame(units: QuerySet) -> pd.DataFrame:
    rows = units.order_by().values_list(
        "pk",
        "code",
        "trading_name",
        "city",
        "region_id",
        "region__name",
        "account_manager_id",
        "account_manager__full_name",
        "account_manager__username",
        "status",
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=[*UNIT_COLUMNS[:7], "manager_full", "manager_login", "unit_status"]
    )
    frame["manager"] = frame["manager_full"].where(
        frame["manager_full"].fillna("") != "", frame["manager_login"]
    )
    return frame[UNIT_COLUMNS].sort_values("code").reset_index(drop=True)


def load_sources(
    units: QuerySet, *, today: date, key: KeyFigures | None = None, with_activity: bool = True
) -> Sources:
    """All reads for `units` (a queryset usable as a subquery). A fixed number of queries.

    `key`: key figures already loaded (network-wide anyway); `with_activity=False` leaves the
    activity frames empty (the cached network frame reads them apart, see `load_activity`).
    """
    frame = unit_frame(units)
    key = load_key_figures(today) if key is None else key
    templates = list(
        ReportTemplate.objects.filter(is_active=True).prefetch_related("audience_regions")
    )
    expected = expected_reports(frame, templates, today)
    oldest = expected["period_start"].min() if not expected.empty else pd.Timestamp(today)
    reports = discipline(expected, submissions_frame(units, templates, oldest.date()), today)

    targets = learning_selectors.targets_frame(units=units)
    course_ids = [] if targets.empty else [int(c) for c in targets["course_id"].unique()]
    courses = dict(CoursePage.objects.filter(pk__in=course_ids).values_list("pk", "title"))
    expiring = _expiring(units, targets, today)

    open_tasks = UnitTask.objects.filter(unit__in=units, status__in=UnitTask.OPEN_STATUSES)
    tasks = pd.DataFrame.from_records(
        list(open_tasks.values_list("unit_id", "due_date")), columns=["unit_id", "due_date"]
    )
    open_requests = UnitRequest.objects.filter(unit__in=units, status__in=UnitRequest.OPEN_STATUSES)
    requests = pd.DataFrame.from_records(
        list(open_requests.values_list("unit_id", "due_date", "created_at", "status")),
        columns=["unit_id", "due_date", "created_at", "status"],
    )
    since = today - timedelta(days=ACTIVE_DAYS - 1)
    activity = pd.DataFrame(columns=["unit_id", "user_id"])
    last_active = pd.DataFrame(columns=["unit_id", "last_active"])
    if with_activity:
        own_activity = _own_activity().filter(unit__in=units)
        activity = pd.DataFrame.from_records(
            list(
                own_activity.filter(day__gte=since, day__lte=today).values_list(
                    "unit_id", "user_id"
                )
            ),
            columns=["unit_id", "user_id"],
        )
        last_active = pd.DataFrame.from_records(
            list(
                own_activity.values("unit_id")
                .annotate(last=Max("day"))
                .values_list("unit_id", "last")
            ),
            columns=["unit_id", "last_active"],
        )
    return Sources(
        today=today,
        units=frame,
        key=key,
        reports=reports,
        templates={t.pk: t for t in templates},
        targets=targets,
        courses=courses,
        expiring=expiring,
        tasks=tasks,
        requests=requests,
        activity=activity,
        last_active=last_active,
    )


def _own_activity() -> QuerySet[ActivityDay]:
    """Activity rows of the unit's own people: a manager looking at a unit does not make the
    unit active."""
    works_there = Exists(
        Membership.objects.filter(
            user=OuterRef("user"), unit=OuterRef("unit"), role__in=learning_selectors.LEARNER_ROLES
        )
    )
    return ActivityDay.objects.filter(works_there)


def load_activity(*, today: date) -> pd.DataFrame:
    """unit_id, active_users, last_active for every unit with activity: two grouped queries."""
    since = today - timedelta(days=ACTIVE_DAYS - 1)
    own = _own_activity().order_by()
    counts = dict(
        own.filter(day__gte=since, day__lte=today)
        .values("unit_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("unit_id", "n")
    )
    last = dict(own.values("unit_id").annotate(last=Max("day")).values_list("unit_id", "last"))
    ids = sorted(set(counts) | set(last))
    return pd.DataFrame(
        {
            "unit_id": ids,
            "active_users": [counts.get(pk, 0) for pk in ids],
            "last_active": [last.get(pk) for pk in ids],
        },
        columns=["unit_id", "active_users", "last_active"],
    )


def unit_activity(src: Sources) -> pd.DataFrame:
    """The same frame as `load_activity`, from the rows `load_sources` read."""
    counts = src.activity.groupby("unit_id")["user_id"].nunique()
    last = src.last_active.set_index("unit_id")["last_active"] if len(src.last_active) else None
    ids = sorted(set(counts.index) | set(last.index if last is not None else ()))
    return pd.DataFrame(
        {
            "unit_id": ids,
            "active_users": [int(counts.get(pk, 0)) for pk in ids],
            "last_active": [last.get(pk) if last is not None else None for pk in ids],
        },
        columns=["unit_id", "active_users", "last_active"],
    )


def _expiring(units, targets: pd.DataFrame, today: date) -> pd.DataFrame:
    """unit_id, user_id, course_id, expires_on: assigned courses whose newest certificate runs
    out within EXPIRY_DAYS. One query."""
    columns = ["unit_id", "user_id", "course_id", "expires_on"]
    if targets.empty:
        return pd.DataFrame(columns=columns)
    learners = Membership.objects.filter(
        unit__in=units, role__in=learning_selectors.LEARNER_ROLES
    ).values("user_id")
    certs = pd.DataFrame.from_records(
        list(
            Certificate.objects.filter(user_id__in=learners).values_list(
                "user_id", "course_id", "expires_on"
            )
        ),
        columns=["user_id", "course_id", "expires_on"],
    )
    if certs.empty:
        return pd.DataFrame(columns=columns)
    certs["expires_on"] = pd.to_datetime(certs["expires_on"])
    # No expiry date means valid for ever: it wins over any dated certificate.
    certs["never"] = certs["expires_on"].isna()
    newest = certs.groupby(["user_id", "course_id"]).agg(
        expires_on=("expires_on", "max"), never=("never", "any")
    )
    newest = newest[~newest["never"]].reset_index()
    start, end = pd.Timestamp(today), pd.Timestamp(today + timedelta(days=EXPIRY_DAYS))
    soon = newest[(newest["expires_on"] >= start) & (newest["expires_on"] <= end)]
    pairs = targets[["unit_id", "user_id", "course_id"]].drop_duplicates()
    return pairs.merge(soon[["user_id", "course_id", "expires_on"]], on=["user_id", "course_id"])


# Computing --------------------------------------------------------------------------


def _count(frame: pd.DataFrame, mask=None, name: str = "n") -> pd.Series:
    if frame.empty:
        return pd.Series(dtype="int64", name=name)
    part = frame if mask is None else frame[mask]
    return part.groupby("unit_id").size().rename(name)


def scorecard_frame(src: Sources) -> pd.DataFrame:
    """One row per unit with every measure, the traffic light, the reasons and a score."""
    return add_activity(base_frame(src), unit_activity(src))


def base_frame(src: Sources) -> pd.DataFrame:
    """`scorecard_frame` without the activity columns: the light, reasons and score leave
    out "nobody used the portal", which `add_activity` adds."""
    table = src.units.copy()
    idx = table.set_index("unit_id").index

    def put(name, series, default=0):
        table[name] = series.reindex(idx).fillna(default).to_numpy() if len(series) else default

    key_field = src.key.key_field
    ranks = field_ranks(src.key, key_field) if key_field else pd.DataFrame()
    if not ranks.empty:
        ranks = ranks.set_index("unit_id")
        table["key_value"] = ranks["value"].reindex(idx).to_numpy()
        table["key_rank"] = ranks["rank"].reindex(idx).to_numpy()
        table["key_of"] = ranks["of"].reindex(idx).to_numpy()
        table["key_change"] = ranks["change"].reindex(idx).to_numpy()
    else:
        for name in ("key_value", "key_rank", "key_of", "key_change"):
            table[name] = np.nan

    rep = src.reports
    for state in ("on_time", "late", "missing", "pending"):
        put(state, _count(rep, rep["state"] == state if not rep.empty else None))
    decided = table["on_time"] + table["late"] + table["missing"]
    table["on_time_rate"] = (table["on_time"] / decided.where(decided > 0)).astype(float)
    # The oldest missing report of the latest due period, for the digest and the reasons.
    t = src.targets
    if not t.empty:
        put("training_assigned", _count(t))
        put("training_done", t.groupby("unit_id")["finished"].sum())
        put("training_overdue", t.groupby("unit_id")["overdue"].sum())
        put("people_overdue", t[t["overdue"]].groupby("unit_id")["user_id"].nunique())
    else:
        for name in ("training_assigned", "training_done", "training_overdue", "people_overdue"):
            table[name] = 0
    table["training_rate"] = (
        table["training_done"] / table["training_assigned"].where(table["training_assigned"] > 0)
    ).astype(float)
    put("certs_expiring", _count(src.expiring))

    now = pd.Timestamp(src.today)
    tasks = src.tasks
    put("open_tasks", _count(tasks))
    if not tasks.empty:
        due = pd.to_datetime(tasks["due_date"])
        put("overdue_tasks", _count(tasks, due < now))
    else:
        table["overdue_tasks"] = 0
    put("open_requests", _count(src.requests))
    put("unanswered_requests", _count(src.requests, unanswered_mask(src.requests, src.today)))

    int_columns = [k for k, (_label, kind) in MEASURES.items() if kind == "int"]
    for name in int_columns:
        if name in table and name not in ("key_rank", "score", "active_users"):
            table[name] = table[name].astype(int)

    overdue_courses = _overdue_by_course(src)
    lights = [
        status_of(row, overdue_courses.get(row["unit_id"], []), src.key.key_label, activity=False)
        for row in table.to_dict("records")
    ]
    table["status"] = [light[0] for light in lights]
    table["reasons"] = [light[1] for light in lights]
    table["score"] = [light[2] for light in lights]
    table["status_rank"] = table["status"].map(LEVEL_RANK)
    return table


def add_activity(table: pd.DataFrame, activity: pd.DataFrame) -> pd.DataFrame:
    """`base_frame` plus active_users and last_active; a unit nobody used the portal for
    gets that reason last, turns amber if it was green, and scores one more (what
    `status_of` decides with the activity in the row)."""
    by_unit = activity.set_index("unit_id")
    ids = table["unit_id"]
    table["active_users"] = ids.map(by_unit["active_users"]).fillna(0).astype(int).to_numpy()
    table["last_active"] = ids.map(by_unit["last_active"]).to_numpy() if len(by_unit) else None
    idle = table["active_users"] == 0
    if idle.any():
        reason = _("nobody used the portal in %(days)s days") % {"days": ACTIVE_DAYS}
        before = table.loc[idle, "reasons"]
        table.loc[idle, "reasons"] = before.where(before == "", before + ", " + reason).where(
            before != "", reason[:1].upper() + reason[1:]
        )
        table.loc[idle & (table["status"] == GREEN), "status"] = AMBER
        table.loc[idle, "score"] = table.loc[idle, "score"] + 1
        table["status_rank"] = table["status"].map(LEVEL_RANK)
    return table


def unanswered_mask(requests: pd.DataFrame, today: date) -> pd.Series:
    """Open requests past their answer date (or older than REQUEST_ANSWER_DAYS without one)."""
    if requests.empty:
        return pd.Series(dtype=bool)
    due = pd.to_datetime(requests["due_date"])
    created = pd.to_datetime(requests["created_at"], utc=True).dt.tz_convert(None).dt.normalize()
    now = pd.Timestamp(today)
    default_due = created + pd.Timedelta(days=REQUEST_ANSWER_DAYS)
    return due.fillna(default_due) < now


def _overdue_by_course(src: Sources) -> dict[int, list[tuple[str, int]]]:
    """unit_id -> [(course title, people overdue)], most people first."""
    t = src.targets
    if t.empty or not t["overdue"].any():
        return {}
    counts = t[t["overdue"]].groupby(["unit_id", "course_id"])["user_id"].nunique()
    result: dict[int, list] = {}
    for (unit_id, course_id), n in counts.sort_values(ascending=False).items():
        result.setdefault(unit_id, []).append((src.courses.get(course_id, str(course_id)), int(n)))
    return result


def status_of(
    row: dict, overdue_courses: list, key_label: str, *, activity: bool = True
) -> tuple[str, str, int]:
    """The traffic light, the reasons in words (worst first) and an attention score.

    Red: two or more reports missing, three or more people overdue on one course, or a
    report missing in the latest due period... (see the rules below); amber: anything else
    that needs a word with the unit. The score orders the "call first" list.
    `activity=False` leaves out the activity reason (`add_activity` adds it to a frame).
    """
    found: list[tuple[str, str]] = []  # (level, text)
    missing, late = int(row["missing"]), int(row["late"])
    if missing:
        level = RED if missing >= 2 else AMBER
        found.append(
            (
                level,
                ngettext("%(n)s report missing", "%(n)s reports missing", missing) % {"n": missing},
            )
        )
    if late >= 2:
        found.append(
            (AMBER, ngettext("%(n)s report late", "%(n)s reports late", late) % {"n": late})
        )
    for title, people in overdue_courses[:2]:
        level = RED if people >= 3 else AMBER
        found.append(
            (
                level,
                ngettext(
                    "%(course)s overdue for %(n)s staff",
                    "%(course)s overdue for %(n)s staff",
                    people,
                )
                % {"course": title, "n": people},
            )
        )
    if len(overdue_courses) > 2:
        rest = len(overdue_courses) - 2
        found.append(
            (
                AMBER,
                ngettext("%(n)s more course overdue", "%(n)s more courses overdue", rest)
                % {"n": rest},
            )
        )
    if row["certs_expiring"]:
        n = int(row["certs_expiring"])
        found.append(
            (
                AMBER,
                ngettext(
                    "%(n)s certificate expires within %(days)s days",
                    "%(n)s certificates expire within %(days)s days",
                    n,
                )
                % {"n": n, "days": EXPIRY_DAYS},
            )
        )
    change = row.get("key_change")
    if change is not None and not pd.isna(change) and change <= DROP_LIMIT:
        found.append(
            (
                AMBER,
                _("%(label)s fell %(pct)s%%") % {"label": key_label, "pct": round(-change * 100)},
            )
        )
    if row["overdue_tasks"]:
        n = int(row["overdue_tasks"])
        found.append((AMBER, ngettext("%(n)s task overdue", "%(n)s tasks overdue", n) % {"n": n}))
    if row["unanswered_requests"]:
        n = int(row["unanswered_requests"])
        found.append(
            (
                AMBER,
                ngettext("%(n)s request unanswered", "%(n)s requests unanswered", n) % {"n": n},
            )
        )
    if activity and not row["active_users"]:
        found.append((AMBER, _("nobody used the portal in %(days)s days") % {"days": ACTIVE_DAYS}))
    if not found:
        return GREEN, "", 0
    found.sort(key=lambda item: -LEVEL_RANK[item[0]])
    worst = found[0][0]
    score = sum(3 if level == RED else 1 for level, _text in found)
    text = ", ".join(t for _level, t in found)
    return worst, text[:1].upper() + text[1:], score


# Pages ------------------------------------------------------------------------------


# The cached network frame ------------------------------------------------------------


def cache_key(name: str, parts, labels) -> str:
    """A cache key for `name` under `parts` and the current data versions of `labels`."""
    return f"network:{name}:" + versions.digest((CACHE_FORMAT, *parts, versions.token(labels)))


def cached(name: str, parts, labels, compute: Callable):
    """`compute()`'s result (any picklable object), kept under `parts` and the data versions
    of `labels` (portal.versions): rebuilt after any write to what it reads."""
    return versions.cached((f"network:{name}", CACHE_FORMAT, *parts), labels, compute)


def scope_key(units: QuerySet) -> tuple[list[int], str]:
    """The ids of `units` and a short hash of them (a cache key part). One query."""
    ids = sorted(units.order_by().values_list("pk", flat=True))
    return ids, versions.digest(ids)


@dataclass
class NetworkDetails:
    """What the scorecard page and the digest show next to the table (cached apart, so the
    table pages do not unpickle it)."""

    #: field, unit_id, value, rank, of, region_rank, region_of, change: every field's ranks.
    figures: pd.DataFrame
    #: unit_id -> [(course title, people overdue)], most people first.
    overdue_courses: dict
    #: The expected reports due in the last RECENT_DAYS days and not sent on time (digest).
    recent: pd.DataFrame
    templates: dict


@dataclass
class NetworkScorecards:
    """The scorecards of every open unit; `details` on demand."""

    table: pd.DataFrame
    key_label: str
    period: P.Period | None
    #: [{"key", "label", "unit"}] of the main report's numeric fields.
    definitions: list
    today: date
    details_key: str = ""
    _details: NetworkDetails | None = None

    @property
    def details(self) -> NetworkDetails:
        """Read from the cache entry made with the table (rebuilt if it was evicted)."""
        if self._details is None:
            self._details = cache.get(self.details_key)
        if self._details is None:
            self._details = _network_base(self.today)[1]
            cache.set(self.details_key, self._details, versions.FRAGMENT_TIMEOUT)
        return self._details


#: Reports due this many days back are kept for the digest ("since last week").
RECENT_DAYS = 8


def _network_base(today: date) -> tuple[NetworkScorecards, NetworkDetails]:
    units = Franchisee.objects.exclude(status=Franchisee.Status.CLOSED)
    src = load_sources(units, today=today, with_activity=False)
    parts = [field_ranks(src.key, d["key"]).assign(field=d["key"]) for d in src.key.definitions]
    figures = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    rep = src.reports
    recent = rep
    if not rep.empty:
        recent = rep[
            (rep["due_date"] >= pd.Timestamp(today - timedelta(days=RECENT_DAYS)))
            & rep["state"].isin(["late", "missing"])
        ]
    net = NetworkScorecards(
        table=base_frame(src),
        key_label=src.key.key_label,
        period=src.key.period,
        definitions=[
            {"key": d["key"], "label": str(d["label"]), "unit": str(d.get("unit", ""))}
            for d in src.key.definitions
        ],
        today=today,
    )
    details = NetworkDetails(
        figures=figures,
        overdue_courses=_overdue_by_course(src),
        recent=recent.reset_index(drop=True),
        templates=src.templates,
    )
    return net, details


def key_parts(today: date) -> tuple:
    """What, besides the data, changes the figures: the day, the language of the reasons and
    the settings that choose the key report and field."""
    return (
        today.isoformat(),
        get_language(),
        getattr(settings, "NETWORK_KEY_TEMPLATE", ""),
        getattr(settings, "NETWORK_KEY_FIELD", ""),
    )


def network_scorecards(*, today: date) -> NetworkScorecards:
    """Every open unit's scorecard, computed once and cached until one of FRAME_LABELS is
    written (the activity columns apart, under ACTIVITY_LABELS). A manager's portfolio is a
    slice of it (`scope_table`): a unit's figures do not depend on who looks (ranks are in the
    whole network anyway)."""
    parts = key_parts(today)

    def build():
        net, details = _network_base(today)
        net.details_key = cache_key("details", parts, FRAME_LABELS)
        cache.set(net.details_key, details, versions.FRAGMENT_TIMEOUT)
        return net

    def assemble():
        net = cached("scorecards", parts, FRAME_LABELS, build)
        activity = cached(
            "activity", (today.isoformat(),), ACTIVITY_LABELS, lambda: load_activity(today=today)
        )
        names = cached("managers", (), MANAGER_LABELS, _manager_names)
        net.table["manager"] = net.table["manager_id"].map(names)
        net.table = add_activity(net.table, activity)
        return net

    # The assembled frame is kept too: one read when nothing changed; after a sign-in or the
    # day's first request only the cheap parts are read again.
    return cached("network", parts, FRAME_LABELS + ACTIVITY_LABELS + MANAGER_LABELS, assemble)


def _manager_names() -> dict[int, str]:
    """{user id: full name, else login} of the units' account managers. One query."""
    rows = (
        Franchisee.objects.filter(account_manager__isnull=False)
        .order_by()
        .values_list(
            "account_manager_id", "account_manager__full_name", "account_manager__username"
        )
        .distinct()
    )
    return {pk: full or login for pk, full, login in rows}


def scope_table(units: QuerySet, *, today: date) -> tuple[pd.DataFrame, NetworkScorecards]:
    """The scorecards of the (open) units of `units` only, and the network's figures."""
    net = network_scorecards(today=today)
    ids, _hash = scope_key(units)
    table = net.table[net.table["unit_id"].isin(ids)].reset_index(drop=True)
    return table, net


def network_table(units: QuerySet, *, today: date) -> pd.DataFrame:
    """The scorecards of the open units of `units` (from the cached network frame)."""
    return scope_table(units, today=today)[0]


def call_first(table: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The units that most need a call: red before amber, then by score."""
    attention = table[table["status"] != GREEN]
    return attention.sort_values(
        ["status_rank", "score", "code"], ascending=[False, False, True]
    ).head(n)


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    counts = table["status"].value_counts() if not table.empty else {}
    return {level: int(counts.get(level, 0)) for level in (RED, AMBER, GREEN)}


def unit_figures(net: NetworkScorecards, unit_id: int) -> list[dict]:
    """Every numeric field of the main report for one unit, with rank and change."""
    figures = []
    all_figures = net.details.figures
    mine = all_figures[all_figures["unit_id"] == unit_id] if len(all_figures) else all_figures
    by_field = {r["field"]: r for r in mine.to_dict("records")}
    for d in net.definitions:
        r = by_field.get(d["key"])
        if r is None:
            figures.append({"label": d["label"], "unit": d["unit"], "value": None})
            continue
        figures.append(
            {
                "label": d["label"],
                "unit": d["unit"],
                "value": float(r["value"]),
                "rank": int(r["rank"]),
                "of": int(r["of"]),
                "region_rank": int(r["region_rank"]),
                "region_of": int(r["region_of"]),
                "change": None if pd.isna(r["change"]) else float(r["change"]),
            }
        )
    return figures


def unit_history(unit_id: int, *, today: date) -> dict:
    """One unit's discipline grid and training per course, read for that unit only (a fixed
    number of small queries) and cached under FRAME_LABELS."""

    def compute():
        units = Franchisee.objects.filter(pk=unit_id)
        src = load_sources(units, today=today, key=KeyFigures(None), with_activity=False)
        return _history(src, unit_id)

    return cached("unit", (unit_id, today.isoformat(), get_language()), FRAME_LABELS, compute)


def _history(src: Sources, unit_id: int) -> dict:
    rep = src.reports[src.reports["unit_id"] == unit_id] if not src.reports.empty else src.reports
    grid = []
    for template_id, group in rep.groupby("template_id") if not rep.empty else []:
        template = src.templates[template_id]
        cells = [
            {
                "period": P.period_containing(template.period_kind, r.period_start.date()).label,
                "state": r.state,
                "due": r.due_date.date(),
            }
            for r in group.sort_values("period_start").itertuples()
        ]
        grid.append({"template": template, "cells": cells})
    t = src.targets
    courses = []
    if not t.empty:
        mine = t[t["unit_id"] == unit_id]
        for course_id, group in mine.groupby("course_id"):
            courses.append(
                {
                    "title": src.courses.get(course_id, str(course_id)),
                    "assigned": len(group),
                    "done": int(group["finished"].sum()),
                    "overdue": int(group["overdue"].sum()),
                    "expiring": int(
                        (
                            (src.expiring["unit_id"] == unit_id)
                            & (src.expiring["course_id"] == course_id)
                        ).sum()
                    )
                    if not src.expiring.empty
                    else 0,
                }
            )
        courses.sort(key=lambda c: (-c["overdue"], c["title"]))
    return {"discipline": grid, "courses": courses}
