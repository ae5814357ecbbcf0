"""Wagtail admin screens for the franchisor's staff: regions, units, invitations, audit.

Every screen is scoped through `franchise.access`: a manager sees their portfolio only.
"""

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import access, services
from .models import AuditEvent, Franchisee, Invitation, Region, UnitRequest, UnitTask
from .tasks_requests import admin_views


class ScopedMixin:
    """Restrict a generic view to the units the user may see: out of scope answers 404."""

    unit_lookup = "unit"
    scope_action = "view"

    def scope(self, queryset):
        user = self.request.user
        if access.has_network_right(user, self.scope_action):
            return queryset
        units = access.units_visible_to(user, self.scope_action)
        if not self.unit_lookup:
            return queryset.filter(pk__in=units.values("pk"))
        return queryset.filter(**{f"{self.unit_lookup}__in": units})


class ScopedListingMixin(ScopedMixin):
    def get_base_queryset(self):
        return self.scope(super().get_base_queryset())


class ScopedObjectMixin(ScopedMixin):
    """Edit and delete views find their object through `get_queryset`."""

    def get_queryset(self):
        return self.scope(self.model._default_manager.all())


class ScopedInspectMixin(ScopedMixin):
    """The inspect view looks its object up on the model itself, not through `get_queryset`."""

    def get_object(self, queryset=None):
        return get_object_or_404(
            self.scope(self.model._default_manager.all()), pk=unquote(str(self.pk))
        )


class ScopedBaseObjectMixin(ScopedMixin):
    """History and usage views list other rows about one object, found here."""

    def get_base_object_queryset(self):
        return self.scope(super().get_base_object_queryset())


def scoped(view_class, unit_lookup="unit", scope_action="view"):
    if issubclass(view_class, BaseObjectMixin):
        mixin = ScopedBaseObjectMixin
    elif hasattr(view_class, "get_base_queryset"):
        mixin = ScopedListingMixin
    elif issubclass(view_class, generic.InspectView):
        mixin = ScopedInspectMixin
    else:
        mixin = ScopedObjectMixin
    return type(
        f"Scoped{view_class.__name__}",
        (mixin, view_class),
        {"unit_lookup": unit_lookup, "scope_action": scope_action},
    )


class NetworkViewSet(ModelViewSet):
    """A screen of the Network menu group, scoped to the viewer's units by default.

    `unit_lookup` leads from the model to its unit ("" when the model is the unit, None when
    the rows are no unit's data, like regions); every view that shows rows or one object
    (listing, inspect, edit, delete, history, usage) that a subclass does not set itself is
    wrapped with `scoped`, so a new screen cannot forget one.
    """

    add_to_admin_menu = False
    unit_lookup: str | None = "unit"
    #: Relations the listing (and its export) shows: fetched with the rows, not once per row.
    list_select_related: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.unit_lookup is None:
            return
        for attr, view_class in [
            ("index_view_class", generic.IndexView),
            ("inspect_view_class", generic.InspectView),
            ("edit_view_class", generic.EditView),
            ("delete_view_class", generic.DeleteView),
            ("history_view_class", HistoryView),
            ("usage_view_class", UsageView),
        ]:
            if attr not in cls.__dict__:
                setattr(cls, attr, scoped(view_class, unit_lookup=cls.unit_lookup))

    def get_index_view_kwargs(self, **kwargs):
        if self.list_select_related:
            kwargs["queryset"] = self.model._default_manager.select_related(
                *self.list_select_related
            )
        return super().get_index_view_kwargs(**kwargs)


class FranchiseeAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        managers = get_user_model().objects.filter(groups__name=access.ACCOUNT_MANAGERS)
        if "account_manager" in self.fields:
            self.fields["account_manager"].queryset = managers
            # Handing a unit to another manager is a network-level decision.
            if for_user is not None and not for_user.has_perm("franchise.add_franchisee"):
                self.fields["account_manager"].disabled = True
            else:
                # Every unit has someone responsible for it from its first day.
                self.fields["account_manager"].required = True


class FranchiseeSaveMixin:
    def save_instance(self):
        manager = self.form.cleaned_data.get("account_manager")
        instance = self.form.save(commit=False)
        if instance.pk:
            instance.account_manager = Franchisee.objects.get(pk=instance.pk).account_manager
        else:
            instance.account_manager = None
        instance.save()
        access.set_account_manager(instance, manager, by=self.request.user, request=self.request)
        return instance


class FranchiseeViewSet(NetworkViewSet):
    name = "units"
    model = Franchisee
    icon = "home"
    menu_label = _("Units")
    unit_lookup = ""
    list_display = [
        "code",
        "trading_name",
        "region",
        "city",
        Column("status", label=_("Status"), accessor="get_status_display"),
        "account_manager",
    ]
    list_filter = ["region", "status", "account_manager"]
    list_export = [
        "code",
        "legal_name",
        "trading_name",
        "region",
        "city",
        "address",
        "phone",
        "email",
        "opened_on",
        "status",
        "account_manager",
    ]
    export_filename = "units"
    search_fields = ["code", "trading_name", "legal_name", "city"]
    inspect_view_enabled = True
    add_view_class = type("FranchiseeCreateView", (FranchiseeSaveMixin, generic.CreateView), {})
    edit_view_class = type(
        "FranchiseeEditView", (FranchiseeSaveMixin, scoped(generic.EditView, unit_lookup="")), {}
    )
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("code"), FieldPanel("status")]),
            FieldPanel("trading_name"),
            FieldPanel("legal_name"),
            FieldPanel("inn"),
            FieldPanel("kpp"),
            MultiFieldPanel(
                [FieldPanel("region"), FieldPanel("city"), FieldPanel("address")],
                heading=_("Location"),
            ),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
            FieldRowPanel([FieldPanel("opened_on"), FieldPanel("account_manager")]),
        ],
        base_form_class=FranchiseeAdminForm,
    )


