from django.urls import path

from . import dashboard_views, views

app_name = "franchise"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("switch/", views.switch_unit, name="switch_unit"),
    path("portfolio/", dashboard_views.portfolio, name="portfolio"),
    path("<slug:code>/", views.unit_detail, name="unit_detail"),
    path("<slug:code>/members/", views.unit_members, name="unit_members"),
    path(
        "<slug:code>/members/<int:user_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
]
