"""Writes of the reporting app: versions, submissions, review, reminders, export jobs.

Every function is atomic and safe to repeat: a replayed POST, a double click or a second run
of the reminder job changes nothing the first one did not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from franchise.audit import Action, audit_record
from franchise.models import Franchisee, Membership, Role
from portal import versions

from . import periods as P
from .formulas import evaluate_all
from .models import (
    NUMERIC_KINDS,
    ChangeLog,
    ExportJob,
    ReminderLog,
    ReportTemplate,
    Submission,
    TemplateVersion,
    Value,
)
from .signals import submission_approved, submission_reopened

logger = logging.getLogger(__name__)


# Versions -----------------------------------------------------------------------------


def template_definitions(template: ReportTemplate) -> list[dict]:
    return [f.as_definition() for f in template.fields.all().order_by("sort_order", "pk")]


@transaction.atomic
def template_version_current(*, template: ReportTemplate) -> TemplateVersion:
    """The version matching the template's fields now; a new one if the fields changed."""
    ReportTemplate.objects.select_for_update().filter(pk=template.pk).first()
    definitions = template_definitions(template)
    latest = TemplateVersion.objects.filter(template=template).order_by("-number").first()
    if latest is not None and latest.fields == definitions:
        return latest
    return TemplateVersion.objects.create(
        template=template, number=(latest.number + 1) if latest else 1, fields=definitions
    )


# Submissions --------------------------------------------------------------------------


def submission_open(*, unit: Franchisee, template: ReportTemplate, period: P.Period) -> Submission:
    """The unit's report for the period, created as a draft on first use.

    get_or_create under the unique constraint: two tabs opening the form at once end up
    with the same row.
    """
    existing = Submission.objects.filter(
        unit=unit, template=template, period_start=period.start
    ).first()
    if existing is not None:
        return existing
    version = template_version_current(template=template)
    try:
        with transaction.atomic(), versions.units_written([unit.pk]):
            submission, _created = Submission.objects.get_or_create(
                unit=unit,
                template=template,
                period_start=period.start,
                defaults={
                    "version": version,
                    "period_end": period.end,
                    "due_date": period.due_date(template.due_days),
                },
            )
    except IntegrityError:
        submission = Submission.objects.get(unit=unit, template=template, period_start=period.start)
    return submission


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _numeric(kind: str, value) -> Decimal | None:
    if value is None or value == "":
        return None
    if kind == "yesno":
        return Decimal(1) if value in (True, "yes", 1) else Decimal(0)
    return Decimal(value)


@transaction.atomic
def submission_save(
    *, submission: Submission, data: dict, user, submit: bool = False
) -> tuple[Submission, bool]:
    """Store the figures (and submit them if asked). Returns (submission, changed).

    A submitted or approved report is read-only: repeating the same submit is a no-op
    (a replayed POST), anything else is refused. The writes are declared the unit's
    (`versions.units_written`): the network's figures recompute that unit alone.
    """
    with versions.units_written([submission.unit_id]):
        return _submission_save(submission, data, user, submit)


def _submission_save(submission: Submission, data: dict, user, submit: bool):
    submission = (
        Submission.objects.select_for_update().select_related("version").get(pk=submission.pk)
    )
    if not submission.is_editable:
        if submit:
            return submission, False
        raise ValidationError(_("This report has been submitted and can no longer be changed."))

    definitions = submission.version.fields
    existing = {v.field_key: v for v in submission.values.all()}
    numbers = {
        d["key"]: (
            _numeric(d["kind"], data.get(d["key"]))
            if d["key"] in data
            else (existing[d["key"]].number if d["key"] in existing else None)
        )
        for d in definitions
        if d["kind"] in NUMERIC_KINDS
    }
    numbers = evaluate_all(definitions, numbers)
    now = timezone.now()
    changes, to_create, to_update = [], [], []
    for d in definitions:
        key, kind = d["key"], d["kind"]
        value = existing.get(key) or Value(submission=submission, field_key=key)
        old = _as_text(value.number if kind in NUMERIC_KINDS else (value.text or value.file.name))
        if kind in NUMERIC_KINDS:
            value.number = numbers.get(key)
            new = _as_text(value.number)
        elif kind == "file":
            upload = data.get(key)
            if isinstance(upload, UploadedFile):
                value.file.save(upload.name, upload, save=False)
            new = value.file.name or ""
        else:
            if key not in data and value.pk:
                continue
            value.text = data.get(key) or ""
            new = value.text
        if old == new and value.pk:
            continue
        if old != new:
            changes.append(
                ChangeLog(submission=submission, field_key=key, old=old, new=new, user=user, at=now)
            )
        (to_update if value.pk else to_create).append(value)
    Value.objects.bulk_create(to_create)
    if to_update:
        Value.objects.bulk_update(to_update, ["number", "text", "file"])
    if submit:
        changes.append(
            ChangeLog(
                submission=submission,
                field_key="status",
                old=submission.status,
                new=Submission.Status.SUBMITTED,
                user=user,
                at=now,
            )
        )
        submission.status = Submission.Status.SUBMITTED
        submission.submitted_at = now
        submission.submitted_by = user
    ChangeLog.objects.bulk_create(changes)
    submission.updated_at = now
    submission.save()
    return submission, bool(changes)


