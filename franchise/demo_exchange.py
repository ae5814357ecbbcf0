"""Demo documents, acknowledgements, tasks, requests and notifications.

A handful of real files (PDFs from `portal.pdf.render_pdf`, spreadsheets from openpyxl, a Word
file) are written once and shared by the versions that show them, so 5,000 units stay fast:
everything else is bulk_create. Units that already have their demo documents are skipped, so
a second run changes nothing.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from portal.demo import DemoContext
from portal.demo_data import load

from .documents.storage import private_storage
from .models import (
    Document,
    DocumentAcknowledgement,
    DocumentCategory,
    DocumentComment,
    DocumentFolder,
    DocumentTag,
    DocumentVersion,
    Membership,
    Notification,
    NotificationMode,
    Role,
    TaskChecklistItem,
    UnitRequest,
    UnitTask,
    WorkComment,
)

# Files ---------------------------------------------------------------------------------


def _pdf(title: str, subtitle: str, paragraphs: list[str], header=(), rows=()) -> bytes:
    from portal.pdf import render_pdf

    return render_pdf(
        "franchise/documents/pdf_demo.html",
        {
            "title": title,
            "subtitle": subtitle,
            "paragraphs": paragraphs,
            "header": header,
            "rows": rows,
        },
    )


def _xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:30]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _docx(title: str, paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


#: The network library's price list: how a second seeding knows the library is there.
PRICE_LIST = "Прайс-лист"

_MAKERS = {"pdf": _pdf, "xlsx": _xlsx, "docx": _docx}
_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _stored_files(specs: dict[str, dict]) -> dict[str, dict]:
    """Write each demo file once (a fixed name), and know its text for search."""
    from .documents.extraction import extract_text

    stored = {}
    for key, spec in specs.items():
        name = spec["name"]
        path = f"documents/demo/{name}"
        extension = name.rsplit(".", 1)[1]
        if private_storage.exists(path):
            with private_storage.open(path, "rb") as handle:
                data = handle.read()
        else:
            data = _MAKERS[extension](**{k: v for k, v in spec.items() if k != "name"})
            private_storage.save(path, ContentFile(data))
        stored[key] = {
            "path": path,
            "name": name,
            "content_type": _CONTENT_TYPES[extension],
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "text": extract_text(data, name.rsplit(".", 1)[1]),
        }
    return stored


# Seeding -------------------------------------------------------------------------------


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _latest_file(spec, files):
    return files[spec["files"][-1]]


def _document_rows(specs, files, categories):
    """Bulk-create documents with their versions; specs carry the version file keys.

    Everything derived from the latest version is computed up front, so the only write after
    the versions exist is one UPDATE pointing each document at its latest version.
    """
    documents = Document.objects.bulk_create(
        [
            Document(
                unit=s["unit"],
                folder=s["folder"],
                title=s["title"],
                description=s.get("description", ""),
                category=categories.get(s.get("category")),
                must_read=s.get("must_read", False),
                audience=s.get("audience", "all"),
                created_by=s["by"],
                created_at=s["when"],
                updated_at=s["when"] + timedelta(days=len(s["files"]) - 1),
                search_text=" ".join(
                    [
                        s["title"],
                        s.get("description", ""),
                        " ".join(s.get("tags", ())),
                        _latest_file(s, files)["name"],
                        _latest_file(s, files)["text"],
                    ]
                ).lower(),
            )
            for s in specs
        ],
        batch_size=2000,
    )
    versions = DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=document,
                number=number,
                file=files[key]["path"],
                original_name=files[key]["name"],
                size=files[key]["size"],
                content_type=files[key]["content_type"],
                sha256=files[key]["sha256"],
                uploaded_by=spec["by"],
                uploaded_at=spec["when"] + timedelta(days=number - 1),
                text=files[key]["text"],
                text_status=DocumentVersion.TextStatus.DONE,
                note="Prices of December" if number > 1 else "",
            )
            for document, spec in zip(documents, specs, strict=True)
            for number, key in enumerate(spec["files"], start=1)
        ],
        batch_size=2000,
    )
    latest = {}
    for version in versions:
        latest[version.document_id] = version
    newest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    ids = [d.pk for d in documents]
    for start in range(0, len(ids), 5000):
        Document.objects.filter(pk__in=ids[start : start + 5000]).update(
            current_version=Subquery(newest.values("pk")[:1])
        )
    for document in documents:
        document.current_version = latest[document.pk]
    get_search_backend().add_bulk(Document, documents)  # bulk_create sends no save signals
    return documents, latest


def _tags(documents, specs):
    from taggit.models import Tag

    names = sorted({t for s in specs for t in s.get("tags", ())})
    for name in names:
        Tag.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})
    tags = {t.name: t for t in Tag.objects.filter(name__in=names)}
    DocumentTag.objects.bulk_create(
        [
            DocumentTag(content_object=document, tag=tags[name])
            for document, spec in zip(documents, specs, strict=True)
            for name in spec.get("tags", ())
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


def seed_exchange(ctx: DemoContext) -> None:
    if not ctx.unit_objects:
        return
    rng = ctx.rng_for("exchange")
    today = ctx.today
    managers = ctx.people["managers"]
    editor = ctx.people["editor"]
    units = sorted(ctx.unit_objects, key=lambda u: u.code)
    by_id = {m.pk: m for m in managers}
    data = load("franchise", "exchange")
    categories = {}
    for names in data["categories"]:
        category, _ = DocumentCategory.objects.get_or_create(
            name_en=names["en"], defaults={"name": names["en"], "name_ru": names["ru"]}
        )
        if not category.name_ru:  # seeded before the categories had Russian names
            category.name_ru = names["ru"]
            category.save(update_fields=["name_ru"])
        categories[names["en"]] = category

    seeded = set(
        Document.objects.filter(unit__in=units, folder=DocumentFolder.CONTRACTS).values_list(
            "unit_id", flat=True
        )
    )
    fresh = [u for u in units if u.pk not in seeded]
    library_done = Document.objects.filter(unit__isnull=True, title__startswith=PRICE_LIST).exists()
    if not fresh and library_done:
        ctx.log("franchise: documents, tasks and requests already seeded")
        return
    files = _stored_files(data["files"])

    owners = {}
    staff = {}
    for m in (
        Membership.objects.filter(unit__in=units, role__in=[Role.OWNER, Role.MEMBER])
        .select_related("user")
        .order_by("unit_id", "pk")
    ):
        (owners if m.role == Role.OWNER else staff).setdefault(m.unit_id, []).append(m.user)

    # Network library -------------------------------------------------------------------
    if not library_done:
        people = {"manager": managers[0], "manager2": managers[1], "editor": editor}
        specs = [
            {
                **spec,
                "unit": None,
                "folder": "library",
                "by": people[spec["by"]],
                "when": _aware(today - timedelta(days=spec["days_ago"])),
            }
            for spec in data["library"]
        ]
        library, latest = _document_rows(specs, files, categories)
        _tags(library, specs)
        _library_audiences(library, specs, units, owners, staff, people, today, rng)

    # Unit folders, tasks and requests ----------------------------------------------------
    specs = []
    for unit in fresh:
        owner = (owners.get(unit.pk) or [None])[0]
        manager = by_id.get(unit.account_manager_id, managers[0])
        opened = today - timedelta(days=rng.randint(200, 900))
        specs += [
            _unit_document(spec, unit, owner or manager, manager, opened, today, rng)
            for spec in data["unit_documents"]
        ]
    if specs:
        documents, _ = _document_rows(specs, files, categories)
        _tags(documents, specs)

    _seed_tasks(data, fresh, owners, staff, by_id, managers, today, rng)
    _seed_notifications(ctx, units, today)
    ctx.log(
        f"franchise: {Document.objects.count()} documents, {UnitTask.objects.count()} tasks, "
        f"{UnitRequest.objects.count()} requests"
    )


def _library_audiences(library, specs, units, owners, staff, people, today, rng) -> None:
    """Audiences, acknowledgements by most of the units' people, and the comments."""
    from .models import Region

    volga = [u for u in units if u.region.code == "volga"]
    acks = []
    for document, spec in zip(library, specs, strict=True):
        if spec.get("audience") == "regions":
            document.audience_regions.set(Region.objects.filter(code__in=spec["regions"]))
        if spec.get("audience") == "units":
            document.audience_units.set(units[:3])
        if "acknowledged_share" in spec:
            acks += _acknowledgements(
                latest_version=document.current_version,
                share=spec["acknowledged_share"],
                readers=[
                    u
                    for unit in units
                    for u in owners.get(unit.pk, []) + staff.get(unit.pk, [])[:1]
                ],
                rng=rng,
            )
        for comment in spec.get("comments", []) if volga else []:
            by_unit = comment["by"] == "unit owner"
            DocumentComment.objects.create(
                document=document,
                unit=volga[0] if by_unit else None,
                author=owners.get(volga[0].pk, [None])[0] if by_unit else people[comment["by"]],
                text=comment["text"],
                created_at=_aware(today - timedelta(days=comment["days_ago"])),
            )
    DocumentAcknowledgement.objects.bulk_create(acks, batch_size=2000, ignore_conflicts=True)


