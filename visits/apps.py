from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    label = "visits"
    verbose_name = _("Visits")

    def ready(self):
        from franchise.notifications import register_kind

        from . import hooks

        register_kind("visit", _("Field visits"))
        hooks.register()
