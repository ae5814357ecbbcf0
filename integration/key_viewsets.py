"""Wagtail admin screens of the integration keys: the list, issuing a key (shown once, on the
page that answers the save) and revoking one. A key's secret is never edited: revoke it and
issue a new one.
"""

from __future__ import annotations

from datetime import datetime, time

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies.base import ModelPermissionPolicy

from franchise import access
from franchise.models import Franchisee, Membership, Region

from . import services
from .models import RESOURCES, IntegrationKey

#: Issuing keys, and seeing and revoking them.
ADD = "integration.add_integrationkey"
MANAGE = "integration.change_integrationkey"

#: The form's options that give a network key's service user more than a network lead's rights.
NETWORK_RIGHTS = ("keeps_books", "order_desk")

#: Service users made for a key (integration.services._service_user) are named "api-…".
SERVICE_PREFIX = "api-"


class Kind:
    UNIT = "unit"
    NETWORK = "network"
    PERSON = "person"

    choices = (
        (UNIT, gettext_lazy("One unit")),
        (NETWORK, gettext_lazy("The whole network (or one region)")),
        (PERSON, gettext_lazy("A person (the same rights as the person)")),
    )


def scope_choices():
    labels = {"read": gettext_lazy("read"), "write": gettext_lazy("write")}
    return [(f"{r}:{m}", f"{r}: {labels[m]}") for r in RESOURCES for m in ("read", "write")]


def _people():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(username__startswith=SERVICE_PREFIX)
        .order_by("full_name", "username")
    )


class KeyCreateForm(WagtailAdminModelForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Acts for"), choices=Kind.choices, widget=forms.RadioSelect
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=Franchisee.objects.order_by("code"),
        required=False,
        help_text=gettext_lazy("For a unit's key: it sees this unit only."),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.order_by("name"),
        required=False,
        help_text=gettext_lazy("For a network key: limit it to one region's units."),
    )
    keeps_books = forms.BooleanField(
        label=gettext_lazy("Keeps the books"),
        required=False,
        help_text=gettext_lazy(
            "For a network key: the finance staff's rights (with finance: write it records "
            "payments)."
        ),
    )
    order_desk = forms.BooleanField(
        label=gettext_lazy("Runs the order desk"),
        required=False,
        help_text=gettext_lazy(
            "For a network key: the order desk's right on every unit (with orders: write it "
            "confirms, rejects and ships orders)."
        ),
    )
    person = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=_people(),
        required=False,
        help_text=gettext_lazy("For a person's key: it has exactly the person's rights."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=scope_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("What the API lets the key read or write."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=AdminDateInput,
        help_text=gettext_lazy("Optional. The key stops working at the start of this day."),
    )

    class Meta:
        model = IntegrationKey
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people()
        self.fields["name"].help_text = _("Who uses the key, e.g. “1C accounting”.")

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day in the future."))
        return day

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Kind.UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose the unit the key is for."))
        if kind == Kind.PERSON and not data.get("person"):
            self.add_error("person", _("Choose the person the key is for."))
        if kind != Kind.NETWORK:
            for name in NETWORK_RIGHTS:
                if data.get(name):
                    self.add_error(name, _("Only a network key holds this right."))
        return data

    def expires_at(self):
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.min))

    def issue(self, *, by) -> tuple[IntegrationKey, str]:
        """The key through the service of its kind; (key, raw key)."""
        data = self.cleaned_data
        common = {
            "name": data["name"],
            "scopes": list(data["scopes"]),
            "by": by,
            "expires": self.expires_at(),
        }
        if data["kind"] == Kind.UNIT:
            return services.key_issue_for_unit(unit=data["unit"], **common)
        if data["kind"] == Kind.PERSON:
            return services.key_issue_for_user(user=data["person"], **common)
        return services.key_issue_for_network(
            region=data.get("region"),
            keeps_books=data.get("keeps_books", False),
            order_desk=data.get("order_desk", False),
            **common,
        )


class KeyCreateView(generic.CreateView):
    """Issues the key through the services and answers with the page showing it, once."""

    shown_once_template = "integration/admin/key_created.html"

    def save_instance(self):
        key, self._raw_key = self.form.issue(by=self.request.user)
        return key

    def save_action(self):
        units_url = self.request.build_absolute_uri(reverse("integration:unit-list"))
        response = TemplateResponse(
            self.request,
            self.shown_once_template,
            {
                "key": self.object,
                "raw_key": self._raw_key,
                "curl": f'curl -H "Authorization: Api-Key {self._raw_key}" {units_url}',
                "index_url": reverse("integration_keys:index"),
                "page_title": self.object.name,
                "header_icon": "key",
            },
        )
        response["Cache-Control"] = "no-store"
        return response


