"""Surveys in the Wagtail admin: the definition with its questions (results are in the cabinet)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Survey


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "help"
    menu_label = _("Surveys")
    menu_name = "surveys"
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["name", "schedule", "anonymous", "is_active"]
    list_filter = ["is_active", "anonymous", "schedule"]
    list_export = ["name", "slug", "schedule", "anonymous", "is_active"]
    search_fields = ["name"]


register_snippet(SurveyViewSet)
