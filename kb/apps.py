from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeBaseConfig(AppConfig):
    name = "kb"
    label = "kb"
    verbose_name = _("Knowledge base")

    def ready(self):
        from django.urls import reverse

        from portal import navigation

        from . import receivers  # noqa: F401

        navigation.register(
            key="kb",
            label=_("Knowledge base"),
            order=50,
            # A redirect view finds the index page, so the menu costs no query per request.
            url=lambda request: reverse("kb:home"),
        )
