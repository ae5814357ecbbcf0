"""The scorecards' constants: windows, limits, the cache labels and the measures of the
network table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from portal.dashboard import AMBER, GREEN, RED
from reporting.analytics import stats
from reporting.models import Submission

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

#: The tables the cached network frame reads, portal activity aside (see ACTIVITY_LABELS):
#: a write to one of them makes the next request rebuild it, any other write (audit rows,
#: notifications, quiz attempts, change logs) leaves it alone. Reports and certificates are
#: written per unit (`portal.versions.units_written`): such a write recomputes its units'
#: rows only (`network.network_scorecards`). The account managers' names are read apart
#: (MANAGER_LABELS): every sign-in writes the user table.
FRAME_LABELS = (
    "franchise.Franchisee",
    "franchise.Region",
    "franchise.Membership",
    "franchise.UnitTask",
    "franchise.UnitRequest",
    "reporting.ReportTemplate",
    "reporting.ReportTemplate_audience_regions",
    "reporting.ReportField",
    "reporting.Submission",
    "reporting.Value",
    "learning.Assignment",
    "learning.Certificate",
    "learning.CoursePage",
    "wagtailcore.Page",
)
MANAGER_LABELS = ("portal.User", "franchise.Franchisee")
#: What the activity columns read. Kept apart: the first request of each person each day
#: writes an activity row, which must not throw away the rest of the network's figures.
ACTIVITY_LABELS = ("portal.ActivityDay", "franchise.Membership")
#: Bump when the layout of a cached object changes, so an old pickle is never read.
CACHE_FORMAT = 2

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
