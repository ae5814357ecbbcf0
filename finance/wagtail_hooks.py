"""Agreements and their fee rules in the Wagtail admin (snippets keep revisions: history)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Agreement


class AgreementViewSet(SnippetViewSet):
    model = Agreement
    icon = "doc-full"
    menu_label = _("Agreements")
    add_to_admin_menu = True
    list_display = ["number", "unit", "starts_on", "ends_on"]
    search_fields = ["number"]


register_snippet(AgreementViewSet)
