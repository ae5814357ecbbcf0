from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("u/<slug:code>/", views.unit_ledger, name="unit_ledger"),
]
