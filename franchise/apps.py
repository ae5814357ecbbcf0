from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FranchiseConfig(AppConfig):
    name = "franchise"
    label = "franchise"
    verbose_name = _("Franchise network")

    def ready(self):
        from portal import units

        from . import exchange_hooks, receivers, shell  # noqa: F401

        exchange_hooks.register()
        units.register(shell.DIRECTORY)
