"""Registrations of surveys in the cabinet shell (from AppConfig.ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal import dashboard, navigation


def _nav_url(request):
    from . import selectors

    if selectors.results_scope(request.user) is not None:
        return reverse("surveys:index")
    unit = getattr(request, "current_unit", None)
    if unit:
        return reverse("surveys:unit_surveys", args=[unit.code])
    return None


def surveys_block(request, unit):
    """The unit's open surveys for this person: two queries; hidden when there are none."""
    from . import selectors

    rounds = selectors.open_rounds(request.user, unit, today=timezone.localdate())
    return {"rounds": rounds} if rounds else None


def register() -> None:
    from reporting.network.digest import register_section

    from .digest import digest_section

    register_section(digest_section)
    navigation.register(key="surveys", label=gettext_lazy("Surveys"), order=55, url=_nav_url)
    dashboard.register(
        key="surveys",
        order=15,
        template="surveys/dashboard_block.html",
        context=surveys_block,
        depends_on=("surveys",),
    )
