"""Writes of visits: plan, save answers (one or a section), submit.

Every write is atomic; a locked (submitted) visit refuses changes with a message. Corrective
tasks go through the tasks module's own `task_create`, so they notify and list like any task.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from franchise import access, notifications
from franchise.documents.validation import CheckedFile
from franchise.models import Franchisee, Membership, Role
from franchise.tasks_requests.services import task_create

from . import scoring
from .models import ChecklistTemplate, ChecklistVersion, Visit, VisitAnswer


def can_visit(user, unit: Franchisee) -> bool:
    """Plan and fill visits: the unit's reviewers (its account manager)."""
    return access.can(user, "review", unit)


def visit_url(visit: Visit) -> str:
    return reverse("visits:visit_detail", args=[visit.unit.code, visit.pk])


def _unit_people(unit: Franchisee) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            unit=unit, role__in=[Role.OWNER, Role.MEMBER]
        ).select_related("user")
    ]


def _notify_unit(unit: Franchisee, *, title, body: str = "", url: str = "") -> None:
    """Tell the unit's people, each in their own language: `title()` is made once per
    language met (the checklist's name too, as modeltranslation reads it there). A fixed
    number of queries whatever the number of people and languages."""
    groups: dict[str, list] = {}
    for user in _unit_people(unit):
        groups.setdefault(user.preferred_language or settings.LANGUAGE_CODE, []).append(user)
    notices = []
    for language, users in groups.items():
        with translation.override(language):
            notices.append(notifications.Notice(users, str(title()), body, url, unit))
    notifications.notify_many(kind="visit", notices=notices)


@transaction.atomic
def checklist_version_current(*, template: ChecklistTemplate) -> ChecklistVersion:
    """The version matching the template's items now; a new one if they changed."""
    ChecklistTemplate.objects.select_for_update().filter(pk=template.pk).first()
    items = [i.as_definition() for i in template.items.all().order_by("sort_order", "pk")]
    latest = ChecklistVersion.objects.filter(template=template).order_by("-number").first()
    same = (
        latest is not None
        and latest.items == items
        and (latest.pass_score, latest.task_days) == (template.pass_score, template.task_days)
    )
    if same:
        return latest
    return ChecklistVersion.objects.create(
        template=template,
        number=(latest.number + 1) if latest else 1,
        items=items,
        pass_score=template.pass_score,
        task_days=template.task_days,
    )


@transaction.atomic
def visit_plan(*, unit: Franchisee, template: ChecklistTemplate, planned_date: date, by) -> Visit:
    if not can_visit(by, unit):
        raise PermissionDenied
    if not template.is_active:
        raise ValidationError({"template": _("This checklist is no longer in use.")})
    visit = Visit.objects.create(
        unit=unit,
        template=template,
        version=checklist_version_current(template=template),
        planned_date=planned_date,
        visitor=by,
    )
    _notify_unit(
        unit,
        title=lambda: (
            _("Visit planned: %(name)s on %(date)s")
            % {"name": template.name, "date": date_format(planned_date)}
        ),
        url=visit_url(visit),
    )
    return visit


def _locked_visit(visit: Visit, by) -> Visit:
    """The visit's row, locked for this transaction; refuses a submitted one."""
    if not can_visit(by, visit.unit):
        raise PermissionDenied
    row = Visit.objects.select_for_update().get(pk=visit.pk)
    if row.is_locked:
        raise ValidationError(_("This visit is submitted and can no longer be changed."))
    return row


def _items(visit: Visit) -> dict[str, dict]:
    return {item["key"]: item for item in visit.version.items}


