from django.urls import path

from . import views

app_name = "kb"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("open/<int:log_id>/<int:article_id>/", views.open_result, name="open_result"),
    path("articles/<int:article_id>/feedback/", views.feedback, name="feedback"),
    path("articles/<int:article_id>/print/", views.article_print, name="print"),
    path(
        "documents/<int:document_id>/<str:document_filename>",
        views.document,
        name="document",
    ),
]
