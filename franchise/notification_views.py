"""The notification centre: the person's notices, marking them read, e-mail preferences."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, notifications
from .models import NotificationMode

PER_PAGE = 30


@login_required
def notification_list(request):
    only_unread = request.GET.get("unread") == "1"
    qs = notifications.notifications_of(request.user)
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "franchise/notifications/notification_list.html",
        {"page": page, "only_unread": only_unread},
    )


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one notice read; with `open` set, go on to the thing it is about."""
    notification = notifications.notifications_of(request.user).filter(pk=pk).first()
    if notification is None:
        access.deny(request, target=f"notification:{pk}")
    notifications.notification_mark_read(user=request.user, notification_id=pk)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.url, {request.get_host()}, request.is_secure()
    ):
        return redirect(notification.url or "notifications:list")
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    count = notifications.notification_mark_read(user=request.user)
    messages.success(request, _("%(count)d notices marked as read.") % {"count": count})
    return redirect("notifications:list")


class PreferencesForm(forms.Form):
    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        for pref in preferences:
            self.fields[pref["kind"]] = forms.ChoiceField(
                label=pref["label"],
                choices=NotificationMode.choices,
                initial=pref["mode"],
                widget=forms.RadioSelect,
            )


@login_required
def notification_preferences(request):
    form = PreferencesForm(
        request.POST or None, preferences=notifications.preferences_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        notifications.preferences_save(user=request.user, modes=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "franchise/notifications/preferences.html", {"form": form})


app_name = "notifications"
urlpatterns = [
    path("", notification_list, name="list"),
    path("read-all/", notification_read_all, name="read_all"),
    path("preferences/", notification_preferences, name="preferences"),
    path("<int:pk>/read/", notification_read, name="read"),
]
