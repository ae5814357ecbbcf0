from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.index, name="index"),
    path("results/<slug:slug>/", views.survey_results, name="results"),
    path("u/<str:code>/", views.unit_surveys, name="unit_surveys"),
    path("u/<str:code>/<int:pk>/", views.answer, name="answer"),
]