@transaction.atomic
def visit_answers_save(
    *,
    visit: Visit,
    by,
    answers: dict[str, str],
    comments: dict[str, str] | None = None,
    photos: dict[str, CheckedFile] | None = None,
) -> list[VisitAnswer]:
    """Save the given items' answers (one for autosave, a section for the plain form).

    Everything is checked first: one bad value saves nothing and raises a ValidationError
    whose dict names the items.
    """
    row = _locked_visit(visit, by)
    items, comments, photos = _items(row), comments or {}, photos or {}
    errors, parsed = {}, {}
    for key, raw in answers.items():
        if key not in items:
            errors[key] = _("This item is not in the checklist.")
            continue
        try:
            parsed[key] = scoring.parse_answer(items[key], raw)
        except ValidationError as error:
            errors[key] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    existing = {a.item_key: a for a in row.answers.filter(item_key__in=list(parsed) + list(photos))}
    saved = []
    for key in set(parsed) | set(photos):
        answer = existing.get(key) or VisitAnswer(visit=row, item_key=key)
        if key in parsed:
            found = parsed[key]
            answer.value = found.value if found else None
            answer.na = bool(found and found.na)
            answer.passed = scoring.item_passed(items[key], found)
        if key in comments:
            answer.comment = comments[key].strip()[:500]
        if key in photos:
            answer.photo.save(photos[key].name, ContentFile(photos[key].data), save=False)
            answer.photo_type = photos[key].content_type
        answer.updated_at = timezone.now()
        answer.save()
        saved.append(answer)
    if row.status == Visit.Status.PLANNED:
        row.status = Visit.Status.DRAFT
        row.save(update_fields=["status"])
    return saved


def _photo_of(answer: VisitAnswer) -> list[CheckedFile]:
    if not answer.photo:
        return []
    with answer.photo.open("rb") as handle:
        data = handle.read()
    ext = answer.photo.name.rsplit(".", 1)[-1]
    return [
        CheckedFile(
            name=f"{answer.item_key}.{ext}",
            extension=ext,
            content_type=answer.photo_type or "image/jpeg",
            size=len(data),
            data=data,
        )
    ]


@transaction.atomic
def visit_submit(*, visit: Visit, by, summary: str = "") -> Visit:
    """Score and lock the visit; every failed item becomes a corrective task of the unit."""
    row = _locked_visit(visit, by)
    items = row.version.items
    answers = {a.item_key: a for a in row.answers.all()}
    errors = {}
    for item in items:
        answer = answers.get(item["key"])
        if answer is None or (answer.value is None and not answer.na):
            errors[item["key"]] = _("Answer this item before submitting.")
        elif answer.passed is False and item["photo_when_failed"] and not answer.photo:
            errors[item["key"]] = _("A failed item here needs a photo.")
    if errors:
        raise ValidationError(errors)
    result = scoring.score(
        items,
        {k: scoring.Answer(value=a.value, na=a.na) for k, a in answers.items()},
        row.version.pass_score,
    )
    now = timezone.now()
    row.status, row.submitted_at = Visit.Status.SUBMITTED, now
    row.score, row.passed, row.summary = result.score, result.passed, summary.strip()[:2000]
    row.save(update_fields=["status", "submitted_at", "score", "passed", "summary"])
    due = timezone.localdate(now) + timedelta(days=row.version.task_days)
    # The tasks are written in the submitter's language, like their "Fix:" title.
    by_key = {item["key"]: item for item in row.version.shown_items}
    for key in result.failed:
        item, answer = by_key[key], answers[key]
        description = "\n\n".join(
            p
            for p in [
                _("Failed at the visit of %(date)s (%(name)s).")
                % {"date": date_format(now), "name": row.template.name},
                answer.comment,
                item["guidance"],
            ]
            if p
        )
        answer.task = task_create(
            unit=row.unit,
            by=by,
            title=(_("Fix: %(item)s") % {"item": item["text"]})[:200],
            description=description,
            due_date=due,
            attachments=_photo_of(answer),
        )
        answer.save(update_fields=["task"])
    _notify_unit(
        row.unit,
        title=lambda: (
            (_("Visit passed: %(score)s%%") if result.passed else _("Visit failed: %(score)s%%"))
            % {"score": number_format(result.score, 1) if result.score is not None else "—"}
        ),
        body=row.summary[:400],
        url=visit_url(row),
    )
    return row