def _acknowledgements(*, latest_version, share, readers, rng) -> list:
    """Most readers acknowledged; the demo logins still have something to acknowledge."""
    people = {u.pk: u for u in readers}
    return [
        DocumentAcknowledgement(
            version=latest_version,
            user=user,
            acknowledged_at=latest_version.uploaded_at + timedelta(hours=rng.randint(1, 90)),
        )
        for user in people.values()
        if user.username not in {"owner", "staff"} and rng.random() < share
    ]


def _unit_document(spec, unit, owner, manager, opened, today, rng) -> dict:
    """One unit's document spec from the data file (random draws in the file's order)."""
    document = {k: v for k, v in spec.items() if k not in _UNIT_SPEC_ONLY}
    if "must_read_chance" in spec:
        document["must_read"] = rng.random() < spec["must_read_chance"]
    if "days_ago" in spec:
        day = today - timedelta(days=rng.randint(*spec["days_ago"]))
    else:
        day = opened + timedelta(days=spec["days_after_opening"])
    by = owner if spec["by"] == "owner" else manager
    return {**document, "unit": unit, "by": by, "when": _aware(day)}


_UNIT_SPEC_ONLY = {"must_read_chance", "days_ago", "days_after_opening", "by"}


def _seed_tasks(data, units, owners, staff, by_id, managers, today, rng) -> None:
    statuses = [
        UnitTask.Status.OPEN,
        UnitTask.Status.IN_PROGRESS,
        UnitTask.Status.DONE,
        UnitTask.Status.CANCELLED,
        UnitTask.Status.OPEN,
    ]
    tasks, plans = [], []
    for unit in units:
        manager = by_id.get(unit.account_manager_id, managers[0])
        people = owners.get(unit.pk, []) + staff.get(unit.pk, [])
        for i, task in enumerate(data["tasks"][: 3 + rng.randint(0, 2)]):
            title, checklist = task["title"], task["checklist"]
            status = statuses[(i + rng.randint(0, 4)) % len(statuses)]
            due = today + timedelta(days=rng.randint(-6, 14))
            created = _aware(today - timedelta(days=rng.randint(7, 20)))
            tasks.append(
                UnitTask(
                    unit=unit,
                    title=title,
                    description="Стандарт приложен в «Документах».",
                    due_date=due,
                    responsible=rng.choice(people) if people else None,
                    status=status,
                    created_by=manager,
                    created_at=created,
                    updated_at=created,
                    completed_at=created + timedelta(days=3)
                    if status == UnitTask.Status.DONE
                    else None,
                )
            )
            plans.append(checklist)
    tasks = UnitTask.objects.bulk_create(tasks, batch_size=2000)
    TaskChecklistItem.objects.bulk_create(
        [
            TaskChecklistItem(
                task=task,
                text=text,
                position=n,
                done_at=task.created_at + timedelta(days=1)
                if task.status == UnitTask.Status.DONE or n == 0
                else None,
                done_by=task.responsible,
            )
            for task, checklist in zip(tasks, plans, strict=True)
            for n, text in enumerate(checklist)
        ],
        batch_size=2000,
    )
    request_statuses = list(UnitRequest.Status.values)
    requests, conversations = [], []
    for unit in units:
        asker = (owners.get(unit.pk) or staff.get(unit.pk) or [None])[0]
        for i, spec in enumerate(data["requests"][: 2 + rng.randint(0, 2)]):
            kind, subject, text = spec["kind"], spec["subject"], spec["text"]
            status = request_statuses[(i + rng.randint(0, 3)) % 4]
            created = _aware(today - timedelta(days=rng.randint(0, 12)), hour=9 + i)
            requests.append(
                UnitRequest(
                    unit=unit,
                    kind=kind,
                    subject=subject,
                    text=text,
                    status=status,
                    assignee_id=unit.account_manager_id,
                    created_by=asker,
                    created_at=created,
                    updated_at=created,
                    due_date=(created + timedelta(days=2)).date(),
                    closed_at=created + timedelta(days=2) if status == "closed" else None,
                )
            )
    requests = UnitRequest.objects.bulk_create(requests, batch_size=2000)
    for r in requests:
        if r.status in ("answered", "closed", "in_progress"):
            conversations.append(
                WorkComment(
                    request=r,
                    author_id=r.assignee_id,
                    text="Спасибо, занимаемся — ответ ниже.",
                    created_at=r.created_at + timedelta(hours=3),
                )
            )
        if r.status in ("answered", "closed"):
            conversations.append(
                WorkComment(
                    request=r,
                    author_id=r.assignee_id,
                    text="Готово: подробности в «Документах» → «От франчайзера».",
                    created_at=r.created_at + timedelta(hours=20),
                )
            )
    WorkComment.objects.bulk_create(conversations, batch_size=2000)


