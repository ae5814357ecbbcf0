from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("calendar/", views.visit_calendar, name="calendar"),
    path("network/", views.network, name="network"),
    path("u/<str:code>/", views.unit_visits, name="unit_visits"),
    path("u/<str:code>/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("u/<str:code>/<int:pk>/fill/", views.visit_fill, name="visit_fill"),
    path("u/<str:code>/<int:pk>/answer/", views.answer_save, name="answer_save"),
    path("u/<str:code>/<int:pk>/review/", views.visit_review, name="visit_review"),
    path("u/<str:code>/<int:pk>/photo/<slug:key>/", views.photo, name="photo"),
]
