from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    name = "integration"
    label = "integration"
    verbose_name = _("Integration")

    def ready(self):
        from . import hooks
        from .api import schema  # noqa: F401  (registers the API key scheme with the schema)

        hooks.connect()
