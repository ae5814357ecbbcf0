from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("<int:pk>/", views.job_status, name="status"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
]
