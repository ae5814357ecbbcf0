"""Reporting pages: the unit's reports, the form and upload, review, analytics, exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from franchise import access
from franchise.audit import Action, audit_record
from portal import versions
from portal.security import upload_rate_limit

from . import blocks, exports, selectors, services, summaries
from . import periods as P
from .analytics import frames, stats
from .forms import ReportForm, ReviewForm, UploadForm, initial_from_values
from .imports import ImportError_, parse_upload, template_rows
from .models import ExportJob, ReportTemplate, Submission, Value, localise_definitions, shown_choice

REVIEW_PER_PAGE = 50
#: The query-string parameters the review queue reads.
PAGE_PARAMS = ("template", "page")
#: What the review queue shows: reports, templates and their audiences, units, regions, senders
#: (not every reporting write: export jobs and change logs leave it alone).
REVIEW_LABELS = (
    "reporting.Submission",
    "reporting.ReportTemplate",
    "reporting.ReportTemplate_audience_regions",
    "franchise.Franchisee",
    "franchise.Region",
    "portal.User",
)


def _today():
    return timezone.localdate()


def _fmt(request) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in ("csv", "xlsx") else None


@login_required
def reports_home(request):
    """Where "Reports" in the navigation leads (blocks.home_target)."""
    target = blocks.home_target(request)
    if target is None:
        raise Http404
    return redirect(target)


# The unit's side --------------------------------------------------------------------


@login_required
def unit_reports(request, code):
    unit = access.get_unit_or_404(request, code)
    rows = selectors.unit_report_rows(unit, today=_today())
    if fmt := _fmt(request):
        return exports.table_response(
            f"reports-{unit.code}",
            [_("Report"), _("Period"), _("Due"), _("Status")],
            [(r.template.name, r.period.label, r.due_date, r.state) for r in rows],
            fmt,
        )
    return render(
        request,
        "reporting/unit_reports.html",
        {"unit": unit, "rows": rows, "can_work": access.can(request.user, "work", unit)},
    )


def _period_or_404(template: ReportTemplate, key: str) -> P.Period:
    period = P.period_from_key(template.period_kind, key)
    if period is None or period.end >= _today():
        raise Http404
    return period


def _report_or_404(request, code: str, slug: str, period_key: str):
    """(unit, template, period, report or None) named by a report URL: the unit as the person
    may see it, a template the unit reports on and a closed period, else 404."""
    unit = access.get_unit_or_404(request, code)
    template = selectors.template_for_unit_or_404(unit, slug)
    period = _period_or_404(template, period_key)
    submission = (
        Submission.objects.filter(unit=unit, template=template, period_start=period.start)
        .select_related("version", "submitted_by", "reviewed_by")
        .first()
    )
    return unit, template, period, submission


def _definitions(template: ReportTemplate, submission: Submission | None) -> list[dict]:
    """The fields a report was made with, or the template's current ones for a new report,
    with their texts in the active language."""
    return localise_definitions(
        submission.version.fields if submission else services.template_definitions(template)
    )


def _history(changes, definitions: list[dict]) -> list:
    """The change log as the page shows it: each field by its (localised) label, choices by
    their labels and statuses by their names; the log itself keeps keys and stored values."""
    by_key = {d["key"]: d for d in definitions}
    statuses = dict(Submission.Status.choices)
    changes = list(changes)
    for c in changes:
        d = by_key.get(c.field_key)
        if d is not None:
            c.shown_field, c.shown_old, c.shown_new = (
                d["label"],
                shown_choice(d, c.old),
                shown_choice(d, c.new),
            )
        elif c.field_key == "status":
            c.shown_field = _("Status")
            c.shown_old, c.shown_new = statuses.get(c.old, c.old), statuses.get(c.new, c.new)
        else:
            c.shown_field, c.shown_old, c.shown_new = c.field_key, c.old, c.new
    return changes


def _deny_work(request, unit, template, period) -> None:
    access.deny(request, target=f"report:{unit.code}:{template.slug}:{period.key}", action="work")


def _form_context(unit, template, period, submission, definitions):
    """Last period's values, the network median and the unit's history beside each field.

    Three queries: the unit's history of this template, the network's values of the last
    period, the submission's values.
    """
    numeric = {d["key"] for d in summaries.numeric_definitions(template, definitions)}
    history_since = period.shifted(-13).start
    mine = frames.values_frame(
        frames.counted_values(template, units=[unit.pk], fields=numeric).filter(
            submission__period_start__gte=history_since,
            submission__period_start__lt=period.start,
        )
    )
    previous = period.previous()
    network = frames.values_frame(
        frames.counted_values(template, fields=numeric).filter(
            submission__period_start=previous.start
        )
    )
    medians = network.groupby("field")["value"].median().to_dict()
    last = mine[mine["period_start"] == pd.Timestamp(previous.start)]
    last = last.set_index("field")["value"].to_dict()
    values = (
        {v.field_key: v for v in Value.objects.filter(submission=submission)} if submission else {}
    )
    return mine, medians, last, values


@login_required
@upload_rate_limit
def report_form(request, code, slug, period):
    unit, template, period, submission = _report_or_404(request, code, slug, period)
    can_work = access.can(request.user, "work", unit)
    definitions = _definitions(template, submission)
    editable = can_work and (submission is None or submission.is_editable)
    form = None
    if request.method == "POST":
        if not can_work:
            _deny_work(request, unit, template, period)
        action = request.POST.get("action", "save")
        if submission is not None and not submission.is_editable:
            if action == "submit":
                messages.info(request, _("This report has already been submitted."))
            else:
                messages.error(
                    request, _("This report has been submitted and can no longer be changed.")
                )
            return redirect(request.path)
        stored = (
            {v.field_key: v for v in Value.objects.filter(submission=submission)}
            if submission
            else {}
        )
        form = ReportForm(
            request.POST,
            request.FILES,
            initial=initial_from_values(definitions, stored),
            definitions=definitions,
            require=action == "submit",
        )
        if form.is_valid():
            submission = submission or services.submission_open(
                unit=unit, template=template, period=period
            )
            try:
                submission, _changed = services.submission_save(
                    submission=submission,
                    data=form.cleaned_data,
                    user=request.user,
                    submit=action == "submit",
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if action == "submit":
                    messages.success(request, _("Report submitted. Thank you!"))
                else:
                    messages.success(request, _("Draft saved."))
            return redirect(request.path)
        messages.error(request, _("Please correct the fields marked below."))
    mine, medians, last, values = _form_context(unit, template, period, submission, definitions)
    if form is None:
        form = ReportForm(initial=initial_from_values(definitions, values), definitions=definitions)
    fields = []
    for d in definitions:
        bound = form[d["key"]] if d["key"] in form.fields else None
        stored = values.get(d["key"])
        current = None
        if bound is not None and d["kind"] in ("integer", "decimal", "money", "percent"):
            raw = bound.value()
            try:
                current = float(str(raw).replace(",", ".")) if raw not in (None, "") else None
            except ValueError:
                current = None
        elif stored is not None and stored.number is not None:
            current = float(stored.number)
        history = mine[mine["field"] == d["key"]]["value"]
        fields.append(
            {
                "d": d,
                "bound": bound,
                "stored": stored,
                "last": last.get(d["key"]),
                "median": medians.get(d["key"]),
                "warn": current is not None and stats.history_warning(history, current),
            }
        )
    return render(
        request,
        "reporting/report_form.html",
        {
            "unit": unit,
            "template": template,
            "period": period,
            "due": submission.due_date if submission else period.due_date(template.due_days),
            "submission": submission,
            "form": form,
            "fields": fields,
            "editable": editable,
            "upload_form": UploadForm(),
            "changes": _history(submission.changes.select_related("user")[:50], definitions)
            if submission
            else [],
        },
    )


@login_required
@require_POST
@upload_rate_limit
def report_upload(request, code, slug, period):
    unit, template, period, submission = _report_or_404(request, code, slug, period)
    if not access.can(request.user, "work", unit):
        _deny_work(request, unit, template, period)
    back = reverse(
        "reporting:report_form", kwargs={"code": code, "slug": slug, "period": period.key}
    )
    if submission is not None and not submission.is_editable:
        messages.error(request, _("This report has been submitted and can no longer be changed."))
        return redirect(back)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect(back)
    definitions = _definitions(template, submission)
    try:
        data = parse_upload(form.cleaned_data["file"], definitions)
    except ImportError_ as error:
        for message in error.errors[:50]:
            messages.error(request, message)
        messages.error(request, _("Nothing was saved: correct the file and upload it again."))
        return redirect(back)
    submission = submission or services.submission_open(unit=unit, template=template, period=period)
    services.submission_save(submission=submission, data=data, user=request.user)
    messages.success(
        request,
        _("%(count)s figures loaded from the file. Check them and submit.") % {"count": len(data)},
    )
    return redirect(back)


@login_required
def upload_template(request, code, slug, period, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    unit, template, period, submission = _report_or_404(request, code, slug, period)
    rows = template_rows(_definitions(template, submission))
    return exports.table_response(
        f"{template.slug}-{period.key}-{unit.code}", rows[0], rows[1:], fmt
    )


@login_required
def report_pdf(request, code, slug, period):
    from portal.pdf import render_pdf

    unit, template, period, submission = _report_or_404(request, code, slug, period)
    if submission is None:
        raise Http404
    definitions = submission.version.shown_fields
    _mine, medians, last, values = _form_context(unit, template, period, submission, definitions)
    rows = []
    for d in definitions:
        v = values.get(d["key"])
        shown = ""
        if v is not None:
            if d["kind"] == "yesno" and v.number is not None:
                shown = _("Yes") if v.number else _("No")
            elif v.number is not None:
                shown = f"{v.number.normalize():,f}".replace(",", " ")
            else:
                shown = shown_choice(d, v.text) or (Path(v.file.name).name if v.file else "")
        rows.append(
            {"d": d, "value": shown, "last": last.get(d["key"]), "median": medians.get(d["key"])}
        )
    overview = summaries.unit_overview(unit, template, today=_today())
    data = render_pdf(
        "pdf/report_unit.html",
        {
            "unit": unit,
            "template": template,
            "period": period,
            "submission": submission,
            "rows": rows,
            "trends": overview["fields"],
        },
    )
    audit_record(
        Action.DOWNLOAD,
        actor=request.user,
        unit=unit,
        target=f"report-pdf:{submission.pk}",
        request=request,
    )
    return exports.pdf_response(data, f"{template.slug}-{period.key}-{unit.code}.pdf")


@login_required
def unit_analytics(request, code):
    unit = access.get_unit_or_404(request, code)
    templates = selectors.templates_for_unit(unit)
    if not templates:
        raise Http404
    template = next(
        (t for t in templates if t.slug == request.GET.get("template")),
        selectors.default_template(templates),
    )
    overview = summaries.unit_overview(unit, template, today=_today())
    if fmt := _fmt(request):
        return exports.table_response(
            f"{template.slug}-{unit.code}-trend",
            [
                _("Field"),
                _("Period"),
                _("Value"),
                _("Change"),
                _("Year on year"),
                _("Network median"),
                _("Rank"),
                _("Of"),
                _("Quartile"),
            ],
            [
                (
                    f["definition"]["label"],
                    r["period"],
                    r["value"],
                    r["change"],
                    r["yoy"],
                    r["median"],
                    r["rank"],
                    r["of"],
                    r["band"],
                )
                for f in overview["fields"]
                for r in f["rows"]
            ],
            fmt,
        )
    return render(
        request,
        "reporting/unit_analytics.html",
        {"unit": unit, "templates": templates, "template": template, **overview},
    )


# Review -------------------------------------------------------------------------------


def _portfolio_templates(request, *, target: str, params) -> tuple[list, ReportTemplate]:
    """For the pages over many units: anyone who neither reviews a unit nor holds the network
    right is refused (and audited). Returns the templates the person may see and the one
    `params` asks for (`selectors.default_template` by default); 404 when there are none."""
    if not (
        access.units_visible_to(request.user, "review").exists()
        or access.has_network_right(request.user)
    ):
        access.deny(request, target=target, action="review")
    templates = list(selectors.templates_visible(request.user))
    if not templates:
        raise Http404
    chosen = next(
        (t for t in templates if t.slug == params.get("template")),
        selectors.default_template(templates),
    )
    return templates, chosen


@login_required
def review_queue(request):
    if not access.units_visible_to(request.user, "review").exists():
        access.deny(request, target="review-queue", action="review")
    templates = list(selectors.templates_visible(request.user))
    template = next((t for t in templates if t.slug == request.GET.get("template")), None)
    queue = selectors.review_queue(request.user, template=template)
    if fmt := _fmt(request):
        return exports.table_response(
            "review-queue",
            [_("Unit"), _("Region"), _("Report"), _("Period"), _("Due"), _("Submitted")],
            [
                (
                    f"{s.unit.code} {s.unit.trading_name}",
                    s.unit.region.name,
                    s.template.name,
                    s.period_start,
                    s.due_date,
                    timezone.localtime(s.submitted_at).replace(tzinfo=None)
                    if s.submitted_at
                    else None,
                )
                for s in queue
            ],
            fmt,
        )

    def render_body():
        context = {
            "page": Paginator(queue, REVIEW_PER_PAGE).get_page(request.GET.get("page")),
            "templates": templates,
            "template": template,
            "glance": _late_glance(request.user, templates),
        }
        return render_to_string("reporting/review_queue_body.html", context, request)

    # The queue follows the reviewer's own rights, the late counts their portfolio.
    user = request.user
    scope = f"{access.scope_key(user, 'review')}/{access.portfolio_scope_key(user)}"
    body = versions.cached_page(
        request, "review-queue", scope, PAGE_PARAMS, REVIEW_LABELS, render_body
    )
    return render(request, "reporting/review_queue.html", {"body": body})


def _late_glance(user, templates) -> list[dict]:
    """Per template, how many of the portfolio's units have not sent the last closed period's
    report."""
    glance = []
    for t in templates:
        period = P.last_closed(t.period_kind, _today())
        late = selectors.late_and_missing(user, template=t, period=period, today=_today())
        glance.append(
            {
                "template": t,
                "period": period,
                "due": late["due"],
                "is_late": late["is_late"],
                "missing": late["units"].count(),
            }
        )
    return glance


@login_required
def late_reports(request):
    templates, template = _portfolio_templates(request, target="late-reports", params=request.GET)
    period = P.period_from_key(template.period_kind, request.GET.get("period", "")) or (
        P.last_closed(template.period_kind, _today())
    )
    late = selectors.late_and_missing(
        request.user, template=template, period=period, today=_today()
    )
    if fmt := _fmt(request):
        return exports.table_response(
            f"missing-{template.slug}-{period.key}",
            [_("Unit"), _("Name"), _("Region"), _("Account manager"), _("Due")],
            [
                (
                    u.code,
                    u.trading_name,
                    u.region.name,
                    u.account_manager.get_full_name() if u.account_manager else "",
                    late["due"],
                )
                for u in late["units"]
            ],
            fmt,
        )
    page = Paginator(late["units"], 100).get_page(request.GET.get("page"))
    periods = P.recent_periods(template.period_kind, _today(), 6)
    return render(
        request,
        "reporting/late_reports.html",
        {
            "templates": templates,
            "template": template,
            "period": period,
            "periods": periods,
            "page": page,
            "due": late["due"],
            "is_late": late["is_late"],
        },
    )


@login_required
def review_detail(request, pk):
    submission = selectors.submission_for_review_or_404(request, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    services.submission_approve(
                        submission=submission, user=request.user, request=request
                    )
                    messages.success(request, _("Report approved."))
                else:
                    services.submission_return(
                        submission=submission,
                        user=request.user,
                        comment=form.cleaned_data["comment"],
                        request=request,
                    )
                    messages.success(request, _("Report returned to the unit."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("reporting:review_detail", pk=submission.pk)
    definitions = submission.version.shown_fields
    period = P.period_containing(submission.template.period_kind, submission.period_start)
    _mine, medians, last, values = _form_context(
        submission.unit, submission.template, period, submission, definitions
    )
    rows = [
        {
            "d": d,
            "v": values.get(d["key"]),
            "last": last.get(d["key"]),
            "median": medians.get(d["key"]),
        }
        for d in definitions
    ]
    return render(
        request,
        "reporting/review_detail.html",
        {
            "submission": submission,
            "unit": submission.unit,
            "period": period,
            "rows": rows,
            "form": form,
            "changes": _history(submission.changes.select_related("user")[:200], definitions),
        },
    )


# Network / portfolio analytics ---------------------------------------------------------


@login_required
def network(request):
    templates, template = _portfolio_templates(
        request, target="network-analytics", params=request.GET
    )
    overview = summaries.network_overview(
        request.user,
        template,
        field=request.GET.get("field"),
        period_key=request.GET.get("period"),
        today=_today(),
    )
    table = request.GET.get("table", "ranking")
    if fmt := _fmt(request):
        tables = {
            "ranking": (
                [_("Unit"), _("Region"), _("Value"), _("Rank"), _("Rank in region"), _("Quartile")],
                [
                    (r["unit"], r["region"], r["value"], r["rank"], r["region_rank"], r["band"])
                    for r in overview["ranking_rows"]
                ],
            ),
            "trend": (
                [_("Period"), _("Units"), _("Lower quartile"), _("Median"), _("Upper quartile")],
                [
                    (r["period"], r["count"], r["q1"], r["median"], r["q3"])
                    for r in overview["trend_rows"]
                ],
            ),
            "outliers": (
                [_("Unit"), _("Region"), _("Value"), _("Region median"), _("Reason"), _("Score")],
                [
                    (
                        r["unit"],
                        r["region"],
                        r["value"],
                        r["region_median"],
                        r["reason"],
                        r["score"],
                    )
                    for r in overview["outlier_rows"]
                ],
            ),
            "ontime": (
                [_("Region"), _("Expected"), _("On time"), _("Rate")],
                [
                    (r["region"], r["expected"], r["on_time"], r["rate"])
                    for r in overview["on_time_regions"]
                ],
            ),
        }
        columns, rows = tables.get(table, tables["ranking"])
        return exports.table_response(
            f"{template.slug}-{overview['field']}-{overview['period'].key}-{table}",
            columns,
            rows,
            fmt,
        )
    return render(
        request,
        "reporting/network.html",
        {
            "templates": templates,
            "template": template,
            "periods": P.recent_periods(template.period_kind, _today(), 12),
            **overview,
            "sections": summaries.network_sections(overview),
        },
    )


@login_required
@require_POST
def summary_pdf(request):
    _templates, template = _portfolio_templates(request, target="summary-pdf", params=request.POST)
    period = P.period_from_key(template.period_kind, request.POST.get("period", ""))
    job = services.export_job_create(
        user=request.user,
        kind="summary_pdf",
        params={"template": template.pk, "period": period.key if period else None},
    )
    return redirect("reporting:job_status", pk=job.pk)


def _job_or_404(request, pk) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, user=request.user).first()
    if job is None:
        access.deny(request, target=f"export-job:{pk}")
    return job


@login_required
def report_file(request, pk):
    """A file attached to a report, for whoever may see the unit (private, audited)."""
    value = (
        access.visible_to(request.user, Value.objects.all(), unit_field="submission__unit")
        .select_related("submission__unit")
        .filter(pk=pk)
        .exclude(file="")
        .first()
    )
    if value is None:
        access.deny(request, target=f"report-file:{pk}")
    audit_record(
        Action.DOWNLOAD,
        actor=request.user,
        unit=value.submission.unit,
        target=f"report-file:{pk}",
        request=request,
    )
    response = FileResponse(
        value.file.open("rb"), as_attachment=True, filename=Path(value.file.name).name
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def job_status(request, pk):
    job = _job_or_404(request, pk)
    return render(request, "reporting/job_status.html", {"job": job})


@login_required
def job_download(request, pk):
    job = _job_or_404(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file_path:
        raise Http404
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / job.file_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404
    audit_record(
        Action.DOWNLOAD, actor=request.user, target=f"export-job:{job.pk}", request=request
    )
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.filename)
    response["Cache-Control"] = "private, no-store"
    return response
