from django.utils.functional import SimpleLazyObject


def _current_unit(request):
    """The unit the user is working in: the one chosen in the switcher, else their first one.

    Only units the user may see qualify, so a stale session value is simply ignored.
    """
    from franchise import access

    user = request.user
    if not user.is_authenticated:
        return None
    units = access.units_visible_to(user).select_related("region", "account_manager")
    chosen = request.session.get("current_unit")
    if chosen:
        unit = units.filter(pk=chosen).first()
        if unit:
            return unit
    membership = access.memberships_of(user).first()
    return membership.unit if membership else None


class CurrentUnitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_unit = SimpleLazyObject(lambda: _current_unit(request))
        return self.get_response(request)
