"""The API's shared view configuration (kept off REST_FRAMEWORK so Wagtail's API is untouched)."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import authentication, parsers, renderers, status, viewsets
from rest_framework.response import Response

from franchise import access

from .auth import ClientThrottle, KeyAuthentication, ScopedAccess, key_of
from .errors import problem_handler
from .pagination import SyncCursorPagination
from .writes import etag_of


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
    """A list and a detail over `selector(user=..., key=...)`; the detail carries an ETag
    (answered 304 to a matching If-None-Match) that writes take back in If-Match."""

    selector = None

    def get_queryset(self):
        return type(self).selector(user=self.request.user, key=key_of(self.request))

    def get_object(self):
        if any("\x00" in str(value) for value in self.kwargs.values()):
            raise Http404  # PostgreSQL takes no NUL character: no such object
        return super().get_object()

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        tag = etag_of(response.data)
        if tag in {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        response["ETag"] = tag
        return response

    def object_or_deny(self, action: str):
        """The URL's object among those the caller may `action`; else 404 and an audit row
        (looked up before any write's transaction, so the row is kept)."""
        try:
            return self.get_object()
        except Http404:
            access.deny(self.request, target=self.request.path, action=action)
