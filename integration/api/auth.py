"""Who is calling: an integration key (Authorization: Api-Key <key>) or a signed-in person.

A key acts as its user, so rights come from `franchise/access.py`; the key adds scopes
(resource, read or write). People signed in with their session hold every scope.
"""

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework_api_key.permissions import KeyParser

from integration.models import IntegrationKey

#: last_used_at is written at most this often per key (not one UPDATE per request).
LAST_USED_EVERY = 60


class KeyAuthentication(authentication.BaseAuthentication):
    keyword = KeyParser.keyword

    def authenticate(self, request):
        raw = KeyParser().get(request)
        if raw is None:
            return None
        key = key_from_raw(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(
                _("The API key is not valid, expired or revoked.")
            )
        return key.user, key

    def authenticate_header(self, request):
        return self.keyword


def key_from_raw(raw: str) -> IntegrationKey | None:
    """The usable key for `raw` (not revoked, not expired, its user active), else None."""
    prefix, _dot, _rest = raw.partition(".")
    key = IntegrationKey.objects.filter(prefix=prefix, revoked=False).select_related("user").first()
    if key is None or key.has_expired or not key.user.is_active or not key.is_valid(raw):
        return None
    if cache.add(f"apikey-used:{key.pk}", 1, LAST_USED_EVERY):
        IntegrationKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def key_of(request) -> IntegrationKey | None:
    return request.auth if isinstance(request.auth, IntegrationKey) else None


class ScopedAccess(permissions.BasePermission):
    """Signed in, and a key must hold the view's resource scope for the method."""

    message = _("This API key has no scope for this resource.")
    code = "scope_missing"

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        key = key_of(request)
        if key is None:
            return True
        write = request.method not in permissions.SAFE_METHODS
        return key.allows(getattr(view, "resource", ""), write)


class ClientThrottle(throttling.SimpleRateThrottle):
    """Requests per key (or per signed-in person)."""

    scope = "api"

    def get_cache_key(self, request, view):
        key = key_of(request)
        if key is not None:
            ident = f"key:{key.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