def _review(submission: Submission, *, user, status: str, comment: str, request=None):
    """Approve or return a submitted report: the status change, its history row, the audit
    entry and the unit's notice. Repeating the same decision changes nothing. The report's
    rows are declared its unit's (`versions.units_written`)."""
    with versions.units_written([submission.unit_id]):
        return _decide(submission, user=user, status=status, comment=comment, request=request)


def _decide(submission: Submission, *, user, status: str, comment: str, request=None):
    submission = (
        Submission.objects.select_for_update()
        .select_related("unit", "template")
        .get(pk=submission.pk)
    )
    if submission.status == status:
        return submission
    if submission.status != Submission.Status.SUBMITTED:
        raise ValidationError(_("Only submitted reports can be reviewed."))
    ChangeLog.objects.create(
        submission=submission, field_key="status", old=submission.status, new=status, user=user
    )
    submission.status = status
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = user
    submission.review_comment = comment
    submission.save()
    audit_record(
        Action.APPROVE if status == Submission.Status.APPROVED else Action.RETURN,
        actor=user,
        unit=submission.unit,
        target=f"report:{submission.pk}",
        request=request,
        **({"comment": comment} if comment else {}),
    )
    _tell_unit(submission, kind=status)
    if status == Submission.Status.APPROVED:
        submission_approved.send(sender=Submission, submission=submission, user=user)
    return submission


@transaction.atomic
def submission_approve(*, submission: Submission, user, request=None) -> Submission:
    return _review(
        submission, user=user, status=Submission.Status.APPROVED, comment="", request=request
    )


@transaction.atomic
def submission_return(*, submission: Submission, user, comment: str, request=None) -> Submission:
    if not comment.strip():
        raise ValidationError(_("Say what needs to be corrected."))
    return _review(
        submission, user=user, status=Submission.Status.RETURNED, comment=comment, request=request
    )


@transaction.atomic
def submission_reopen(*, submission: Submission, user, comment: str, request=None) -> Submission:
    """Send an approved report back to the unit for a correction (status `returned`).

    The fees accrued from it stay until it is approved again: then finance posts a reversal
    and the new accrual for every fee whose figure changed.
    """
    if not comment.strip():
        raise ValidationError(_("Say why the report is reopened."))
    submission = Submission.objects.select_for_update().select_related("unit").get(pk=submission.pk)
    if submission.status != Submission.Status.APPROVED:
        raise ValidationError(_("Only approved reports can be reopened."))
    with versions.units_written([submission.unit_id]):
        ChangeLog.objects.create(
            submission=submission,
            field_key="status",
            old=submission.status,
            new=Submission.Status.RETURNED,
            user=user,
        )
        submission.status = Submission.Status.RETURNED
        submission.review_comment = comment
        submission.reviewed_at = timezone.now()
        submission.reviewed_by = user
        submission.save()
    audit_record(
        Action.RETURN,
        actor=user,
        unit=submission.unit,
        target=f"report:{submission.pk}",
        request=request,
        comment=comment,
        reopened=True,
    )
    submission_reopened.send(sender=Submission, submission=submission, user=user)
    return submission


def _unit_people(unit_ids) -> dict[int, list]:
    people: dict[int, list] = {}
    for m in Membership.objects.filter(
        unit_id__in=unit_ids, role__in=[Role.OWNER, Role.MEMBER], user__is_active=True
    ).select_related("user"):
        people.setdefault(m.unit_id, []).append(m.user)
    return people


