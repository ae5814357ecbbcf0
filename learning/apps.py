from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _nav_url(request):
    from django.urls import reverse

    return reverse("learning:my_learning") if request.user.is_authenticated else None


class LearningConfig(AppConfig):
    name = "learning"
    label = "learning"
    verbose_name = _("Learning")

    def ready(self):
        from portal import dashboard, navigation, versions

        from . import dashboard as blocks

        # A certificate counts for its holder's units: `services` declares them on issue.
        versions.register_unit_models("learning.Certificate")

        navigation.register(key="learning", label=_("Learning"), order=20, url=_nav_url)
        dashboard.register(
            key="training",
            order=20,
            template="learning/dashboard_block.html",
            context=blocks.unit_block,
            depends_on=("learning", "wagtailcore"),
        )
        dashboard.register_status(
            key="training",
            label=_("Training"),
            order=20,
            statuses=blocks.unit_statuses,
            depends_on=(
                "learning.Assignment",
                "learning.Certificate",
                "learning.CoursePage",
                "wagtailcore.Page",
            ),
        )
