from django.urls import include, path

from . import dashboard_views, views
from .documents.urls import unit_urlpatterns as document_urls
from .tasks_requests.urls import unit_urlpatterns as task_urls

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
    path("<slug:code>/documents/", include(document_urls)),
    path("<slug:code>/", include(task_urls)),
]
