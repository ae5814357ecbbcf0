"""Managers' and network leads' views: scorecards, the network table, charts, adoption,
the weekly digest and the Wagtail admin reports. Set up from `ReportingConfig.ready()`."""

#: Where a person's right to the network views comes from: the user and their groups and
#: permissions (portal.User and its M2M tables), auth's groups and permissions, guardian and
#: franchise's object permissions and units.
NAV_LABELS = (
    "portal.User",
    "portal.User_groups",
    "portal.User_user_permissions",
    "auth",
    "guardian",
    "franchise",
)


def setup() -> None:
    """Register the navigation entry and the Celery tasks (called from AppConfig.ready)."""
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from portal import navigation, versions

    from . import tasks  # noqa: F401  (registers the Celery tasks)

    def nav_url(request):
        user = request.user
        if not user.is_authenticated:
            return None
        # The navigation is on every page and must not add queries: the answer is cached per
        # person under the data versions of the rights it reads (users, groups, permissions,
        # the units' object permissions), so a granted or revoked right shows at once.
        key = f"network:nav:{user.pk}:{versions.token(NAV_LABELS)}"
        allowed = cache.get(key)
        if allowed is None:
            from .scorecards import is_network_viewer

            allowed = is_network_viewer(user)
            cache.set(key, allowed, versions.FRAGMENT_TIMEOUT)
        return reverse("network:home") if allowed else None

    navigation.register(key="network", label=_("Network"), order=70, url=nav_url)
