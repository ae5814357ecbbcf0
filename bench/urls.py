"""The project's URLs plus /bench/bare: the floor every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    """No template, no query: what the server and the middleware stack cost on their own."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare, name="bench_bare"), *portal_urlpatterns]
