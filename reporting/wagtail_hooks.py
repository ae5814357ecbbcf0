from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from portal.translations import shown_field

from .forms import ReportTemplateAdminForm
from .models import ReportTemplate


class ReportTemplateIndexView(IndexView):
    def order_queryset(self, queryset):
        if self.ordering not in (None, "name", "-name"):
            return super().order_queryset(queryset)
        sign = "-" if self.ordering == "-name" else ""
        return queryset.annotate(shown_name=shown_field("name")).order_by(f"{sign}shown_name", "pk")


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
