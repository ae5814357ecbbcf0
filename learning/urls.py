from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("lessons/<int:page_id>/done/", views.lesson_done, name="lesson_done"),
    path("quiz/<int:page_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:pk>/", views.attempt_take, name="attempt"),
    path("attempts/<int:pk>/result/", views.attempt_result, name="attempt_result"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("assign/", views.assign, name="assign"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/<str:code>/", views.matrix_unit, name="matrix_unit"),
]