def _notify(**kwargs) -> None:
    """In-app notice plus e-mail (as each person prefers) through franchise.notifications."""
    from franchise import notifications

    notifications.notify(**kwargs)


def _tell_unit(submission: Submission, *, kind: str) -> None:
    """Tell the unit's people that a report was returned or approved, each in his language
    (the template's name too)."""
    users = _unit_people([submission.unit_id]).get(submission.unit_id, [])
    period = P.period_containing(submission.template.period_kind, submission.period_start)
    url = reverse(
        "reporting:report_form",
        kwargs={
            "code": submission.unit.code,
            "slug": submission.template.slug,
            "period": period.key,
        },
    )
    for language, group in _by_language(users).items():
        with translation.override(language):
            names = {"name": submission.template.name, "period": period.label}
            if kind == "returned":
                title = _("Report returned: %(name)s, %(period)s") % names
                body = submission.review_comment
            else:
                title = _("Report approved: %(name)s, %(period)s") % names
                body = ""
        _notify(
            recipients=group, kind="report", title=title, body=body, url=url, unit=submission.unit
        )


# Reminders ----------------------------------------------------------------------------

#: Days relative to the due date on which units that have not submitted are reminded.
REMINDER_OFFSETS = {-3: ReminderLog.Stage.BEFORE, 0: ReminderLog.Stage.DUE}
OVERDUE_OFFSETS = (1, 3, 7, 14)


def _stage_for(offset: int) -> str | None:
    if offset in REMINDER_OFFSETS:
        return REMINDER_OFFSETS[offset]
    if offset in OVERDUE_OFFSETS:
        return ReminderLog.Stage.OVERDUE
    return None


def reminders_send(*, today: date | None = None) -> int:
    """Remind units that have not submitted; after the due date, tell the account manager too.

    Returns the number of (unit, report) reminders sent. Idempotent per day: a ReminderLog row
    (unique per unit, template, period, stage and day) is written before anything is sent.
    """
    today = today or timezone.localdate()
    sent = 0
    for template in ReportTemplate.objects.filter(is_active=True).prefetch_related(
        "audience_regions"
    ):
        current = P.period_containing(template.period_kind, today)
        for period in [current.shifted(-i) for i in range(1, 4)]:
            due = period.due_date(template.due_days)
            stage = _stage_for((today - due).days)
            if stage is not None:
                sent += _remind(template, period, due, stage, today)
    return sent


def _period_name(period: P.Period) -> str:
    """ "March 2026" for a month (in the active language), the period's label otherwise."""
    if period.kind == "monthly":
        return date_format(period.start, "YEAR_MONTH_FORMAT")
    return period.label


def _by_language(users) -> dict[str, list]:
    groups: dict[str, list] = {}
    for user in users:
        groups.setdefault(user.preferred_language or settings.LANGUAGE_CODE, []).append(user)
    return groups


def _reminder_text(template, period, due, stage) -> str:
    """The notice's title in the active language."""
    names = {"name": template.name, "period": _period_name(period), "due": date_format(due)}
    if stage == ReminderLog.Stage.OVERDUE:
        return _("Overdue: %(name)s for %(period)s (due %(due)s)") % names
    return _("Reminder: %(name)s for %(period)s is due on %(due)s") % names