class RegionViewSet(NetworkViewSet):
    """Regions are the network's own list, no unit's data: not scoped."""

    name = "regions"
    model = Region
    icon = "site"
    menu_label = _("Regions")
    unit_lookup = None
    form_fields = list_display = list_export = search_fields = ["name", "code"]


class InvitationAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.fields["unit"].queryset = access.units_visible_to(for_user, "review")


class InvitationCreateView(generic.CreateView):
    """Invitations go through the service: it hashes the token and mails the link."""

    def save_instance(self):
        data = self.form.cleaned_data
        return services.invitation_create(
            unit=data["unit"],
            email=data["email"],
            role=data["role"],
            full_name=data.get("full_name", ""),
            by=self.request.user,
            request=self.request,
        )


class InvitationViewSet(NetworkViewSet):
    name = "invitations"
    model = Invitation
    icon = "mail"
    menu_label = _("Invitations")
    list_display = ["email", "unit", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "unit__region"]
    list_export = ["email", "full_name", "unit", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "full_name"]
    add_view_class = InvitationCreateView
    edit_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("unit"), FieldPanel("email"), FieldPanel("full_name"), FieldPanel("role")],
        base_form_class=InvitationAdminForm,
    )


class AuditEventViewSet(NetworkViewSet):
    name = "audit"
    model = AuditEvent
    icon = "history"
    menu_label = _("Audit log")
    list_display = ["created_at", "action", "actor", "unit", "target", "ip_address"]
    list_filter = ["action", "created_at"]
    list_export = ["created_at", "action", "actor", "unit", "target", "ip_address", "details"]
    search_fields = ["target"]
    add_view_enabled = False
    edit_view_enabled = False
    form_fields = ["action"]  # the log is read-only: add and edit views are disabled
    inspect_view_enabled = True


class UnitWorkViewSet(NetworkViewSet):
    """Tasks or requests across the viewer's units: list, filter, search, export, inspect.

    Read-only: every change goes through the cabinet (`tasks_requests.services`), which the
    "In the cabinet" column links to. `OverseerPermissionPolicy` (registered in
    wagtail_hooks) grants viewing only, so the generic add, edit and delete views refuse.
    The columns are built from the few fields in which a task and a request differ.
    """

    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    form_fields = ["status"]  # never shown: the policy refuses add, change and delete
    # What differs between the models:
    name_field = text_field = person_field = finished_field = ""
    choice_fields: tuple[str, ...] = ()  # shown by their labels, before the status
    cabinet_column = None

    def __init__(self, *args, **kwargs):
        name, person, choices = self.name_field, self.person_field, self.choice_fields
        self.list_select_related = ("unit", "created_by", person)
        self.search_fields = [name, self.text_field, "unit__code", "unit__trading_name"]
        self.list_display = [
            name,
            "unit",
            *(Column(f, label=self._label(f), accessor=f"get_{f}_display") for f in choices),
            Column("status", label=_("Status"), accessor="get_status_display"),
            "due_date",
            person,
            self.cabinet_column,
        ]
        self.list_export = [
            "unit.code",
            "unit.trading_name",
            name,
            *(f"get_{f}_display" for f in choices),
            "get_status_display",
            "due_date",
            person,
            "created_by",
            "created_at",
            self.finished_field,
        ]
        self.export_headings = {
            "unit.code": _("Unit code"),
            "unit.trading_name": _("Unit"),
            "get_status_display": _("Status"),
            **{f"get_{f}_display": self._label(f) for f in choices},
        }
        self.inspect_view_fields = [
            "unit",
            *choices,
            name,
            self.text_field,
            "status",
            "due_date",
            person,
            "created_by",
            "created_at",
            "updated_at",
            self.finished_field,
        ]
        super().__init__(*args, **kwargs)

    def _label(self, field_name: str) -> str:
        return capfirst(self.model._meta.get_field(field_name).verbose_name)


class TaskAdminViewSet(UnitWorkViewSet):
    name = "network_tasks"
    model = UnitTask
    icon = "tasks"
    menu_label = _("Tasks")
    filterset_class = admin_views.TaskFilterSet
    export_filename = "tasks"
    name_field, text_field, person_field = "title", "description", "responsible"
    finished_field = "completed_at"
    cabinet_column = admin_views.task_cabinet_column


class RequestAdminViewSet(UnitWorkViewSet):
    name = "network_requests"
    model = UnitRequest
    icon = "help"
    menu_label = _("Requests")
    filterset_class = admin_views.RequestFilterSet
    export_filename = "requests"
    name_field, text_field, person_field = "subject", "text", "assignee"
    finished_field = "closed_at"
    choice_fields = ("kind",)
    cabinet_column = admin_views.request_cabinet_column


class FranchiseViewSetGroup(ViewSetGroup):
    menu_label = _("Network")
    menu_icon = "group"
    menu_order = 150
    items = (
        FranchiseeViewSet,
        RegionViewSet,
        InvitationViewSet,
        AuditEventViewSet,
        TaskAdminViewSet,
        RequestAdminViewSet,
    )


franchise_viewset_group = FranchiseViewSetGroup()
