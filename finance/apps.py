from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self):
        from . import hooks

        hooks.connect()
        hooks.register()