class KeyPolicy(ModelPermissionPolicy):
    """Keys are issued and revoked here, never edited or deleted (the audit keeps them)."""

    def user_has_permission(self, user, action):
        if action == "add":
            return user.has_perm(ADD)
        if action == "view":
            return user.has_perm(MANAGE)
        return False

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        codenames = []
        if "add" in actions:
            codenames.append("add_integrationkey")
        if "view" in actions:
            codenames.append("change_integrationkey")
        if not codenames:
            return users.none()
        perms = Permission.objects.filter(
            content_type__app_label="integration", codename__in=codenames
        )
        return users.filter(
            Q(is_superuser=True) | Q(user_permissions__in=perms) | Q(groups__permissions__in=perms)
        ).distinct()


def holder(key: IntegrationKey) -> str:
    """Whom the key acts for: a unit, the network (a region), or a person."""
    user = key.user
    if not user.username.startswith(SERVICE_PREFIX):
        return _("Person: %(name)s") % {"name": user.full_name or user.username}
    units = [m.unit for m in user.memberships.all()]
    if units:
        return _("Unit: %(unit)s") % {"unit": units[0].code}
    place = _("Region: %(region)s") % {"region": key.region.name} if key.region_id else _("Network")
    extras = _network_rights(user)
    return f"{place} ({', '.join(extras)})" if extras else place


def _network_rights(user) -> list[str]:
    """What a network key's user holds beyond a lead's rights (from the prefetched rows)."""
    extras = []
    if any(g.name == access.FINANCE for g in user.groups.all()):
        extras.append(_("keeps books"))
    desk = access.ACTIONS[services.ORDER_DESK_RIGHT]
    if any(p.codename == desk for p in user.user_permissions.all()):
        extras.append(_("order desk"))
    return extras


def _by_kind(queryset, _name, value):
    service = Q(user__username__startswith=SERVICE_PREFIX)
    on_a_unit = Q(user__memberships__isnull=False)
    if value == Kind.PERSON:
        return queryset.exclude(service)
    if value == Kind.UNIT:
        return queryset.filter(service & on_a_unit).distinct()
    if value == Kind.NETWORK:
        return queryset.filter(service).exclude(on_a_unit)
    return queryset


class KeyFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Acts for"), choices=Kind.choices, method=_by_kind
    )
    revoked = django_filters.BooleanFilter(label=gettext_lazy("revoked"))

    class Meta:
        model = IntegrationKey
        fields = ["kind", "revoked", "created", "expiry_date"]


class KeyIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("user", "region")
            .prefetch_related(
                Prefetch("user__memberships", queryset=Membership.objects.select_related("unit")),
                "user__groups",
                "user__user_permissions",
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not instance.revoked and self.request.user.has_perm(MANAGE):
            buttons.append(
                Button(
                    _("Revoke"),
                    url=reverse("integration_keys:revoke", args=[instance.pk]),
                    icon_name="bin",
                    priority=40,
                )
            )
        return buttons


def revoke_view(request, pk):
    """GET: confirm; POST: the key stops working at once."""
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    key = get_object_or_404(IntegrationKey, pk=pk)
    index_url = reverse("integration_keys:index")
    if request.method == "POST":
        services.key_revoke(key=key, by=request.user)
        messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
        return redirect(index_url)
    return TemplateResponse(
        request,
        "integration/admin/key_revoke.html",
        {
            "key": key,
            "index_url": index_url,
            "page_title": _("Revoke an API key"),
            "header_icon": "key",
        },
    )


class IntegrationKeyViewSet(ModelViewSet):
    name = "integration_keys"
    model = IntegrationKey
    icon = "key"
    menu_label = gettext_lazy("API keys")
    menu_order = 871
    add_to_admin_menu = True
    add_view_class = KeyCreateView
    index_view_class = KeyIndexView
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("unit"),
            FieldPanel("region"),
            FieldPanel("keeps_books"),
            FieldPanel("order_desk"),
            FieldPanel("person"),
            FieldPanel("scopes"),
            FieldPanel("expires_on"),
        ],
        base_form_class=KeyCreateForm,
    )
    list_display = [
        "name",
        "prefix",
        Column("holder", label=gettext_lazy("Acts for"), accessor=holder),
        Column("scopes", label=gettext_lazy("Scopes"), accessor=lambda k: ", ".join(k.scopes)),
        "created",
        "expiry_date",
        "revoked_at",
    ]
    filterset_class = KeyFilterSet
    search_fields = ["name", "prefix"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<str:pk>/", revoke_view, name="revoke"),
        ]


key_viewset = IntegrationKeyViewSet()