@transaction.atomic
def _remind(template, period, due, stage, today) -> int:
    """Remind the units that have not submitted, each person in the portal (the bell) and by
    e-mail as they prefer (franchise.notifications); after the due date, tell each account
    manager once about all their late units.

    The template row is locked first, so two runs at once take turns and the second finds
    the first one's ReminderLog rows: one notice per person per report and day.
    """
    from .selectors import units_in_audience

    ReportTemplate.objects.select_for_update().filter(pk=template.pk).first()
    done = Submission.objects.filter(
        template=template,
        period_start=period.start,
        status__in=[Submission.Status.SUBMITTED, Submission.Status.APPROVED],
    ).values("unit_id")
    already = ReminderLog.objects.filter(
        template=template, period_start=period.start, stage=stage, sent_on=today
    ).values("unit_id")
    units = list(
        units_in_audience(template)
        .filter(status=Franchisee.Status.ACTIVE)
        .exclude(pk__in=done)
        .exclude(pk__in=already)
        .select_related("account_manager")
    )
    if not units:
        return 0
    people = _unit_people([u.pk for u in units])
    escalate = stage == ReminderLog.Stage.OVERDUE
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(
                unit=u,
                template=template,
                period_start=period.start,
                stage=stage,
                sent_on=today,
                recipients=len(people.get(u.pk, [])),
                escalated_to=u.account_manager if escalate else None,
            )
            for u in units
        ],
        ignore_conflicts=True,
    )
    from franchise.notifications import Notice, notify_many

    notices, by_manager = [], {}
    for unit in units:
        url = reverse(
            "reporting:report_form",
            kwargs={"code": unit.code, "slug": template.slug, "period": period.key},
        )
        context = {
            "unit": unit,
            "template": template,
            "due": due,
            "stage": stage,
            "days_late": (today - due).days,
        }
        for language, users in _by_language(people.get(unit.pk, [])).items():
            with translation.override(language):
                notice = Notice(
                    recipients=users,
                    title=_reminder_text(template, period, due, stage),
                    body=render_to_string(
                        "email/reporting_reminder.txt",
                        {**context, "period_name": _period_name(period)},
                    ).strip(),
                    url=url,
                    unit=unit,
                )
            notices.append(notice)
        if escalate and unit.account_manager_id:
            by_manager.setdefault(unit.account_manager, []).append(unit)
    late_url = (
        reverse("reporting:late")
        + "?"
        + urlencode({"template": template.slug, "period": period.key})
    )
    for manager, late_units in by_manager.items():
        with translation.override(manager.preferred_language or settings.LANGUAGE_CODE):
            notice = Notice(
                recipients=[manager],
                title=_("%(count)s units have not submitted %(name)s for %(period)s")
                % {
                    "count": len(late_units),
                    "name": template.name,
                    "period": _period_name(period),
                },
                body=render_to_string(
                    "email/reporting_escalation.txt",
                    {
                        "units": late_units,
                        "template": template,
                        "period_name": _period_name(period),
                        "due": due,
                    },
                ).strip(),
                url=late_url,
            )
        notices.append(notice)
    notify_many(kind="report", notices=notices)
    return len(units)


# Export jobs --------------------------------------------------------------------------


def export_job_create(*, user, kind: str, params: dict) -> ExportJob:
    from .tasks import export_job_run_task

    job = ExportJob.objects.create(user=user, kind=kind, params=params)
    export_job_run_task.delay_on_commit(job.pk)
    return job


def export_job_progress(*, job: ExportJob, progress: int) -> None:
    ExportJob.objects.filter(pk=job.pk).update(progress=max(0, min(100, progress)))


def export_job_execute(
    *,
    job_id: int,
    build: Callable[[ExportJob, Callable[[int], None]], tuple[bytes, str]],
    kind: str | None = None,
) -> ExportJob:
    """Run a background export: `build(job, progress)` returns the file's bytes and name (and
    may report progress 0-100); the file is kept under PRIVATE_MEDIA_ROOT and the job marked
    done, or failed with the error (re-raised). A finished job is left alone, so a repeated
    task changes nothing. `kind`, if given, must match the job's kind."""
    jobs = ExportJob.objects.select_related("user")
    job = jobs.get(pk=job_id, kind=kind) if kind else jobs.get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=1)
    try:
        data, filename = build(job, lambda p: export_job_progress(job=job, progress=p))
        folder = Path(settings.PRIVATE_MEDIA_ROOT) / "reporting" / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"job-{job.pk}-{Path(filename).name}"
        path.write_bytes(data)
    except Exception as error:
        logger.exception("export job %s (%s) failed", job.pk, job.kind)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        progress=100,
        file_path=str(path.relative_to(Path(settings.PRIVATE_MEDIA_ROOT))),
        filename=filename,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Build a table or summary export's file (reporting.exports)."""
    from .exports import build_job_file

    return export_job_execute(job_id=job_id, build=build_job_file)


def old_jobs_delete(*, older_than_days: int = 7) -> int:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    count = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff):
        if job.file_path:
            (Path(settings.PRIVATE_MEDIA_ROOT) / job.file_path).unlink(missing_ok=True)
        job.delete()
        count += 1
    return count
