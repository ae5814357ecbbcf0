"""Demo field visits: the two checklists of `demo_data/checklists.yaml` (store standards, food
safety) and a year of visits, about one a month per unit by the unit's account manager, the
two checklists in turn. Each unit has its own standard (some are tidy, some are not), so scores
vary and some visits fail on a critical item; failed items that need a photo get a small
generated PNG, and every failed item becomes a corrective task of the unit.

Scores always come from `visits.scoring` (the code `visit_submit` runs). The latest visit of
the first LIVE units (the ones the demo logins click through) goes through the services
themselves — `visit_plan`, `visit_answers_save`, `visit_submit` — so its tasks, attachments and
notices are exactly what a manager's visit makes. The older months are written in bulk with
the same texts and dated in the past (their tasks mostly done), so a 5,000-unit network takes
seconds. Checklists get both languages of the data file; each visit's summary and tasks are
in its visitor's language. Idempotent: templates are matched by slug, and units that have
visits are skipped.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from franchise.documents.validation import CheckedFile
from franchise.models import Franchisee, TaskAttachment, UnitTask
from portal.demo import DemoContext
from portal.demo_data import load

from . import scoring, services
from .models import ChecklistItem, ChecklistTemplate, Visit, VisitAnswer

MONTHS = 12
LIVE = 40
#: Failed photos per bulk chunk of units are written to storage one by one; units are
#: processed in chunks so memory stays flat at 5,000 units.
CHUNK = 500


def _both(texts: dict, field: str) -> dict:
    """{"<field>_en": ..., "<field>_ru": ...} from the data file's {en: ..., ru: ...}."""
    return {f"{field}_{lang}": texts[lang] for lang in ("en", "ru")}


def _templates() -> list[tuple[ChecklistTemplate, dict]]:
    """(template, its data) for every checklist of the data file, made once (by slug), its
    texts in both languages."""
    out = []
    for spec in load("visits", "checklists"):
        template, created = ChecklistTemplate.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                **_both(spec["name"], "name"),
                **_both(spec["description"], "description"),
                "pass_score": spec["pass_score"],
                "task_days": spec["task_days"],
            },
        )
        if created:
            ChecklistItem.objects.bulk_create(
                [
                    ChecklistItem(
                        template=template,
                        sort_order=order,
                        key=item["key"],
                        **_both(item["section"], "section"),
                        **_both(item["text"], "text"),
                        **_both(item["guidance"], "guidance"),
                        kind=item["kind"],
                        weight=item["weight"],
                        critical=item["critical"],
                        photo_when_failed=item["photo"],
                        pass_min=_dec(item.get("min")),
                        pass_max=_dec(item.get("max")),
                    )
                    for order, item in enumerate(spec["items"])
                ]
            )
        out.append((template, spec))
    return out


def _dec(value):
    return None if value is None else Decimal(str(value))


def _raw(rng, item: dict, spec: dict, care: float) -> str:
    """The answer typed for one item: pass or fail by the item's and the unit's odds."""
    if rng.random() < spec.get("na", 0):
        return scoring.NA
    fails = rng.random() < spec["fail"] * care
    kind = item["kind"]
    if kind == "yes_no":
        return "no" if fails else "yes"
    if kind == "scale":
        return str(rng.randint(0, 3) if fails else rng.choice([4, 4, 5, 5, 5]))
    low, high = _dec(item.get("pass_min")), _dec(item.get("pass_max"))
    if fails:
        value = (high + rng.randint(1, 6)) if high is not None else (low - rng.randint(1, 5))
    else:
        lo = low if low is not None else high - 6
        hi = high if high is not None else low + 6
        value = lo + (hi - lo) * Decimal(rng.randint(0, 10)) / 10
    return str(value)


_PHOTOS: dict[str, bytes] = {}