def _seed_notifications(ctx, units, today) -> None:
    """A few notices for the demo logins (written directly: the demo sends no e-mail)."""
    User = get_user_model()
    logins = {
        u.username: u for u in User.objects.filter(username__in=["owner", "staff", "manager"])
    }
    marker = Notification.objects.filter(
        user__in=logins.values(), kind="document", title__startswith=f"Новая версия «{PRICE_LIST}"
    )
    if not logins or marker.exists():
        return
    first = units[0]
    price_list = Document.objects.filter(unit__isnull=True, title__startswith=PRICE_LIST).first()
    request = UnitRequest.objects.filter(unit=first).order_by("pk").first()
    task = UnitTask.objects.filter(unit=first).order_by("pk").first()
    rows = []
    for username, user in logins.items():
        items = [
            (
                "document",
                f"Новая версия «{PRICE_LIST} с 1 декабря»",
                "Прочитайте и подтвердите, пожалуйста.",
                reverse("documents:detail", args=[price_list.pk]) if price_list else "",
                1,
                False,
            ),
            (
                "task",
                f"Новая задача: {task.title}" if task else "Новая задача",
                "",
                reverse("franchise:task_detail", args=[first.code, task.pk]) if task else "",
                2,
                True,
            ),
            (
                "request",
                f"Ответ на «{request.subject}»" if request else "Ответ",
                "Готово: подробности в «Документах».",
                reverse("franchise:request_detail", args=[first.code, request.pk])
                if request
                else "",
                3,
                username == "manager",
            ),
            ("news", "Запуск зимнего меню", "", "", 5, True),
        ]
        for kind, title, body, url, days, read in items:
            created = _aware(today - timedelta(days=days), hour=12)
            rows.append(
                Notification(
                    user=user,
                    unit=None if kind in ("document", "news") else first,
                    kind=kind,
                    title=title,
                    body=body,
                    url=url,
                    created_at=created,
                    read_at=created + timedelta(hours=2) if read else None,
                    email_mode=NotificationMode.OFF,
                )
            )
    Notification.objects.bulk_create(rows)
