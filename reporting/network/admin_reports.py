"""Wagtail admin reports for the franchisor's staff, on Wagtail's `ReportView` (listing plus
CSV / XLSX export). Each is scoped like the front-end pages: a manager sees their portfolio, a
network lead the network, anyone else is refused. Zero-result knowledge-base searches are the
kb app's report (`kb_unanswered_searches`); the home panel links to it instead of repeating it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from franchise import access

from . import adoption, scorecards


class ScopedReportView(ReportView):
    """A report over the units in the viewer's scope; rows are plain dicts."""

    permission_policy = None
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.units = scorecards.units_in_scope(request.user)
        if self.units is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"{self.filename_stem}-{timezone.localdate():%Y-%m-%d}"

    def table_frame(self):
        return scorecards.network_table(self.units, today=timezone.localdate())


def _rows(frame, columns):
    return [
        {c: (None if _nan(v) else v) for c, v in row.items() if c in columns}
        for row in frame.to_dict("records")
    ]


def _nan(value) -> bool:
    return isinstance(value, float) and value != value


class OverdueReportsView(ScopedReportView):
    page_title = _("Units overdue on reports")
    header_icon = "warning"
    index_url_name = "network_overdue_reports"
    index_results_url_name = "network_overdue_reports_results"
    filename_stem = "units-overdue-reports"
    list_export = ["code", "name", "region", "manager", "missing", "late", "on_time"]
    export_headings = {
        "code": _("Code"),
        "name": _("Unit"),
        "region": _("Region"),
        "manager": _("Account manager"),
        "missing": _("Missing"),
        "late": _("Late"),
        "on_time": _("On time"),
    }
    columns = [Column(key, label=label) for key, label in export_headings.items()]

    def get_queryset(self):
        frame = self.table_frame()
        frame = frame[(frame["missing"] > 0) | (frame["late"] > 0)].sort_values(
            ["missing", "late", "code"], ascending=[False, False, True]
        )
        return _rows(frame, self.list_export)


class TrainingComplianceView(ScopedReportView):
    page_title = _("Training compliance")
    header_icon = "group"
    index_url_name = "network_training"
    index_results_url_name = "network_training_results"
    filename_stem = "training-compliance"
    list_export = [
        "code",
        "name",
        "region",
        "manager",
        "training_assigned",
        "training_done",
        "training_overdue",
        "people_overdue",
        "certs_expiring",
    ]
    export_headings = {
        "code": _("Code"),
        "name": _("Unit"),
        "region": _("Region"),
        "manager": _("Account manager"),
        "training_assigned": _("Assigned"),
        "training_done": _("Completed"),
        "training_overdue": _("Overdue"),
        "people_overdue": _("People overdue"),
        "certs_expiring": _("Certificates expiring"),
    }
    columns = [Column(key, label=label) for key, label in export_headings.items()]

    def get_queryset(self):
        frame = self.table_frame()
        frame = frame[frame["training_assigned"] > 0].sort_values(
            ["people_overdue", "training_overdue", "code"], ascending=[False, False, True]
        )
        return _rows(frame, self.list_export)


class AdoptionByRegionView(ScopedReportView):
    page_title = _("Portal adoption by region")
    header_icon = "site"
    index_url_name = "network_adoption_regions"
    index_results_url_name = "network_adoption_regions_results"
    filename_stem = "adoption-by-region"
    list_export = ["name", "units", "active_units", "active_share", "active_users"]
    export_headings = {
        "name": _("Region"),
        "units": _("Units"),
        "active_units": _("Active units (30 days)"),
        "active_share": _("Share active"),
        "active_users": _("Active users"),
    }
    columns = [Column(key, label=label) for key, label in export_headings.items()]

    def get_queryset(self):
        figures = adoption.adoption(
            self.units,
            today=timezone.localdate(),
            include_staff=access.has_network_right(self.request.user),
        )
        return [
            {**r, "active_share": round(100 * (r["active_share"] or 0))}
            for r in figures["by_region"]
        ]


REPORTS = [
    ("units-overdue-reports", OverdueReportsView, "network_overdue_reports"),
    ("training-compliance", TrainingComplianceView, "network_training"),
    ("adoption-by-region", AdoptionByRegionView, "network_adoption_regions"),
]


class HeadlinePanel(Component):
    """The admin home's headline figures of the viewer's portfolio or network."""

    name = "network_headlines"
    order = 60
    template_name = "network/admin_panel.html"

    def __init__(self, units, user):
        self.units = units
        self.user = user

    def get_context_data(self, parent_context):
        # Sums over the cached network frame and adoption figures (both kept under the data
        # versions of what they read): fresh after any write, cheap on every other visit.
        today = timezone.localdate()
        table = scorecards.network_table(self.units, today=today)
        figures = adoption.adoption(
            self.units, today=today, include_staff=access.has_network_right(self.user)
        )
        decided = int(table["on_time"].sum() + table["late"].sum() + table["missing"].sum())
        return {
            "counts": scorecards.status_counts(table),
            "units": len(table),
            "active_share": figures["active_share"],
            "on_time_share": (int(table["on_time"].sum()) / decided) if decided else None,
            "people_overdue": int(table["people_overdue"].sum()),
            "unanswered": int(table["unanswered_requests"].sum()),
            "kb_without": figures["searches_without_result"],
        }
