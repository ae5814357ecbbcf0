"""Views of visits: thin; units through `access`, reads in selectors, writes in services."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from franchise import access
from franchise.documents.storage import private_file_response
from portal.security import upload_rate_limit

from . import scoring, selectors, services
from .forms import ListFilterForm, PlanForm
from .models import Visit
from .photos import check_photo

PER_PAGE = 30


def _staff_units_or_404(request):
    units = selectors.staff_units(request.user)
    if units is None:
        access.deny(request, target="visits")
    return units


@login_required
def visit_list(request):
    """The planning list of the portfolio: filters, a plan form, the visits newest first."""
    units = selectors.staff_units(request.user)
    if units is None:
        current = getattr(request, "current_unit", None)
        if current:
            return redirect("visits:unit_visits", code=current.code)
        access.deny(request, target="visits:list")
    plan = PlanForm(request.POST or None, units=access.units_visible_to(request.user, "review"))
    if request.method == "POST":
        if plan.is_valid():
            try:
                visit = services.visit_plan(
                    unit=plan.cleaned_data["unit"],
                    template=plan.cleaned_data["template"],
                    planned_date=plan.cleaned_data["planned_date"],
                    by=request.user,
                )
            except ValidationError as error:
                plan.add_error(None, error)
            else:
                messages.success(request, _("Visit planned."))
                return redirect("visits:visit_detail", code=visit.unit.code, pk=visit.pk)
    filters = ListFilterForm(request.GET or None)
    visits = selectors.visit_list(
        request.user, units=units, status=filters.status_value(), month=filters.month_value()
    )
    page = Paginator(visits, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/visit_list.html",
        {"visits": page, "filters": filters, "plan": plan, "can_plan": True},
    )


def _month(request) -> date:
    try:
        year, month = (int(p) for p in request.GET.get("month", "").split("-")[:2])
        return date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


@login_required
def visit_calendar(request):
    units = _staff_units_or_404(request)
    month = _month(request)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return render(
        request,
        "visits/visit_calendar.html",
        {
            "month": month,
            "weeks": selectors.month_weeks(request.user, units=units, month=month),
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
        },
    )


@login_required
def unit_visits(request, code):
    unit = access.get_unit_or_404(request, code)
    visits = selectors.visit_list(request.user, units=[unit.pk])
    return render(
        request,
        "visits/unit_visits.html",
        {
            "unit": unit,
            "visits": Paginator(visits, PER_PAGE).get_page(request.GET.get("page")),
            "summary": selectors.unit_summary(unit),
            "can_visit": services.can_visit(request.user, unit),
        },
    )


@login_required
def visit_detail(request, code, pk):
    unit = access.get_unit_or_404(request, code)
    visit = selectors.visit_of(request.user, unit, pk)
    shows = selectors.shows_result(request.user, visit)
    before, rows = selectors.comparison(visit) if shows else (None, [])
    return render(
        request,
        "visits/visit_detail.html",
        {
            "unit": unit,
            "visit": visit,
            "shows_result": shows,
            "before": before,
            "rows": rows,
            "can_fill": services.can_visit(request.user, unit) and not visit.is_locked,
        },
    )


def _fillable(request, code, pk) -> Visit:
    unit = access.get_unit_or_404(request, code)
    visit = selectors.visit_of(request.user, unit, pk)
    if not services.can_visit(request.user, unit):
        access.deny(request, target="visits:fill", visit=visit.pk)
    return visit


def read_answers(request, items) -> tuple[dict, dict, dict, dict]:
    """(answers, comments, photos, errors) posted for `items`; photos checked here."""
    answers, comments, photos, errors = {}, {}, {}, {}
    for item in items:
        key = item["key"]
        if f"a-{key}" in request.POST or f"na-{key}" in request.POST:
            answers[key] = "na" if request.POST.get(f"na-{key}") else request.POST.get(f"a-{key}")
        if f"c-{key}" in request.POST:
            comments[key] = request.POST[f"c-{key}"]
        upload = request.FILES.get(f"p-{key}")
        if upload:
            try:
                photos[key] = check_photo(upload)
            except ValidationError as error:
                errors[key] = error.messages[0]
    return answers, comments, photos, errors


def _messages(error: ValidationError) -> dict[str, str]:
    """{item key: its first message} ("__all__" for a message about the whole visit)."""
    if hasattr(error, "error_dict"):
        return {key: texts[0] for key, texts in error.message_dict.items()}
    return {"__all__": error.messages[0]}


def _save(request, visit, items) -> dict:
    answers, comments, photos, errors = read_answers(request, items)
    if errors:
        return errors
    try:
        services.visit_answers_save(
            visit=visit, by=request.user, answers=answers, comments=comments, photos=photos
        )
    except ValidationError as error:
        return _messages(error)
    return {}


@login_required
@upload_rate_limit
def visit_fill(request, code, pk):
    """One section of the checklist per page; each POST saves that section (works without JS)."""
    visit = _fillable(request, code, pk)
    if visit.is_locked:
        messages.error(request, _("This visit is submitted and can no longer be changed."))
        return redirect("visits:visit_detail", code=code, pk=pk)
    sections = scoring.sections(visit.version.shown_items)
    try:
        index = min(max(int(request.GET.get("section", 0)), 0), len(sections) - 1)
    except ValueError:
        index = 0
    errors = {}
    if request.method == "POST":
        errors = _save(request, visit, sections[index][1])
        if not errors:
            if request.POST.get("go") == "previous" and index:
                index -= 1
            elif index + 1 < len(sections):
                index += 1
            else:
                return redirect("visits:visit_review", code=code, pk=pk)
            return redirect(reverse("visits:visit_fill", args=[code, pk]) + f"?section={index}")
    answers = selectors.answers_of(visit)
    title, items = sections[index]
    return render(
        request,
        "visits/visit_fill.html",
        {
            "unit": visit.unit,
            "visit": visit,
            "section_title": title,
            "index": index,
            "sections": sections,
            "is_last": index + 1 == len(sections),
            "rows": [
                {"item": item, "answer": answers.get(item["key"]), "error": errors.get(item["key"])}
                for item in items
            ],
            "error": errors.get("__all__"),
            "scale": range(scoring.SCALE_MAX + 1),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
@upload_rate_limit
def answer_save(request, code, pk):
    """Autosave of one answer from visit-form.js: JSON in, JSON out."""
    visit = _fillable(request, code, pk)
    key = request.POST.get("item", "")
    items = [i for i in visit.version.items if i["key"] == key]
    if not items:
        return JsonResponse({"error": _("This item is not in the checklist.")}, status=400)
    errors = _save(request, visit, items)
    if errors:
        return JsonResponse({"error": next(iter(errors.values()))}, status=400)
    return JsonResponse({"saved": True})


@login_required
def visit_review(request, code, pk):
    """Every answer at a glance before submitting; POST submits and locks."""
    visit = _fillable(request, code, pk)
    errors = {}
    if request.method == "POST":
        try:
            services.visit_submit(
                visit=visit, by=request.user, summary=request.POST.get("summary", "")
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = _messages(error)
            else:
                messages.error(request, error.messages[0])
                return redirect("visits:visit_detail", code=code, pk=pk)
        else:
            messages.success(request, _("Visit submitted."))
            return redirect("visits:visit_detail", code=code, pk=pk)
    if visit.is_locked:
        return redirect("visits:visit_detail", code=code, pk=pk)
    _before, rows = selectors.comparison(visit)
    for row in rows:
        row["error"] = errors.get(row["item"]["key"], "")
    return render(
        request,
        "visits/visit_review.html",
        {"unit": visit.unit, "visit": visit, "rows": rows, "has_errors": bool(errors)},
        status=400 if errors else 200,
    )


@login_required
def photo(request, code, pk, key):
    unit = access.get_unit_or_404(request, code)
    visit = selectors.visit_of(request.user, unit, pk)
    answer = selectors.answers_of(visit).get(key)
    if not selectors.shows_result(request.user, visit) or answer is None or not answer.photo:
        raise Http404
    ext = answer.photo.name.rsplit(".", 1)[-1]
    return private_file_response(
        answer.photo, filename=f"{unit.code}-{key}.{ext}", content_type=answer.photo_type
    )


@login_required
def network(request):
    """Scores per region and the most often failed items, over the viewer's units."""
    units = _staff_units_or_404(request)
    return render(
        request, "visits/network.html", selectors.network_figures(request.user, units=units)
    )
