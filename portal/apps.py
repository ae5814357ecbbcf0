from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import dashboard, navigation, news_views, versions

        versions.connect()
        # Wagtail's reference index follows saves of many models (an audit row too) and is
        # read by the admin's usage pages only, never under the "wagtailcore" label.
        versions.register_log_models("wagtailcore.ReferenceIndex")

        navigation.register(key="news", label=_("News"), order=60, url=news_views.nav_url)
        dashboard.register(
            key="news",
            order=50,
            template="portal/dashboard_blocks/news.html",
            context=news_views.dashboard_block,
            depends_on=("portal", "wagtailcore"),
        )
        from wagtail.signals import page_published

        from .news import NewsPage

        page_published.connect(
            news_views.queue_announcement, sender=NewsPage, dispatch_uid="news-announce"
        )
