from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from portal import dashboard, navigation

        from . import blocks, notices, price_jobs  # noqa: F401  ("order" notice kind)

        price_jobs.register()  # the price-list import runs as a background job (jobs)

        navigation.register(key="orders", label=_("Orders"), order=25, url=blocks.landing)
        dashboard.register(
            key="orders",
            order=15,
            template="orders/dashboard_block.html",
            context=blocks.dashboard_context,
            depends_on=("orders",),
        )
