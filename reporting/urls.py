from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.reports_home, name="home"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("late/", views.late_reports, name="late"),
    path("network/", views.network, name="network"),
    path("network/pdf/", views.summary_pdf, name="summary_pdf"),
    path("files/<int:pk>/", views.report_file, name="report_file"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("u/<slug:code>/", views.unit_reports, name="unit_reports"),
    path("u/<slug:code>/analytics/", views.unit_analytics, name="unit_analytics"),
    path("u/<slug:code>/<slug:slug>/<str:period>/", views.report_form, name="report_form"),
    path(
        "u/<slug:code>/<slug:slug>/<str:period>/upload/", views.report_upload, name="report_upload"
    ),
    path(
        "u/<slug:code>/<slug:slug>/<str:period>/template.<str:fmt>",
        views.upload_template,
        name="upload_template",
    ),
    path("u/<slug:code>/<slug:slug>/<str:period>/pdf/", views.report_pdf, name="report_pdf"),
]
