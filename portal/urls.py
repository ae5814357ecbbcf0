"""The project URLs: the shell mounts each app's URLs by dotted name (no domain imports)."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("units/", include("franchise.urls")),
    path("notifications/", include("franchise.notification_views")),
    path("documents/", include("franchise.documents.urls")),
    path("tasks/", include("franchise.tasks_requests.urls")),
    path("learn/", include("learning.urls")),
    path("reports/", include("reporting.urls")),
    path("network/", include("reporting.network.urls")),
    path("help/", include("kb.urls")),
    path("orders/", include("orders.urls")),
    path("finance/", include("finance.urls")),
    path("", include("integration.urls")),  # /api/v1/ and /exchange/1c/
    path("visits/", include("visits.urls")),
    path("surveys/", include("surveys.urls")),
    path("invite/", include("franchise.invite_urls")),
    path("jobs/", include("jobs.urls")),  # background imports (price lists, bank statements)
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # Local development only (portal.settings.dev); production serves media from nginx.
    from django.urls import re_path
    from django.views.static import serve

    media = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include(wagtail_urls))]
