"""The API's shared view configuration (kept off REST_FRAMEWORK so Wagtail's API is untouched)."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import authentication, parsers, renderers, viewsets

from .auth import ClientThrottle, KeyAuthentication, ScopedAccess, key_of
from .errors import problem_handler
from .pagination import SyncCursorPagination


class ApiMixin:
    authentication_classes = [KeyAuthentication, authentication.SessionAuthentication]
    permission_classes = [ScopedAccess]
    throttle_classes = [ClientThrottle]
    pagination_class = SyncCursorPagination
    filter_backends = [DjangoFilterBackend]
    parser_classes = [parsers.JSONParser]
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer]
    resource = ""

    def get_exception_handler(self):
        return problem_handler


class ReadOnlyViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """A list and a detail over `selector(user=..., key=...)`."""

    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user, key=key_of(self.request))
