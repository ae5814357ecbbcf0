from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language as django_set_language

from . import units


@never_cache
def healthz(request):
    """Liveness for load balancers: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down"
        return JsonResponse({"status": "error", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def dashboard(request):
    """Where login lands: as the unit directory says (unit, portfolio, admin), else a notice."""
    return units.directory().landing(request) or render(request, "portal/no_unit.html")


class LoginView(auth_views.LoginView):
    """Login that switches the interface to the user's preferred language."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        return response


def set_language(request):
    """Django's set_language, also remembered on the user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and translation.check_for_language(language)
        and language in dict(settings.LANGUAGES)
    ):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response
