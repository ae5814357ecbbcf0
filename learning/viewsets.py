"""Read-only admin listings of assignments and certificates, scoped like the cabinet.

Writes go through the cabinet's forms and services (assignment_create, certificate_issue),
so the admin only lists, inspects and exports.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from franchise.viewsets import scoped

from .models import Assignment, Certificate


class ReadOnlyTrainingViewSet(ModelViewSet):
    """Lists, inspects and exports only; every view of rows or of one row (listing, inspect,
    history, usage) keeps to the units whose training the viewer reviews."""

    add_view_enabled = False
    edit_view_enabled = False
    inspect_view_enabled = True
    index_view_class = scoped(generic.IndexView, scope_action="review")
    inspect_view_class = scoped(generic.InspectView, scope_action="review")
    history_view_class = scoped(HistoryView, scope_action="review")
    usage_view_class = scoped(UsageView, scope_action="review")


class AssignmentViewSet(ReadOnlyTrainingViewSet):
    name = "course_assignments"
    model = Assignment
    icon = "calendar-check"
    menu_label = _("Assignments")
    list_display = ["course", "unit", "roles", "user", "due_on", "kind", "created_by"]
    list_filter = ["kind", "due_on"]
    list_export = ["course", "unit", "roles", "user", "due_on", "kind", "created_by", "created_at"]
    form_fields = ["due_on"]


class CertificateViewSet(ReadOnlyTrainingViewSet):
    name = "certificates"
    model = Certificate
    icon = "success"
    menu_label = _("Certificates")
    list_display = ["code", "learner_name", "course_title", "unit", "issued_on", "expires_on"]
    list_filter = ["issued_on", "expires_on"]
    list_export = ["code", "learner_name", "course_title", "unit", "issued_on", "expires_on"]
    search_fields = ["code", "learner_name", "course_title"]
    form_fields = ["code"]


class LearningViewSetGroup(ViewSetGroup):
    menu_label = _("Training")
    menu_icon = "tasks"
    menu_order = 220
    items = (AssignmentViewSet, CertificateViewSet)


learning_viewset_group = LearningViewSetGroup()
