from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FranchiseConfig(AppConfig):
    name = "franchise"
    label = "franchise"
    verbose_name = _("Franchise network")

    def ready(self):
        from portal import units, versions

        from . import exchange_hooks, receivers, shell  # noqa: F401

        exchange_hooks.register()
        units.register(shell.DIRECTORY)
        # Audit rows are read by the audit log alone (uncached): a download's or a refusal's
        # row must not throw away what is cached under "franchise".
        versions.register_log_models("franchise.AuditEvent")
        # A report returned notifies its unit: that must not rebuild the portfolio's lights.
        versions.register_personal_models("franchise.Notification")
        # Once a unit's declared writes commit, the portfolios shown today are patched.
        versions.after_unit_writes(_refresh_portfolios)


def _refresh_portfolios(unit_ids) -> None:
    from portal import versions

    from .tasks import portfolio_refresh_task

    versions.queue_once(portfolio_refresh_task, key="portfolio")
