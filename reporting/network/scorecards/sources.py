"""Loading: every source of the scorecards for a set of units, one `values_list` query per
source, so the cost in queries does not grow with the number of units."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.translation import get_language

from franchise.models import Membership, UnitRequest, UnitTask
from learning import selectors as learning_selectors
from learning.models import Certificate, CoursePage
from portal.activity import ActivityDay
from reporting.models import ReportTemplate

from .discipline import discipline, expected_reports, submissions_frame
from .key_figures import KeyFigures, load_key_figures
from .measures import ACTIVE_DAYS, EXPIRY_DAYS, MEASURES, UNIT_COLUMNS

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
    #: name -> frame (unit_id and its columns) of each registered column source.
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ColumnSource:
    """Columns another app adds to every unit's scorecard (e.g. visits: the last visit's
    score), read by `load(units, today)` into a frame of unit_id and the columns (one query
    for all units); `defaults` for units without a row; `labels`: the data versions of what
    `load` reads (portal.versions), so a write there shows at once."""

    name: str
    load: Callable[[QuerySet, date], pd.DataFrame]
    defaults: dict
    labels: tuple[str, ...] = ()


COLUMN_SOURCES: dict[str, ColumnSource] = {}


def register_columns(
    name: str,
    *,
    load: Callable[[QuerySet, date], pd.DataFrame],
    defaults: dict,
    labels: tuple[str, ...] = (),
    measures: dict | None = None,
) -> None:
    """Add (or replace, by `name`) a column source, from an AppConfig.ready. `measures`:
    {column: (label, kind)} to show, sort, filter and export in the network table; the
    reasons the columns give are registered with `reasons.register_reason`."""
    COLUMN_SOURCES[name] = ColumnSource(name, load, dict(defaults), tuple(labels))
    MEASURES.update(measures or {})


def extra_labels() -> tuple[str, ...]:
    """The data versions the registered column sources read."""
    return tuple(label for source in COLUMN_SOURCES.values() for label in source.labels)


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
    courses = course_titles(course_ids)
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
        extra={name: s.load(units, today) for name, s in COLUMN_SOURCES.items()},
    )


def course_titles(course_ids: list[int]) -> dict[int, str]:
    """{course id: title in the active language} of default-locale courses: the live
    translation's title where there is one, else the course's own. One query in either
    language (none for no courses), so the scorecards' count of queries stays the same."""
    if not course_ids:
        return {}
    wanted = set(course_ids)
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    courses = CoursePage.objects.filter(pk__in=course_ids)
    if code == settings.LANGUAGE_CODE.split("-")[0]:
        return dict(courses.values_list("pk", "title"))
    translated = Q(
        translation_key__in=courses.values("translation_key"),
        locale__language_code=code,
        live=True,
    )
    rows = list(
        CoursePage.objects.filter(Q(pk__in=course_ids) | translated).values_list(
            "pk", "translation_key", "title"
        )
    )
    titles = {pk: title for pk, _key, title in rows if pk in wanted}
    ids = {key: pk for pk, key, _title in rows if pk in wanted}
    for pk, key, title in rows:
        if pk not in titles and key in ids and title:
            titles[ids[key]] = title
    return titles


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
