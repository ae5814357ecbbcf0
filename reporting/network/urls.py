from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.network, name="home"),
    path("charts/", views.network_charts, name="charts"),
    path("compare/", views.compare, name="compare"),
    path("adoption/", views.adoption, name="adoption"),
    path("digest/", views.digest_page, name="digest"),
    path("pdf/", views.digest_pdf, name="pdf"),
    path("u/<slug:code>/", views.scorecard, name="scorecard"),
]
