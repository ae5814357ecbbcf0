from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from wagtail.signals import copy_for_translation_done

        from . import translations, versions

        versions.connect()
        copy_for_translation_done.connect(
            translations.copy_page_permissions, dispatch_uid="portal-translation-permissions"
        )
        # Wagtail's reference index follows saves of many models (an audit row too) and is
        # read by the admin's usage pages only, never under the "wagtailcore" label.
        versions.register_log_models("wagtailcore.ReferenceIndex")
