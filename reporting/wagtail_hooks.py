from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from .forms import ReportTemplateAdminForm
from .models import ReportTemplate


def shown_name():
    """The name a reader sees, as SQL: the active language's, the English one where none was
    given (ordering by `name` would put the untranslated templates first in Russian)."""
    code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if code == "en" or code not in settings.MODELTRANSLATION_LANGUAGES:
        return F("name_en")
    return Coalesce(NullIf(F(f"name_{code}"), Value("")), F("name_en"), output_field=CharField())


class ReportTemplateIndexView(IndexView):
    def order_queryset(self, queryset):
        if self.ordering not in (None, "name", "-name"):
            return super().order_queryset(queryset)
        sign = "-" if self.ordering == "-name" else ""
        return queryset.annotate(shown_name=shown_name()).order_by(f"{sign}shown_name", "pk")


class ReportTemplateViewSet(SnippetViewSet):
    """Editors keep report templates here; submissions freeze a version of the fields."""

    model = ReportTemplate
    index_view_class = ReportTemplateIndexView
    icon = "table"
    menu_label = _("Report templates")
    menu_name = "report_templates"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "period_kind", "due_days", "is_active"]
    list_filter = ["period_kind", "is_active"]
    list_export = ["name", "slug", "period_kind", "due_days", "is_active"]
    search_fields = ["name_en", "name_ru"]
    edit_handler = ObjectList(ReportTemplate.panels, base_form_class=ReportTemplateAdminForm)


register_snippet(ReportTemplateViewSet)

from .network import wagtail_hooks as network_hooks  # noqa: E402,F401
