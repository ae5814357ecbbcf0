from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    label = "news"
    verbose_name = _("News")

    def ready(self):
        from wagtail.signals import page_published

        from portal import dashboard, navigation

        from . import views
        from .models import NewsPage

        navigation.register(key="news", label=_("News"), order=60, url=views.nav_url)
        dashboard.register(
            key="news",
            order=50,
            template="news/dashboard_block.html",
            context=views.dashboard_block,
            depends_on=("news", "wagtailcore"),
        )
        page_published.connect(
            views.queue_announcement, sender=NewsPage, dispatch_uid="news-announce"
        )
