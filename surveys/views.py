"""Views of surveys: thin; units through `access`, reads in selectors/results, writes in
services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from franchise import access
from reporting import exports

from . import results as R
from . import selectors, services
from .forms import AnswerForm, FilterForm, parse_filters


@login_required
def index(request):
    """Staff: the surveys and their results; a unit's people: the unit's open surveys."""
    if selectors.results_scope(request.user) is not None:
        surveys = selectors.surveys_for_staff()
        return render(request, "surveys/survey_index.html", {"surveys": surveys})
    current = getattr(request, "current_unit", None)
    if current:
        return redirect("surveys:unit_surveys", code=current.code)
    access.deny(request, target="surveys:index")


@login_required
def unit_surveys(request, code):
    unit = access.get_unit_or_404(request, code)
    rounds = selectors.open_rounds(request.user, unit, today=timezone.localdate())
    return render(request, "surveys/unit_surveys.html", {"unit": unit, "rounds": rounds})


@login_required
def answer(request, code, pk):
    """The answer form (one page, radio scales: usable on a phone, no JavaScript)."""
    unit = access.get_unit_or_404(request, code, "work")
    round_ = selectors.round_to_answer(request.user, unit, pk)
    today = timezone.localdate()
    form = AnswerForm(request.POST if request.method == "POST" else None, survey=round_.survey)
    refusal = None
    if selectors.has_answered(request.user, round_):
        refusal = _("You have already answered this survey. Thank you!")
    elif not round_.is_open(today):
        refusal = _("This survey is closed.")
    status = 200
    if request.method == "POST":
        if refusal is None and form.is_valid():
            try:
                services.response_submit(
                    round_=round_,
                    user=request.user,
                    unit=unit,
                    nps=form.cleaned_data["nps"],
                    answers=form.answers(),
                    today=today,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Thank you! Your answers are saved."))
                return redirect("surveys:unit_surveys", code=unit.code)
        status = 400
    context = {"unit": unit, "round": round_, "form": form, "refusal": refusal}
    return render(request, "surveys/answer_form.html", context, status=status)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


EXPORT_DIMENSIONS = (("round", "Round"), ("region", "Region"), ("manager", "Manager"))


@login_required
def survey_results(request, slug):
    """NPS per round, region and manager with the distribution and comments; CSV/XLSX."""
    scope_kind = selectors.results_scope(request.user)
    if scope_kind is None:
        access.deny(request, target="surveys:results", slug=slug)
    survey = selectors.survey_by_slug(slug)
    today = timezone.localdate()
    scope = R.Scope(
        survey=survey,
        manager_id=None if scope_kind == "network" else request.user.pk,
        today=today,
        rounds=R.visible_rounds(survey, today),
    )
    filters = parse_filters(request.GET)
    data = R.results(scope, filters=filters)
    if (fmt := request.GET.get("format")) in ("csv", "xlsx"):
        return _export(survey, data, fmt)
    form = FilterForm(request.GET or None, labels=data["labels"])
    context = {
        "survey": survey,
        "data": data,
        "form": form,
        "scope": scope_kind,
        "marks": range(11),
        "min_group": survey.min_group,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "surveys/survey_results.html", context)


def _export(survey, data: dict, fmt: str):
    titles = {"round": _("Round"), "region": _("Region"), "manager": _("Manager")}
    columns = [
        _("Breakdown"),
        _("Group"),
        _("Answers"),
        "NPS",
        _("Promoters, %"),
        _("Passives, %"),
        _("Detractors, %"),
        *[str(mark) for mark in range(11)],
    ]
    rows = [
        [_("Total"), "", *_figures(data["total"])],
        *(
            [titles[name], row["label"], *_figures(row)]
            for name, _title in EXPORT_DIMENSIONS
            for row in data["by"][name]
        ),
    ]
    for summary in data["questions"]:
        for text in summary.get("comments", []):
            rows.append([_("Comment"), f"{summary['question'].text}: {text}"])
    return exports.table_response(f"survey-{survey.slug}", columns, rows, fmt)


def _figures(row: dict) -> list:
    return [
        row["n"],
        row["nps"],
        row["promoters"],
        row["passives"],
        row["detractors"],
        *row["dist"],
    ]
