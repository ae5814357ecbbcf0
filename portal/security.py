"""Request-level hardening: private caching of signed-in pages, rate limits, input caps.

Django's SecurityMiddleware, django-csp and django-axes do most of the work (see the
"Security" section of the settings); this module adds what they do not:

- `PrivateCacheControlMiddleware`: a page rendered for a signed-in user names people, units
  and figures, so no shared cache (a proxy, a CDN) may keep it: it gets `Cache-Control:
  private`. Views that already say `no-store`/`private` keep what they said.
- `RateLimitMiddleware`: POSTs to the routes named in `settings.RATE_LIMITED_ROUTES` (login and
  password reset, ours and the Wagtail admin's) are counted per client address in the cache;
  past the limit the client gets 429 with Retry-After. Axes still locks a username after a few
  failures; this stops one address from spraying many usernames or reset e-mails.
- `upload_rate_limit`: the same limit for a view that accepts files, as a decorator.
- `cap_query`: search terms are cut to a sane length before they reach a search backend.

The counters live in the default cache, so production needs a shared cache (Redis): with a
per-process cache each gunicorn worker would count on its own.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

# Cache-Control
# ------------------------------------------------------------------------------


class PrivateCacheControlMiddleware:
    """Mark every response to a signed-in user `Cache-Control: private` (and vary on Cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Drops a "public" a view may have set; keeps no-store/max-age it chose.
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response


# Rate limits
# ------------------------------------------------------------------------------

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/m' -> (5, 60); '10/15m' -> (10, 900)."""
    count, _sep, period = rate.partition("/")
    multiplier = int(period[:-1] or 1)
    return int(count), multiplier * _PERIODS[period[-1]]


def client_ip(request) -> str:
    """The client's address; behind N trusted proxies, the N-th address from the right of
    X-Forwarded-For (the proxies append, so the left part is whatever the client claimed)."""
    proxies = getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, key: str, rate: str) -> int | None:
    """Count one attempt; return the seconds to wait when over the limit, else None.

    A fixed window per (scope, key): cheap (one add + one incr) and good enough to stop
    a flood; the window boundary lets at most twice the limit through in a burst.
    """
    limit, period = parse_rate(rate)
    now = int(time.time())
    window = now // period
    cache_key = f"rl:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    if count > limit:
        return (window + 1) * period - now or 1
    return None


def too_many_requests(retry_after: int) -> HttpResponse:
    response = HttpResponse(
        _("Too many attempts from your address. Please wait %(seconds)s seconds and try again.")
        % {"seconds": retry_after},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    patch_cache_control(response, no_store=True)
    return response


def _enabled() -> bool:
    return getattr(settings, "RATE_LIMIT_ENABLED", True)


class RateLimitMiddleware:
    """Limit POSTs to the routes in settings.RATE_LIMITED_ROUTES ({url_name: scope})."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not _enabled():
            return None
        match = request.resolver_match
        scope = settings.RATE_LIMITED_ROUTES.get(match.view_name if match else "")
        if scope is None:
            return None
        wait = hit(scope, client_ip(request), settings.RATE_LIMITS[scope])
        return too_many_requests(wait) if wait else None


def rate_limit(scope: str, methods: tuple[str, ...] = ("POST",)):
    """Decorator: limit `methods` requests to the view per user (per address when anonymous), at
    the rate `settings.RATE_LIMITS[scope]`, e.g. `@rate_limit("upload")`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and _enabled():
                # Signed-in people are counted one by one: a franchisor's office shares an address.
                user = getattr(request, "user", None)
                who = f"user:{user.pk}" if user and user.is_authenticated else client_ip(request)
                wait = hit(scope, who, settings.RATE_LIMITS[scope])
                if wait:
                    return too_many_requests(wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


#: Apply to views that accept uploaded files: `@upload_rate_limit` under `@login_required`.
upload_rate_limit = rate_limit("upload")


# Input caps
# ------------------------------------------------------------------------------

SEARCH_QUERY_MAX_LENGTH = 200


def cap_query(text: str | None, limit: int = SEARCH_QUERY_MAX_LENGTH) -> str:
    """A search term trimmed of surrounding space and control characters, at most `limit` long.

    Long terms cost the search backend time and never match anything useful.
    """
    if not text:
        return ""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in str(text)[: limit * 4])
    return " ".join(cleaned.split())[:limit].strip()
