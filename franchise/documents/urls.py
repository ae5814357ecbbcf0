"""/documents/: the network library, search, and every document by its number.

A unit's folders live under /units/<code>/documents/ (see `unit_urlpatterns`, included from
franchise/urls.py).
"""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.library, name="library"),
    path("search/", views.search, name="search"),
    path("new/", views.library_new, name="library_new"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/upload/", views.version_upload, name="version_upload"),
    path("<int:pk>/versions/<int:number>/download/", views.download, name="download"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/acknowledgements/", views.acknowledgements, name="acknowledgements"),
]

#: Included under /units/<code>/documents/ in the `franchise` namespace.
unit_urlpatterns = [
    path("", views.unit_documents, name="unit_documents"),
    path("upload/", views.document_upload, name="document_upload"),
]
