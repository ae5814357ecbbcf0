from django.utils.functional import SimpleLazyObject

from . import navigation, units


def cabinet(request):
    """Navigation state of the cabinet shell: the current unit and the units to switch to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    directory = units.directory()
    return {
        "cabinet_nav": SimpleLazyObject(lambda: navigation.items_for(request)),
        "current_unit": getattr(request, "current_unit", None),
        "my_memberships": SimpleLazyObject(lambda: directory.memberships(user)),
        "sees_portfolio": SimpleLazyObject(lambda: directory.sees_portfolio(user)),
    }
