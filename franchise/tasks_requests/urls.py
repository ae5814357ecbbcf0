"""URLs of tasks and requests."""

from django.urls import path

from . import views

#: Included under /units/<code>/ in the `franchise` namespace.
unit_urlpatterns = [
    path("tasks/", views.unit_tasks, name="unit_tasks"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/comment/", views.task_comment, name="task_comment"),
    path("tasks/<int:pk>/checklist/<int:item_pk>/", views.task_checklist, name="task_checklist"),
    path(
        "tasks/<int:pk>/files/<int:attachment_pk>/", views.task_attachment, name="task_attachment"
    ),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/status/", views.request_status, name="request_status"),
    path("requests/<int:pk>/comment/", views.request_comment, name="request_comment"),
]

#: /tasks/: the franchisor's inbox across the portfolio.
app_name = "tasks"
urlpatterns = [path("", views.inbox, name="inbox")]
