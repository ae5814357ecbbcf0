"""The cabinet shell's header, cached per person and page under the shell's data versions."""

from django import template
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import dashboard, versions

register = template.Library()

HEADER = "components/header.html"
FOOTER = "components/footer.html"
FOOTER_DATA = ("portal.SupportSettings", "wagtailcore")


@register.simple_tag(takes_context=True)
def cabinet_header(context):
    """The header: navigation, unit switcher, bell, language and user menus.

    Anonymous visitors get it rendered (it is cheap for them). For a signed-in person it is kept
    per person, current unit, view (it marks the current entry), language and CSRF secret (it
    holds forms) under the versions of users, units, rights, notifications and the page tree.
    """
    request = context["request"]
    user = request.user
    render = context.template.engine.get_template(HEADER).render
    if not user.is_authenticated:
        return render(context)
    get_token(request)
    unit = getattr(request, "current_unit", None)
    parts = (
        "cabinet-header",
        user.pk,
        unit.pk if unit else None,
        getattr(request.resolver_match, "view_name", None),
        get_language(),
        request.META["CSRF_COOKIE"],
    )
    labels = (*dashboard.SHELL_APPS, "wagtailcore")
    return mark_safe(versions.cached(parts, labels, lambda: render(context)))  # noqa: S308


@register.simple_tag(takes_context=True)
def cabinet_footer(context):
    """The footer with the support contacts (Wagtail site settings), per site and language."""
    request = context["request"]
    render = context.template.engine.get_template(FOOTER).render
    parts = ("cabinet-footer", request.get_host(), get_language(), timezone.now().year)
    return mark_safe(versions.cached(parts, FOOTER_DATA, lambda: render(context)))  # noqa: S308


@register.inclusion_tag("components/light.html")
def status_light(level):
    """A traffic-light dot with its word ("Red", "Amber", "Green") shown beside it."""
    return {"level": level, "label": dashboard.LEVEL_LABELS.get(level, "")}
