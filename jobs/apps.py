from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    label = "jobs"
    verbose_name = _("Background imports")

    def ready(self):
        from franchise import notifications
        from portal import uploads

        from . import services

        notifications.register_kind(services.NOTICE_KIND, _("Imports"))
        uploads.register_cleanup(services.stale_jobs_delete)
