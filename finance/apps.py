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

        from . import statement_jobs

        statement_jobs.register()  # the statement import runs as a background job (jobs)

        from django.utils.translation import gettext_lazy

        from portal import navigation

        from . import payment_views

        navigation.register(
            key="payments", label=gettext_lazy("Payments"), order=75, url=payment_views.nav_url
        )
