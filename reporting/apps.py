from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from portal import dashboard, navigation, versions

        from . import blocks

        # A report's rows are its unit's: `services` declares the unit of each save.
        versions.register_unit_models(
            "reporting.Submission", "reporting.Value", "reporting.ChangeLog"
        )
        # ...and once they commit, the kept network frame and the report analytics asked for
        # today are brought up to date in the background.
        versions.after_unit_writes(_refresh_kept)

        navigation.register(key="reports", label=_("Reports"), order=30, url=blocks.nav_url)
        dashboard.register(
            key="reports",
            order=10,
            template="reporting/dashboard_block.html",
            context=blocks.dashboard_context,
            depends_on=("reporting",),
        )
        dashboard.register_status(
            key="reports",
            label=_("Reports"),
            order=10,
            statuses=blocks.portfolio_statuses,
            depends_on=(
                "reporting.ReportTemplate",
                "reporting.ReportTemplate_audience_regions",
                "reporting.Submission",
            ),
        )
        from .network import setup

        setup()  # noqa: E702,I001  (network views, issue 7)


def _refresh_kept(unit_ids) -> None:
    from portal import versions

    from .network.tasks import network_frame_refresh_task
    from .tasks import analytics_refresh_task

    versions.queue_once(network_frame_refresh_task, key="network-frame")
    versions.queue_once(analytics_refresh_task, key="analytics")
