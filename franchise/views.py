from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import versions

from . import access, selectors, services
from .forms import AcceptInvitationForm, InvitationForm, UnitFilterForm
from .models import Invitation, Role

UNITS_PER_PAGE = 50
#: What the unit list shows: units, regions, memberships (head-count), account managers.
UNIT_LIST_LABELS = (
    "franchise.Franchisee",
    "franchise.Region",
    "franchise.Membership",
    "portal.User",
)


@login_required
def unit_list(request):
    """The portfolio of a manager, or the whole network for a network lead."""
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(
        request.user,
        q=filters.get("q", ""),
        region=filters.get("region"),
        status=filters.get("status", ""),
    )

    def render_body():
        page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
        context = {"form": form, "page": page}
        return render_to_string("franchise/unit_list_body.html", context, request)

    params = [*UnitFilterForm.base_fields, "page"]
    scope = access.scope_key(request.user)
    body = versions.cached_page(request, "unit-list", scope, params, UNIT_LIST_LABELS, render_body)
    return render(request, "franchise/unit_list.html", {"body": body})


def unit_detail(request, code):
    """The unit's page is its dashboard (franchise.dashboard_views)."""
    from .dashboard_views import unit_dashboard

    return unit_dashboard(request, code)


@login_required
def unit_members(request, code):
    unit = access.get_unit_or_404(request, code)
    can_invite_owner = access.can(request.user, "review", unit)
    can_manage = can_invite_owner or access.can(request.user, "manage_members", unit)
    form = InvitationForm(request.POST or None, allow_owner=can_invite_owner)
    if request.method == "POST":
        if not can_manage:
            access.deny(request, target=f"unit:{code}", action="manage_members")
        if form.is_valid():
            try:
                services.invitation_create(
                    unit=unit, by=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("franchise:unit_members", code=unit.code)
    pending = (
        Invitation.objects.filter(unit=unit, accepted_at__isnull=True).order_by("-created_at")
        if can_manage
        else Invitation.objects.none()
    )
    return render(
        request,
        "franchise/unit_members.html",
        {
            "unit": unit,
            "people": selectors.unit_people(unit),
            "form": form,
            "can_manage": can_manage,
            "can_remove_owner": can_invite_owner,
            "pending": pending,
        },
    )


@login_required
@require_POST
def member_remove(request, code, user_id):
    unit = access.get_unit_or_404(request, code)
    person = get_object_or_404(get_user_model(), pk=user_id, memberships__unit=unit)
    try:
        services.member_remove(unit=unit, user=person, by=request.user, request=request)
    except PermissionDenied:
        access.deny(request, target=f"unit:{code}", action="remove_member")
    messages.success(request, _("%(name)s no longer has access to the unit.") % {"name": person})
    return redirect("franchise:unit_members", code=unit.code)


@login_required
@require_POST
def switch_unit(request):
    """Make another of the user's units the current one (the header's unit switcher)."""
    unit = access.get_unit_or_404(request, request.POST.get("unit", ""))
    request.session["current_unit"] = unit.pk
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect("dashboard")


def invitation_accept(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "franchise/invitation_invalid.html", status=410)
    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    if existing is not None:
        # Someone who already has an account only confirms; their password stays theirs.
        if request.method == "POST":
            services.invitation_accept(token=token)
            messages.success(
                request,
                _("You have joined %(unit)s. Sign in to continue.") % {"unit": invitation.unit},
            )
            return redirect("login")
        return render(
            request, "franchise/invitation_accept.html", {"invitation": invitation, "form": None}
        )
    if request.method == "POST" and form.is_valid():
        candidate = get_user_model()(
            username=invitation.email,
            email=invitation.email,
            full_name=form.cleaned_data["full_name"],
        )
        form.validate_password_for_user(candidate)
        if form.is_valid():
            user = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
            if user is None:
                return render(request, "franchise/invitation_invalid.html", status=410)
            login(request, user, backend="portal.auth_backends.CachedModelBackend")
            request.session["current_unit"] = invitation.unit_id
            messages.success(request, _("Welcome to %(unit)s!") % {"unit": invitation.unit})
            return redirect("dashboard")
    return render(
        request,
        "franchise/invitation_accept.html",
        {"invitation": invitation, "form": form, "roles": Role},
    )
