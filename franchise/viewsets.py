"""Wagtail admin screens for the franchisor's staff: regions, units, invitations, audit.

Every screen is scoped through `franchise.access`: a manager sees their portfolio only.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import access, services
from .models import AuditEvent, Franchisee, Invitation, Region


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
    def get_queryset(self):
        return self.scope(self.model._default_manager.all())


def scoped(view_class, unit_lookup="unit", scope_action="view"):
    mixin = ScopedListingMixin if hasattr(view_class, "get_base_queryset") else ScopedObjectMixin
    return type(
        f"Scoped{view_class.__name__}",
        (mixin, view_class),
        {"unit_lookup": unit_lookup, "scope_action": scope_action},
    )


class FranchiseeAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        managers = get_user_model().objects.filter(groups__name=access.ACCOUNT_MANAGERS)
        if "account_manager" in self.fields:
            self.fields["account_manager"].queryset = managers
            # Handing a unit to another manager is a network-level decision.
            if for_user is not None and not for_user.has_perm("franchise.add_franchisee"):
                self.fields["account_manager"].disabled = True


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


class FranchiseeViewSet(ModelViewSet):
    name = "units"
    model = Franchisee
    icon = "home"
    menu_label = _("Units")
    add_to_admin_menu = False
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
    index_view_class = scoped(generic.IndexView, unit_lookup="")
    add_view_class = type("FranchiseeCreateView", (FranchiseeSaveMixin, generic.CreateView), {})
    edit_view_class = type(
        "FranchiseeEditView", (FranchiseeSaveMixin, scoped(generic.EditView, unit_lookup="")), {}
    )
    delete_view_class = scoped(generic.DeleteView, unit_lookup="")
    inspect_view_class = scoped(generic.InspectView, unit_lookup="")
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("code"), FieldPanel("status")]),
            FieldPanel("trading_name"),
            FieldPanel("legal_name"),
            MultiFieldPanel(
                [FieldPanel("region"), FieldPanel("city"), FieldPanel("address")],
                heading=_("Location"),
            ),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
            FieldRowPanel([FieldPanel("opened_on"), FieldPanel("account_manager")]),
        ],
        base_form_class=FranchiseeAdminForm,
    )


class RegionViewSet(ModelViewSet):
    name = "regions"
    model = Region
    icon = "site"
    menu_label = _("Regions")
    add_to_admin_menu = False
    form_fields = ["name", "code"]
    list_display = ["name", "code"]
    list_export = ["name", "code"]
    search_fields = ["name", "code"]


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


class InvitationViewSet(ModelViewSet):
    name = "invitations"
    model = Invitation
    icon = "mail"
    menu_label = _("Invitations")
    add_to_admin_menu = False
    list_display = ["email", "unit", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "unit__region"]
    list_export = ["email", "full_name", "unit", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "full_name"]
    index_view_class = scoped(generic.IndexView)
    add_view_class = InvitationCreateView
    edit_view_enabled = False
    delete_view_class = scoped(generic.DeleteView)
    edit_handler = ObjectList(
        [FieldPanel("unit"), FieldPanel("email"), FieldPanel("full_name"), FieldPanel("role")],
        base_form_class=InvitationAdminForm,
    )


class AuditEventViewSet(ModelViewSet):
    name = "audit"
    model = AuditEvent
    icon = "history"
    menu_label = _("Audit log")
    add_to_admin_menu = False
    list_display = ["created_at", "action", "actor", "unit", "target", "ip_address"]
    list_filter = ["action", "created_at"]
    list_export = ["created_at", "action", "actor", "unit", "target", "ip_address", "details"]
    search_fields = ["target"]
    add_view_enabled = False
    edit_view_enabled = False
    form_fields = ["action"]  # the log is read-only: add and edit views are disabled
    inspect_view_enabled = True
    index_view_class = scoped(generic.IndexView)
    inspect_view_class = scoped(generic.InspectView)


class FranchiseViewSetGroup(ViewSetGroup):
    menu_label = _("Network")
    menu_icon = "group"
    menu_order = 150
    items = (FranchiseeViewSet, RegionViewSet, InvitationViewSet, AuditEventViewSet)


franchise_viewset_group = FranchiseViewSetGroup()
