"""A URLconf with one view that fails, for the 500 page test (tests/portal/test_error_pages.py)."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken), path("", include("portal.urls"))]
