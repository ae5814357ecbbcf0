"""Portal adoption: does the network really use the portal? The franchisor's own KPI.

Figures come from the one-row-per-person-per-day activity log (`portal.activity`), the
reports due and submitted (from the cached network scorecards), must-read documents and their
acknowledgements, and the knowledge base's search log. Each source is one `values_list` query
into pandas; the maths runs in `adoption_figures` on plain frames, so it is tested on a
hand-made log with known answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from django.conf import settings
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from franchise.models import Document, DocumentAcknowledgement, DocumentVersion, Membership, Role
from kb.models import SearchLog
from portal.activity import ActivityDay

from . import scorecards

ACTIVE_DAYS = scorecards.ACTIVE_DAYS
MONTHS = 6
FRANCHISEE_ROLES = (Role.OWNER, Role.MEMBER)
STAFF = "staff"
ROLE_LABELS = {
    Role.OWNER: _("Owners"),
    Role.MEMBER: _("Staff members"),
    STAFF: _("Franchisor staff"),
}
#: Days a person has to acknowledge a must-read document version.
ACK_DAYS = getattr(settings, "NETWORK_ACK_DAYS", 7)


@dataclass
class AdoptionSources:
    today: date
    units: pd.DataFrame  # unit frame of the scope
    activity: pd.DataFrame  # user_id, unit_id, day
    members: pd.DataFrame  # user_id, unit_id, role
    reports: pd.DataFrame  # unit_id, due, submitted: reports due in the last 12 periods
    acks: pd.DataFrame  # version_id, user_id, unit_id, deadline, acknowledged_at
    searches: pd.DataFrame  # result_count
    include_staff: bool
    before_after: list = field(default_factory=list)  # rows of the registered providers


# Before / after rows from other apps ------------------------------------------------------


@dataclass(frozen=True)
class RowSource:
    """An app's rows of the "before and after" table: `load(units, today)` returns dicts with
    `label`, `before`, `after` (numbers or None), `kind` ("pct" or "number"), optional
    `before_label`/`after_label` (what "before" and "after" are, e.g. two rounds) and `note`.
    `labels` are the models it reads, so the cached figures drop when one is written."""

    name: str
    load: Callable
    labels: tuple
    order: int


_ROW_SOURCES: dict[str, RowSource] = {}


def register_rows(name: str, *, load: Callable, labels: Iterable[str] = (), order: int = 100):
    """Add rows to the adoption page's before/after table (from an AppConfig.ready); reporting
    never imports the app. Registering the same name again replaces it."""
    _ROW_SOURCES[name] = RowSource(name=name, load=load, labels=tuple(labels), order=order)


def row_sources() -> list[RowSource]:
    return sorted(_ROW_SOURCES.values(), key=lambda s: (s.order, s.name))


def before_after_rows(units: QuerySet, today: date) -> list[dict]:
    rows = []
    for source in row_sources():
        for row in source.load(units, today):
            before, after = row.get("before"), row.get("after")
            change = None if before is None or after is None else after - before
            row = {"source": source.name, "kind": "number", **row, "change": change}
            row["change_text"] = _change_text(change, row["kind"])
            rows.append(row)
    return rows


def _change_text(change, kind: str) -> str:
    """+5 for shares (in percentage points: the page adds "pt"), +3 for numbers, "—"."""
    if change is None:
        return "—"
    n = round(change * 100) if kind == "pct" else round(change)
    sign = "+" if n > 0 else ("−" if n < 0 else "")
    return f"{sign}{abs(n)}"


def _months_back(today: date, months: int) -> date:
    month = today.month - months + 1
    year = today.year
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def load(units: QuerySet, *, today: date, include_staff: bool) -> AdoptionSources:
    """Fixed number of queries whatever the size of the network."""
    unit_frame = scorecards.unit_frame(units)
    since = min(_months_back(today, MONTHS), today - timedelta(days=2 * ACTIVE_DAYS))
    activity_qs = ActivityDay.objects.filter(day__gte=since, day__lte=today)
    scoped = activity_qs.filter(unit__in=units)
    if include_staff:
        scoped = scoped | activity_qs.filter(unit__isnull=True)
    activity = pd.DataFrame.from_records(
        list(scoped.values_list("user_id", "unit_id", "day")),
        columns=["user_id", "unit_id", "day"],
    )
    members = pd.DataFrame.from_records(
        list(
            Membership.objects.filter(unit__in=units, role__in=FRANCHISEE_ROLES).values_list(
                "user_id", "unit_id", "role"
            )
        ),
        columns=["user_id", "unit_id", "role"],
    )
    # Report discipline per unit comes from the cached network scorecards (same rules).
    table = scorecards.network_table(units, today=today)
    reports = pd.DataFrame(
        {
            "unit_id": table["unit_id"],
            "due": table["on_time"] + table["late"] + table["missing"],
            "submitted": table["on_time"] + table["late"],
        }
    )
    searchers = Membership.objects.filter(unit__in=units).values("user_id")
    logs = SearchLog.objects.filter(created_at__date__gt=today - timedelta(days=ACTIVE_DAYS))
    if not include_staff:
        logs = logs.filter(user_id__in=searchers)
    searches = pd.DataFrame.from_records(
        list(logs.values_list("result_count")), columns=["result_count"]
    )
    # Nullable integer ids: a column of None alone (staff rows only) or an empty frame would
    # be of object dtype, which pandas refuses to merge with integer ids.
    for frame in (activity, members):
        frame[["user_id", "unit_id"]] = frame[["user_id", "unit_id"]].astype("Int64")
    return AdoptionSources(
        today=today,
        units=unit_frame,
        activity=activity,
        members=members,
        reports=reports,
        acks=_acknowledgements(unit_frame, members, today),
        searches=searches,
        include_staff=include_staff,
        before_after=before_after_rows(units, today),
    )


def _acknowledgements(unit_frame: pd.DataFrame, members: pd.DataFrame, today: date):
    """One row per (must-read version, person of an audience unit) of the last 180 days, with
    its deadline and when (if) it was acknowledged. Four queries."""
    columns = ["version_id", "user_id", "unit_id", "deadline", "acknowledged_at"]
    since = today - timedelta(days=180)
    versions = pd.DataFrame.from_records(
        list(
            DocumentVersion.objects.filter(
                document__must_read=True,
                document__current_version=F("pk"),
                uploaded_at__date__gte=since,
            ).values_list(
                "pk", "document_id", "document__unit_id", "document__audience", "uploaded_at"
            )
        ),
        columns=["version_id", "document_id", "doc_unit", "audience", "uploaded_at"],
    )
    if versions.empty or members.empty:
        return pd.DataFrame(columns=columns)
    doc_ids = versions["document_id"].unique().tolist()
    regions = pd.DataFrame.from_records(
        list(
            Document.audience_regions.through.objects.filter(document_id__in=doc_ids).values_list(
                "document_id", "region_id"
            )
        ),
        columns=["document_id", "region_id"],
    )
    chosen = pd.DataFrame.from_records(
        list(
            Document.audience_units.through.objects.filter(document_id__in=doc_ids).values_list(
                "document_id", "franchisee_id"
            )
        ),
        columns=["document_id", "unit_id"],
    )
    units = unit_frame[["unit_id", "region_id"]]
    parts = []
    own = versions[versions["doc_unit"].notna()].rename(columns={"doc_unit": "unit_id"})
    own["unit_id"] = own["unit_id"].astype(int)
    parts.append(own.merge(units, on="unit_id"))
    library = versions[versions["doc_unit"].isna()].drop(columns=["doc_unit"])
    parts.append(library[library["audience"] == "all"].merge(units, how="cross"))
    by_region = library[library["audience"] == "regions"].merge(regions, on="document_id")
    parts.append(by_region.merge(units, on="region_id"))
    by_unit = library[library["audience"] == "units"].merge(chosen, on="document_id")
    parts.append(by_unit.merge(units, on="unit_id"))
    targets = pd.concat([p[["version_id", "unit_id", "uploaded_at"]] for p in parts])
    targets = targets.merge(members[["user_id", "unit_id"]], on="unit_id")
    targets = targets.drop_duplicates(["version_id", "user_id"])
    targets["deadline"] = pd.to_datetime(targets["uploaded_at"], utc=True) + pd.Timedelta(
        days=ACK_DAYS
    )
    acks = pd.DataFrame.from_records(
        list(
            DocumentAcknowledgement.objects.filter(
                version_id__in=versions["version_id"].tolist()
            ).values_list("version_id", "user_id", "acknowledged_at")
        ),
        columns=["version_id", "user_id", "acknowledged_at"],
    )
    acks["acknowledged_at"] = pd.to_datetime(acks["acknowledged_at"], utc=True)
    return targets.merge(acks, on=["version_id", "user_id"], how="left")[columns]


# The maths -----------------------------------------------------------------------------


def _share(part: float, whole: float) -> float | None:
    return None if not whole else part / whole


def _growth(new: float, old: float) -> float | None:
    return None if not old else (new - old) / old


def adoption_figures(src: AdoptionSources) -> dict:
    """Headline figures, active users by role, the monthly series, per manager and region."""
    today = pd.Timestamp(src.today)
    act = src.activity.copy()
    act["day"] = pd.to_datetime(act["day"])
    # Activity outside any unit (a library download) has no unit: a nullable integer column,
    # not "object", or the merge on unit_id below refuses it.
    act["unit_id"] = act["unit_id"].astype("Int64")
    members = src.members.astype({"unit_id": "Int64", "user_id": "Int64"})
    # A row counts for a unit only when the person works there (owner or staff): a manager
    # looking at a unit does not make the unit active.
    act["user_id"] = act["user_id"].astype("Int64")
    with_role = act.merge(members, on=["user_id", "unit_id"], how="left")
    franchisee = with_role[with_role["role"].notna()]
    staff = with_role[with_role["role"].isna()].assign(role=STAFF)
    if not src.include_staff:
        staff = staff.iloc[0:0]
    rows = pd.concat([franchisee, staff], ignore_index=True)

    window = rows[rows["day"] > today - pd.Timedelta(days=ACTIVE_DAYS)]
    before = rows[
        (rows["day"] <= today - pd.Timedelta(days=ACTIVE_DAYS))
        & (rows["day"] > today - pd.Timedelta(days=2 * ACTIVE_DAYS))
    ]
    active_now = window["user_id"].nunique()
    active_before = before["user_id"].nunique()
    unit_window = window[window["role"] != STAFF]
    active_units = set(unit_window["unit_id"].dropna().astype(int))
    total_units = len(src.units)

    by_role = []
    for role, label in ROLE_LABELS.items():
        if role == STAFF and not src.include_staff:
            continue
        by_role.append(
            {
                "role": role,
                "label": label,
                "users": int(window[window["role"] == role]["user_id"].nunique()),
            }
        )

    months = []
    rows["month"] = rows["day"].dt.to_period("M")
    per_month = rows.groupby("month")["user_id"].nunique()
    first = pd.Period(_months_back(src.today, MONTHS), "M")
    previous = None
    for i in range(MONTHS):
        month = first + i
        users = int(per_month.get(month, 0))
        months.append(
            {
                "month": month.strftime("%Y-%m"),
                "users": users,
                "growth": None if previous is None else _growth(users, previous),
            }
        )
        previous = users

    rep = src.reports
    reports_due = int(rep["due"].sum()) if len(rep) else 0
    submitted = int(rep["submitted"].sum()) if len(rep) else 0

    acks = src.acks
    if len(acks):
        decided = acks[acks["deadline"] < pd.Timestamp(src.today, tz="UTC")]
        on_time = int((decided["acknowledged_at"] <= decided["deadline"]).sum())
        ack_expected = len(decided)
    else:
        on_time = ack_expected = 0

    searches = src.searches
    with_result = int((searches["result_count"] > 0).sum()) if len(searches) else 0
    without = int((searches["result_count"] == 0).sum()) if len(searches) else 0

    units = src.units.copy()
    units["active"] = units["unit_id"].isin(active_units)
    users_per_unit = unit_window.groupby("unit_id")["user_id"].nunique()
    units["active_users"] = units["unit_id"].map(users_per_unit).fillna(0).astype(int)
    if len(rep):
        per_unit = rep.set_index("unit_id")
        units["reports_due"] = units["unit_id"].map(per_unit["due"]).fillna(0).astype(int)
        units["reports_submitted"] = (
            units["unit_id"].map(per_unit["submitted"]).fillna(0).astype(int)
        )
    else:
        units["reports_due"] = 0
        units["reports_submitted"] = 0

    return {
        "units": total_units,
        "active_units": len(active_units & set(units["unit_id"])),
        "active_share": _share(len(active_units & set(units["unit_id"])), total_units),
        "active_users": int(active_now),
        "active_users_before": int(active_before),
        "growth": _growth(active_now, active_before),
        "by_role": by_role,
        "months": months,
        "reports_due": reports_due,
        "reports_submitted": submitted,
        "reports_share": _share(submitted, reports_due),
        "acks_expected": ack_expected,
        "acks_on_time": on_time,
        "acks_share": _share(on_time, ack_expected),
        "searches": with_result + without,
        "searches_with_result": with_result,
        "searches_without_result": without,
        "searches_found_share": _share(with_result, with_result + without),
        "before_after": src.before_after,
        "by_manager": _group(units, "manager_id", "manager"),
        "by_region": _group(units, "region_id", "region"),
    }


def _group(units: pd.DataFrame, key: str, label: str) -> list[dict]:
    if units.empty:
        return []
    frame = units.assign(**{key: units[key].fillna(0), label: units[label].fillna("—")})
    grouped = frame.groupby([key, label], dropna=False).agg(
        units=("unit_id", "size"),
        active_units=("active", "sum"),
        active_users=("active_users", "sum"),
        reports_due=("reports_due", "sum"),
        reports_submitted=("reports_submitted", "sum"),
    )
    out = []
    for (_pk, name), r in grouped.iterrows():
        out.append(
            {
                "name": name,
                "units": int(r["units"]),
                "active_units": int(r["active_units"]),
                "active_share": _share(int(r["active_units"]), int(r["units"])),
                "active_users": int(r["active_users"]),
                "reports_share": _share(int(r["reports_submitted"]), int(r["reports_due"])),
            }
        )
    out.sort(key=lambda r: (-(r["active_share"] or 0), r["name"]))
    return out


#: Everything `load` reads: activity, memberships, units and regions, must-read documents and
#: acknowledgements (franchise), the knowledge base's search log, managers' names, and what
#: the scorecards' report discipline reads (FRAME_LABELS).
ADOPTION_LABELS = (
    "portal.ActivityDay",
    "portal.User",
    "kb.SearchLog",
    *scorecards.FRAME_LABELS,
)


def adoption(units: QuerySet, *, today: date, include_staff: bool) -> dict:
    """The figures of `units`, cached per set of units (a hash of their ids), day and
    audience until one of ADOPTION_LABELS is written."""
    _ids, scope = scorecards.scope_key(units)
    return scorecards.cached(
        "adoption",
        (scope, today.isoformat(), include_staff),
        (*ADOPTION_LABELS, *(label for s in row_sources() for label in s.labels)),
        lambda: adoption_figures(load(units, today=today, include_staff=include_staff)),
    )
