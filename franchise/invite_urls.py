"""The invitation link, outside the `franchise` namespace (`invitation_accept`)."""

from django.urls import path

from .views import invitation_accept

urlpatterns = [path("<str:token>/", invitation_accept, name="invitation_accept")]
