"""Managers' and network leads' views: scorecards, the network table, charts, adoption,
the weekly digest and the Wagtail admin reports. Set up from `ReportingConfig.ready()`."""


def setup() -> None:
    """Register the navigation entry and the Celery tasks (called from AppConfig.ready)."""
    from django.core.cache import cache
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from portal import navigation

    from . import tasks  # noqa: F401  (registers the Celery tasks)

    def nav_url(request):
        user = request.user
        if not user.is_authenticated:
            return None
        # Cached per login session: the navigation is on every page and must not add queries.
        session_key = getattr(getattr(request, "session", None), "session_key", None) or "-"
        key = f"network:nav:{user.pk}:{session_key}"
        allowed = cache.get(key)
        if allowed is None:
            from .scorecards import is_network_viewer

            allowed = is_network_viewer(user)
            cache.set(key, allowed, 600)
        return reverse("network:home") if allowed else None

    navigation.register(key="network", label=_("Network"), order=70, url=nav_url)
