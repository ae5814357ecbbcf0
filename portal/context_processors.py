from django.utils.functional import SimpleLazyObject


def cabinet(request):
    """Navigation state of the cabinet shell: the current unit and the units to switch to."""
    from franchise import access

    from . import navigation

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "cabinet_nav": SimpleLazyObject(lambda: navigation.items_for(request)),
        "current_unit": getattr(request, "current_unit", None),
        "my_memberships": SimpleLazyObject(lambda: list(access.memberships_of(user))),
        "sees_portfolio": SimpleLazyObject(
            lambda: (
                access.units_visible_to(user, "review").exists() or access.has_network_right(user)
            )
        ),
    }
