"""Wagtail admin screens of the document exchange: the categories staff sort documents into.

Documents, tasks and requests themselves are handled in the cabinet, where every change
goes through the services (rights, versions, notices).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import DocumentCategory


class DocumentCategoryViewSet(ModelViewSet):
    name = "document_categories"
    model = DocumentCategory
    icon = "folder-open-inverse"
    menu_label = _("Document categories")
    menu_order = 160
    add_to_admin_menu = True
    form_fields = ["name_en", "name_ru"]
    list_display = ["name"]
    list_export = ["name_en", "name_ru"]
    search_fields = ["name_en", "name_ru"]


document_category_viewset = DocumentCategoryViewSet()