def photo_png(key: str) -> bytes:
    """A small generated picture of the failed item (made once per item, Pillow only)."""
    if key not in _PHOTOS:
        shade = sum(map(ord, key)) % 120
        image = Image.new("RGB", (96, 72), (180 + shade // 2, 60 + shade, 50))
        draw = ImageDraw.Draw(image)
        draw.rectangle((8, 8, 87, 63), outline=(255, 255, 255), width=3)
        draw.line((8, 8, 87, 63), fill=(255, 255, 255), width=3)
        draw.text((12, 28), key[:12], fill=(255, 255, 255))
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
        _PHOTOS[key] = buffer.getvalue()
    return _PHOTOS[key]


def _checked(key: str) -> CheckedFile:
    data = photo_png(key)
    return CheckedFile(
        name=f"{key}.png", extension="png", content_type="image/png", size=len(data), data=data
    )


def _planned(ctx: DemoContext, unit: Franchisee, age: int):
    """The visit day of the month `age` months ago: a unit-specific day, never in the future."""
    first = ctx.today.replace(day=1)
    for _i in range(age):
        first = (first - timedelta(days=1)).replace(day=1)
    day = first + timedelta(days=(unit.pk * 7) % 25)
    return min(day, ctx.today - timedelta(days=1))


def seed(ctx: DemoContext) -> None:
    templates = _templates()
    versions = [services.checklist_version_current(template=t) for t, _spec in templates]
    units = sorted(
        Franchisee.objects.filter(status=Franchisee.Status.ACTIVE, account_manager__isnull=False)
        .exclude(pk__in=Visit.objects.values("unit_id"))
        .select_related("account_manager"),
        key=lambda u: u.code,
    )
    if not units:
        ctx.log("visits: nothing new")
        return
    rng = ctx.rng_for("visits")
    live_codes = {
        u.code
        for u in sorted(
            Franchisee.objects.filter(status=Franchisee.Status.ACTIVE), key=lambda u: u.code
        )[:LIVE]
    }
    plan = []  # (unit, age, template index, answers {key: raw}) in order
    for unit in units:
        care = rng.choice([0.3, 0.6, 1.0, 1.0, 1.5, 2.5])  # the unit's odds of failing items
        for age in range(MONTHS - 1, -1, -1):
            index = age % len(templates)
            spec_items = {i["key"]: i for i in templates[index][1]["items"]}
            answers = {
                item["key"]: _raw(rng, item, spec_items[item["key"]], care)
                for item in versions[index].items
            }
            plan.append((unit, age, index, answers))
    bulk = [p for p in plan if not (p[0].code in live_codes and p[1] == 0)]
    live = [p for p in plan if p[0].code in live_codes and p[1] == 0]
    made = 0
    for language in sorted({_language(p[0]) for p in bulk}):
        mine = [p for p in bulk if _language(p[0]) == language]
        with translation.override(language):
            for start in range(0, len(mine), CHUNK * MONTHS):
                made += _bulk(ctx, mine[start : start + CHUNK * MONTHS], templates, versions)
    for unit, age, index, answers in live:
        with translation.override(_language(unit)):
            _live(ctx, unit, age, templates[index][0], answers)
    failed = Visit.objects.filter(unit__in=units, passed=False).count()
    ctx.log(f"visits: {made + len(live)} visits of {len(units)} units ({failed} failed)")


def _language(unit) -> str:
    """A visit's summary and tasks are written in its visitor's language, as on his screens."""
    return unit.account_manager.preferred_language or settings.LANGUAGE_CODE


def _live(ctx, unit, age, template, answers) -> Visit:
    """One visit exactly as a manager makes it: plan, fill (photos of failures), submit."""
    by = unit.account_manager
    visit = services.visit_plan(
        unit=unit, template=template, planned_date=_planned(ctx, unit, age), by=by
    )
    items = {i["key"]: i for i in visit.version.items}
    photos = {}
    for key, raw in answers.items():
        passed = scoring.item_passed(items[key], scoring.parse_answer(items[key], raw))
        if passed is False and items[key]["photo_when_failed"]:
            photos[key] = _checked(key)
    services.visit_answers_save(visit=visit, by=by, answers=answers, photos=photos)
    return services.visit_submit(visit=visit, by=by, summary=_summary(visit))


def _summary(visit) -> str:
    return _("Visit of %(date)s.") % {"date": date_format(visit.planned_date)}


def _bulk(ctx, plan, templates, versions) -> int:
    """Past visits in bulk: visits, answers, photos, corrective tasks and their attachments."""
    rng = ctx.rng_for(f"visits-bulk-{plan[0][0].code}")
    tz = timezone.get_current_timezone()
    rows, per_visit = [], []
    for unit, age, index, raw in plan:
        version = versions[index]
        items = {i["key"]: i for i in version.shown_items}
        parsed = {k: scoring.parse_answer(items[k], v) for k, v in raw.items()}
        result = scoring.score(version.items, parsed, version.pass_score)
        day = _planned(ctx, unit, age)
        submitted = datetime.combine(day, time(10 + rng.randint(0, 7), rng.randint(0, 59)), tz)
        rows.append(
            Visit(
                unit=unit,
                template=templates[index][0],
                version=version,
                planned_date=day,
                visitor=unit.account_manager,
                status=Visit.Status.SUBMITTED,
                submitted_at=submitted,
                score=result.score,
                passed=result.passed,
                summary=_("Visit of %(date)s.") % {"date": date_format(day)},
                created_at=submitted - timedelta(days=14),
            )
        )
        per_visit.append((items, parsed, result, templates[index][0]))
    Visit.objects.bulk_create(rows, batch_size=2000)
    answers, tasks, photos = [], [], []
    for visit, (items, parsed, result, template) in zip(rows, per_visit, strict=True):
        failed = set(result.failed)
        due = timezone.localdate(visit.submitted_at) + timedelta(days=visit.version.task_days)
        for key, found in parsed.items():
            answer = VisitAnswer(
                visit=visit,
                item_key=key,
                value=found.value if found else None,
                na=bool(found and found.na),
                passed=scoring.item_passed(items[key], found),
                updated_at=visit.submitted_at,
            )
            answers.append(answer)
            if key not in failed:
                continue
            item = items[key]
            if item["photo_when_failed"]:
                answer.photo.save(f"{key}.png", ContentFile(photo_png(key)), save=False)
                answer.photo_type = "image/png"
            task = UnitTask(
                unit_id=visit.unit_id,
                title=(_("Fix: %(item)s") % {"item": item["text"]})[:200],
                description="\n\n".join(
                    [
                        _("Failed at the visit of %(date)s (%(name)s).")
                        % {"date": date_format(visit.submitted_at), "name": template.name},
                        item["guidance"],
                    ]
                ),
                due_date=due,
                created_by=visit.visitor,
                created_at=visit.submitted_at,
                updated_at=visit.submitted_at,
            )
            # Older tasks are mostly done; some of a sloppy unit's stay open past their date.
            if due < ctx.today and rng.random() < 0.85:
                task.status = UnitTask.Status.DONE
                task.completed_at = visit.submitted_at + timedelta(days=rng.randint(1, 10))
                task.updated_at = task.completed_at
            tasks.append((answer, task))
    UnitTask.objects.bulk_create([t for _a, t in tasks], batch_size=2000)
    for answer, task in tasks:
        answer.task = task
        if answer.photo:
            photos.append((answer, task))
    VisitAnswer.objects.bulk_create(answers, batch_size=2000)
    attachments = []
    for answer, task in photos:
        attachment = TaskAttachment(
            task=task,
            original_name=f"{answer.item_key}.png",
            size=len(photo_png(answer.item_key)),
            content_type="image/png",
            uploaded_by_id=task.created_by_id,
            uploaded_at=task.created_at,
        )
        attachment.file.name = answer.photo.name  # the visit's photo, as the task shows it
        attachments.append(attachment)
    TaskAttachment.objects.bulk_create(attachments, batch_size=2000)
    return len(rows)
