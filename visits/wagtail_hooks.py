"""Checklist templates in the Wagtail admin (visits freeze a version of the items)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ChecklistTemplate


class ChecklistTemplateViewSet(SnippetViewSet):
    model = ChecklistTemplate
    icon = "tasks"
    menu_label = _("Visit checklists")
    menu_name = "visit_checklists"
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name", "pass_score", "task_days", "is_active"]
    list_filter = ["is_active"]
    list_export = ["name", "slug", "pass_score", "task_days", "is_active"]
    search_fields = ["name"]


register_snippet(ChecklistTemplateViewSet)
