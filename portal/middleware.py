from django.utils.functional import SimpleLazyObject

from . import units


class CurrentUnitMiddleware:
    """`request.current_unit`, resolved on first use by the registered unit directory."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_unit = SimpleLazyObject(lambda: units.directory().current_unit(request))
        return self.get_response(request)
