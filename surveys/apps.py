from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from franchise.notifications import register_kind

        from . import adoption, hooks

        register_kind("survey", _("Surveys"))
        hooks.register()
        adoption.register()
