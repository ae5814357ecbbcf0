"""The authorization matrix: every URL that takes an object id, slug, code or token, with the
status each kind of person must get.

tests/services/test_url_coverage.py enumerates the project's URL patterns and fails for any
such route that has no entry here, then runs every entry. To cover a new route, add one entry:

    "app:route_name": Case(
        args=lambda net: [net.unit.code],            # reverse() args, from the `network` fixture
        expect=unit_scoped(),                        # status per role (see the helpers below)
        # method="POST", data=lambda net: {...},     # a POST case
        # setup=lambda net: {"doc": make_doc(net)},  # extra objects, set as attributes on net
    ),

A route may list several cases (e.g. GET and POST). Each role's request runs in its own
savepoint that is rolled back, so a POST by one role never changes what the next one sees.

Roles: owner and member of `net.unit`; other_member (owner of `net.other_unit`); manager of
`net.unit`'s portfolio; other_manager (manager of other_unit only); lead (network lead,
read-only everywhere); editor (franchisor content staff, no unit rights); stranger (signed in,
no unit); anonymous. Expected values are HTTP statuses, or LOGIN for a redirect to the login
page. Another unit's object answers 404, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portal.translations import default_locale_q

LOGIN = "login"
ROLES = (
    "owner",
    "member",
    "other_member",
    "manager",
    "other_manager",
    "lead",
    "editor",
    "stranger",
    "anonymous",
)


@dataclass
class Case:
    args: Callable[[Any], list] = field(default=lambda net: [])
    expect: dict[str, int | str] = field(default_factory=dict)
    method: str = "GET"
    data: Callable[[Any], dict] | None = None
    setup: Callable[[Any], dict] | None = None
    note: str = ""
    #: (net, role) -> texts that must not appear in that role's response (another unit's
    #: code, its people's names), checked whatever the status.
    absent: Callable[[Any, str], list[str]] | None = None


def statuses(default: int | str = 404, *, anonymous: int | str = LOGIN, **by_role) -> dict:
    """Every role gets `default` unless named; anonymous visitors are sent to log in."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    result = {role: by_role.get(role, default) for role in ROLES if role != "anonymous"}
    result["anonymous"] = anonymous
    return result


def unit_scoped(ok: int = 200, **overrides) -> dict:
    """Readable by the unit's people, its manager and the network lead; 404 for everyone else."""
    return statuses(
        **{"owner": ok, "member": ok, "manager": ok, "lead": ok, **overrides},
    )


def unit_write(ok: int = 302, **overrides) -> dict:
    """A change to the unit: owner and manager; read-only leads and plain members get 404."""
    return statuses(**{"owner": ok, "manager": ok, **overrides})


def everyone(status: int) -> dict:
    return dict.fromkeys(ROLES, status)


#: Routes whose object rules are enforced elsewhere (say where), never run here.
EXEMPT: dict[str, str] = {
    "wagtailcore_authenticate_with_password": (
        "Wagtail's form for password-protected pages; Wagtail checks the restriction itself"
    ),
}

ROUTES: dict[str, Case | list[Case]] = {
    # portal / django.contrib.auth ------------------------------------------------------
    "password_reset_confirm": Case(
        args=lambda net: ["MQ", "invalid-token"],
        expect=everyone(200),
        note="public by design: the token is the credential; a bad one shows 'invalid link'",
    ),
    # franchise ---------------------------------------------------------------------------
    "invitation_accept": Case(
        args=lambda net: ["not-a-valid-token"],
        expect=everyone(410),
        note="public by design: the one-time token is the credential",
    ),
    "franchise:unit_detail": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    "franchise:unit_members": [
        Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
        Case(
            args=lambda net: [net.unit.code],
            method="POST",
            data=lambda net: {"email": "new.person@example.com", "role": "member"},
            expect=unit_write(),
        ),
    ],
    "franchise:unit_documents": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    "franchise:unit_tasks": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    # reporting ---------------------------------------------------------------------------
    "reporting:unit_reports": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    # franchise (members) -------------------------------------------------------------------
    "franchise:member_remove": [
        Case(
            args=lambda net: [net.unit.code, net.member.pk],
            method="POST",
            expect=unit_write(),
        ),
        Case(
            args=lambda net: [net.unit.code, net.member.pk],
            expect=statuses(405),  # POST only; anonymous still go to log in first
        ),
        Case(
            # Someone who is not in this unit cannot be "removed" through it.
            args=lambda net: [net.unit.code, net.other_member.pk],
            method="POST",
            expect=statuses(404),
        ),
    ],
}

#: Routes without object arguments (checked separately: anonymous visitors must be sent to
#: log in unless the route is listed here as public).
PUBLIC_ROUTES: dict[str, str] = {
    "healthz": "load-balancer liveness probe",
    "login": "the login form",
    "logout": "signing out",
    "password_reset": "asking for a reset link",
    "password_reset_done": "reset link sent",
    "password_reset_complete": "password changed",
    "set_language": "language switch on public pages",
    "wagtailcore_login": "Wagtail's login for private pages",
}

#: Object-less routes that a plain list/dashboard check (anonymous -> login) is not enough for
#: can still get full cases here; this one is a POST with the unit in the body.
ROUTES["franchise:switch_unit"] = Case(
    method="POST",
    data=lambda net: {"unit": net.unit.code},
    expect=unit_scoped(302),
)


# Objects the entries below need (built with the apps' own services; each runs inside the
# role's rolled-back savepoint) ------------------------------------------------------------


def _pdf(text: str = "matrix") -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _upload(name: str = "act.pdf", text: str = "matrix"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, _pdf(text), content_type="application/pdf")


def _checked(name: str = "act.pdf"):
    from franchise.documents.validation import check_upload

    return check_upload(_upload(name))


def make_document(net) -> dict:
    """A must-read document the manager put into the unit's inbox folder."""
    from franchise.documents import services
    from franchise.models import DocumentFolder

    document = services.document_create(
        unit=net.unit,
        folder=DocumentFolder.INBOX,
        title="Act of March",
        checked=_checked(),
        by=net.manager,
        must_read=True,
    )
    return {"doc": document}


def make_library_document(net) -> dict:
    """A must-read library document for both units, read by one person of each portfolio."""
    from franchise.documents import services
    from franchise.models import DocumentFolder

    document = services.document_create(
        unit=None,
        folder=DocumentFolder.LIBRARY,
        title="Hygiene rules",
        checked=_checked(),
        by=net.editor,
        must_read=True,
        audience="units",
        audience_units=[net.unit, net.other_unit],
    )
    for reader in (net.owner, net.other_member):
        services.document_acknowledge(document=document, user=reader)
    return {"doc": document}


def other_portfolio(net, role: str) -> list[str]:
    """What a role of one portfolio must not read about the other: its unit code and its
    people's names. Network-wide roles and editors (who set audiences) have no other side."""
    ours = ("owner", "member", "manager")
    theirs = ("other_member", "other_manager")
    if role in ours:
        return [net.other_unit.code, net.other_member.get_full_name()]
    if role in theirs:
        return [net.unit.code, net.owner.get_full_name(), net.member.get_full_name()]
    return []


def make_task(net) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from franchise.tasks_requests import services

    task = services.task_create(
        unit=net.unit,
        by=net.manager,
        title="Repaint the sign",
        description="New brand colours",
        due_date=timezone.localdate() + timedelta(days=5),
        responsible=net.member,
        checklist=["Order paint", "Paint"],
        attachments=[_checked("brief.pdf")],
    )
    return {
        "task": task,
        "item": task.checklist.first(),
        "attachment": task.attachments.first(),
    }


def make_request(net) -> dict:
    from franchise.models import UnitRequest
    from franchise.tasks_requests import services

    unit_request = services.request_create(
        unit=net.unit,
        by=net.owner,
        kind=UnitRequest.Kind.QUESTION,
        subject="Where is the new price list?",
        text="We cannot find it.",
    )
    return {"unit_request": unit_request}


def make_notification(net) -> dict:
    from franchise import notifications

    (notice,) = notifications.notify(
        recipients=[net.owner], kind="task", title="A new task", url="/units/"
    )
    return {"notice": notice}


def make_report(net) -> dict:
    """The monthly sales template, last month's submitted report of the unit, a file value."""
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reporting import periods
    from reporting.models import Submission, Value
    from tests.reporting.conftest import make_template

    template = make_template()
    period = periods.last_closed("monthly", timezone.localdate())
    submission = Submission.objects.filter(pk=_open_submission(net.unit, template, period)).get()
    Value.objects.create(submission=submission, field_key="revenue", number=Decimal("1000"))
    value = Value(submission=submission, field_key="scan")
    value.file.save("scan.pdf", ContentFile(_pdf("scan")), save=False)
    value.save()
    Submission.objects.filter(pk=submission.pk).update(
        status="submitted", submitted_at=timezone.now(), submitted_by=net.owner
    )
    return {"template": template, "period": period, "submission": submission, "value": value}


def _open_submission(unit, template, period) -> int:
    from reporting import services

    return services.submission_open(unit=unit, template=template, period=period).pk


def make_empty_report(net) -> dict:
    """The template and last month, nothing submitted yet (the form can still be filled)."""
    from django.utils import timezone

    from reporting import periods
    from tests.reporting.conftest import make_template

    return {
        "template": make_template(),
        "period": periods.last_closed("monthly", timezone.localdate()),
    }


def _report_args(net) -> list:
    return [net.unit.code, net.template.slug, net.period.key]


def make_export_job(net) -> dict:
    """A finished export the manager asked for (the file is theirs alone)."""
    from pathlib import Path

    from django.conf import settings

    from reporting.models import ExportJob

    root = Path(settings.PRIVATE_MEDIA_ROOT)
    (root / "exports").mkdir(parents=True, exist_ok=True)
    (root / "exports" / "matrix.csv").write_text("unit;revenue\nKZN-001;1000\n")
    job = ExportJob.objects.create(
        user=net.manager,
        kind="network",
        status=ExportJob.Status.DONE,
        file_path="exports/matrix.csv",
        filename="matrix.csv",
    )
    return {"job": job}


def make_course(net) -> dict:
    """A course (open to everyone) with a plain lesson and a lesson with a quiz."""
    from learning.models import CourseIndexPage, CoursePage, LessonPage
    from tests.learning.conftest import _home, make_quiz

    index = _home().add_child(instance=CourseIndexPage(title="Learning", slug="learning"))
    quiz = make_quiz("Lesson check")
    course = index.add_child(
        instance=CoursePage(title="Food safety", slug="food-safety", ordered_lessons=False)
    )
    lesson = course.add_child(instance=LessonPage(title="Hygiene", slug="hygiene"))
    quiz_lesson = course.add_child(instance=LessonPage(title="Storage", slug="storage", quiz=quiz))
    return {"course": course, "lesson": lesson, "quiz_lesson": quiz_lesson}


def make_attempt(net, *, submitted: bool = False) -> dict:
    """The member's attempt at the lesson quiz (open, or submitted with no answers)."""
    from learning import services

    objects = make_course(net)
    attempt = services.attempt_start(user=net.member, page=objects["quiz_lesson"], unit=net.unit)
    if submitted:
        attempt = services.attempt_submit(attempt=attempt, answers={})
    return {**objects, "attempt": attempt}


def make_certificate(net) -> dict:
    """The member's certificate for the course, earned in the unit."""
    from learning import services

    objects = make_course(net)
    certificate = services.certificate_issue(
        user=net.member, course=objects["course"], unit=net.unit
    )
    return {**objects, "certificate": certificate}


def make_kb_article(net) -> dict:
    """A knowledge-base article for the unit's region only, with a PDF in the KB collection."""
    from django.core.files.base import ContentFile
    from wagtail.models import Collection, PageViewRestriction
    from wagtail.rich_text import RichText

    from kb.models import KBDocument, KnowledgeBaseIndexPage
    from kb.selectors import KB_COLLECTION_NAME
    from portal.models import HomePage
    from tests.kb.conftest import make_article, make_category

    index = HomePage.objects.get(default_locale_q(), slug="home").add_child(
        instance=KnowledgeBaseIndexPage(title="Knowledge base", slug="kb")
    )
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    collection = Collection.get_first_root_node().add_child(name=KB_COLLECTION_NAME)
    document = KBDocument(title="Volga price list", collection=collection)
    document.file.save("volga-prices.pdf", ContentFile(_pdf("volga prices")), save=False)
    document.save()
    category = make_category(index, "Cash register", "cash")
    article = make_article(
        category,
        "Volga delivery schedule",
        "Trucks arrive on Mondays and Thursdays before seven.",
        slug="volga-delivery",
        regions=[net.region],
        body=[
            ("text", RichText("<p>Trucks arrive on Mondays.</p>")),
            ("document", {"document": document, "title": "Price list"}),
        ],
    )
    return {"article": article, "kb_document": document}


#: Who may see a region-limited knowledge-base article (or its files): the region's units'
#: people, their manager, the network lead and the editors.
KB_AUDIENCE = {"owner": 200, "member": 200, "manager": 200, "lead": 200, "editor": 200}

ROUTES.update(
    {
        # documents -------------------------------------------------------------------------
        "franchise:document_upload": [
            Case(args=lambda net: [net.unit.code], expect=unit_scoped(lead=404)),
            Case(
                args=lambda net: [net.unit.code],
                method="POST",
                data=lambda net: {
                    "title": "Matrix upload",
                    "file": _upload(),
                    "folder": "uploads",
                },
                expect=unit_scoped(302, lead=404),
            ),
        ],
        "documents:detail": [
            Case(args=lambda net: [net.doc.pk], setup=make_document, expect=unit_scoped()),
            Case(
                args=lambda net: [net.doc.pk],
                setup=make_library_document,
                expect=statuses(200, stranger=404),
                absent=other_portfolio,
                note="the audience line names only the units the reader may view",
            ),
        ],
        "documents:version_upload": [
            Case(
                args=lambda net: [net.doc.pk],
                setup=make_document,
                expect=statuses(manager=200),
                note="only who may upload to the document's folder (the inbox: the franchisor)",
            ),
            Case(
                args=lambda net: [net.doc.pk],
                setup=make_document,
                method="POST",
                data=lambda net: {"file": _upload("v2.pdf"), "note": "v2"},
                expect=statuses(manager=302),
            ),
        ],
        "documents:download": Case(
            args=lambda net: [net.doc.pk, 1], setup=make_document, expect=unit_scoped()
        ),
        "documents:acknowledge": Case(
            args=lambda net: [net.doc.pk],
            setup=make_document,
            method="POST",
            expect=unit_scoped(302),
        ),
        "documents:comment": Case(
            args=lambda net: [net.doc.pk],
            setup=make_document,
            method="POST",
            data=lambda net: {"text": "Signed copy follows.", "unit": net.unit.code},
            # The franchisor cannot speak for the unit: the choice is refused (400, nothing saved).
            expect=statuses(owner=302, member=302, manager=400, lead=400),
        ),
        "documents:acknowledgements": [
            Case(
                args=lambda net: [net.doc.pk],
                setup=make_document,
                expect=statuses(manager=200, lead=200),
                note="who confirmed reading is the franchisor's view (sees_acknowledgements)",
            ),
            Case(
                args=lambda net: [net.doc.pk],
                setup=make_library_document,
                expect=statuses(manager=200, other_manager=200, lead=200),
                absent=other_portfolio,
                note="a library document's report: each manager his own portfolio's people",
            ),
        ],
        # tasks -----------------------------------------------------------------------------
        "franchise:task_create": [
            Case(args=lambda net: [net.unit.code], expect=statuses(manager=200)),
            Case(
                args=lambda net: [net.unit.code],
                method="POST",
                data=lambda net: {"title": "Hang the posters", "attachments": [_upload()]},
                expect=statuses(manager=302),
            ),
        ],
        "franchise:task_detail": Case(
            args=lambda net: [net.unit.code, net.task.pk], setup=make_task, expect=unit_scoped()
        ),
        "franchise:task_status": Case(
            args=lambda net: [net.unit.code, net.task.pk],
            setup=make_task,
            method="POST",
            data=lambda net: {"status": "in_progress"},
            expect=unit_scoped(302, lead=404),
        ),
        "franchise:task_edit": Case(
            args=lambda net: [net.unit.code, net.task.pk],
            setup=make_task,
            method="POST",
            data=lambda net: {"title": "Repaint the sign and the door"},
            expect=statuses(manager=302),
        ),
        "franchise:task_comment": Case(
            args=lambda net: [net.unit.code, net.task.pk],
            setup=make_task,
            method="POST",
            data=lambda net: {"text": "Paint ordered."},
            expect=unit_scoped(302, lead=404),
        ),
        "franchise:task_checklist": Case(
            args=lambda net: [net.unit.code, net.task.pk, net.item.pk],
            setup=make_task,
            method="POST",
            data=lambda net: {"done": "1"},
            expect=unit_scoped(302, lead=404),
        ),
        "franchise:task_attachment": Case(
            args=lambda net: [net.unit.code, net.task.pk, net.attachment.pk],
            setup=make_task,
            expect=unit_scoped(),
        ),
        # requests --------------------------------------------------------------------------
        "franchise:request_create": [
            Case(args=lambda net: [net.unit.code], expect=statuses(owner=200, member=200)),
            Case(
                args=lambda net: [net.unit.code],
                method="POST",
                data=lambda net: {"kind": "question", "subject": "Prices?", "text": "Where?"},
                expect=statuses(owner=302, member=302),
            ),
        ],
        "franchise:request_detail": Case(
            args=lambda net: [net.unit.code, net.unit_request.pk],
            setup=make_request,
            expect=unit_scoped(),
        ),
        "franchise:request_status": Case(
            args=lambda net: [net.unit.code, net.unit_request.pk],
            setup=make_request,
            method="POST",
            data=lambda net: {"status": "closed"},
            expect=unit_scoped(302, lead=404),
        ),
        "franchise:request_comment": Case(
            args=lambda net: [net.unit.code, net.unit_request.pk],
            setup=make_request,
            method="POST",
            data=lambda net: {"text": "Sent by e-mail."},
            expect=unit_scoped(302, lead=404),
        ),
        "notifications:read": Case(
            args=lambda net: [net.notice.pk],
            setup=make_notification,
            method="POST",
            expect=statuses(owner=302),
            note="a notice belongs to its recipient alone",
        ),
        # reporting -------------------------------------------------------------------------
        "reporting:review_detail": Case(
            args=lambda net: [net.submission.pk],
            setup=make_report,
            expect=statuses(manager=200),
            note="the review screen is the account manager's; leads read the network views",
        ),
        "reporting:report_file": Case(
            args=lambda net: [net.value.pk], setup=make_report, expect=unit_scoped()
        ),
        "reporting:job_status": Case(
            args=lambda net: [net.job.pk], setup=make_export_job, expect=statuses(manager=200)
        ),
        "reporting:job_download": Case(
            args=lambda net: [net.job.pk], setup=make_export_job, expect=statuses(manager=200)
        ),
        "reporting:unit_analytics": Case(
            args=lambda net: [net.unit.code], setup=make_report, expect=unit_scoped()
        ),
        "reporting:report_form": [
            Case(args=_report_args, setup=make_empty_report, expect=unit_scoped()),
            Case(
                args=_report_args,
                setup=make_empty_report,
                method="POST",
                data=lambda net: {"action": "save", "revenue": "1000", "receipts": "10"},
                expect=statuses(owner=302, member=302),
            ),
        ],
        "reporting:report_upload": Case(
            args=_report_args,
            setup=make_empty_report,
            method="POST",
            data=lambda net: {"file": _upload("figures.csv")},
            expect=statuses(owner=302, member=302),
        ),
        "reporting:upload_template": Case(
            args=lambda net: [*_report_args(net), "csv"],
            setup=make_empty_report,
            expect=unit_scoped(),
        ),
        "reporting:report_pdf": Case(args=_report_args, setup=make_report, expect=unit_scoped()),
        "network:scorecard": Case(
            args=lambda net: [net.unit.code], expect=statuses(manager=200, lead=200)
        ),
        # learning --------------------------------------------------------------------------
        "learning:lesson_done": Case(
            args=lambda net: [net.lesson.pk],
            setup=make_course,
            method="POST",
            expect=statuses(302),
            note="the course is open to everyone signed in; progress is the learner's own",
        ),
        "learning:quiz_start": Case(
            args=lambda net: [net.quiz_lesson.pk],
            setup=make_course,
            method="POST",
            expect=statuses(302),
            note="the course is open to everyone signed in; the attempt is the learner's own",
        ),
        "learning:attempt": Case(
            args=lambda net: [net.attempt.pk], setup=make_attempt, expect=statuses(member=200)
        ),
        "learning:attempt_result": Case(
            args=lambda net: [net.attempt.pk],
            setup=lambda net: make_attempt(net, submitted=True),
            expect=statuses(member=200),
        ),
        "learning:certificate_pdf": Case(
            args=lambda net: [net.certificate.code],
            setup=make_certificate,
            expect=statuses(owner=200, member=200, manager=200, lead=200),
        ),
        "learning:verify": Case(
            args=lambda net: [net.certificate.code],
            setup=make_certificate,
            expect=everyone(200),
            note="public by design: an employer checks a certificate by its code",
        ),
        "learning:matrix_unit": Case(
            args=lambda net: [net.unit.code],
            expect=statuses(owner=200, manager=200, lead=200),
        ),
        # knowledge base --------------------------------------------------------------------
        "kb:open_result": Case(
            args=lambda net: [0, net.article.pk],
            setup=make_kb_article,
            expect=statuses(**dict.fromkeys(KB_AUDIENCE, 302)),
        ),
        "kb:feedback": Case(
            args=lambda net: [net.article.pk],
            setup=make_kb_article,
            method="POST",
            data=lambda net: {"helpful": "yes"},
            expect=statuses(**dict.fromkeys(KB_AUDIENCE, 302)),
        ),
        "kb:print": Case(
            args=lambda net: [net.article.pk],
            setup=make_kb_article,
            expect=statuses(**KB_AUDIENCE),
        ),
        "kb:document": Case(
            args=lambda net: [net.kb_document.pk, net.kb_document.filename],
            setup=make_kb_article,
            expect=statuses(**KB_AUDIENCE),
        ),
    }
)


def _post_case(name: str) -> Case:
    return next(case for case in ROUTES[name] if case.method == "POST")


#: Views that accept files, each with a POST that someone allowed gets through: with the
#: upload limit at zero that POST must get 429 (portal.security.upload_rate_limit).
UPLOAD_ROUTES: dict[str, tuple[str, Case]] = {
    "franchise:document_upload": ("owner", _post_case("franchise:document_upload")),
    "documents:version_upload": ("manager", _post_case("documents:version_upload")),
    "documents:library_new": (
        "editor",
        Case(
            method="POST",
            data=lambda net: {"title": "Brand book", "file": _upload("brand.pdf")},
        ),
    ),
    "franchise:task_create": ("manager", _post_case("franchise:task_create")),
    "franchise:task_comment": ("member", ROUTES["franchise:task_comment"]),
    "reporting:report_form": ("owner", _post_case("reporting:report_form")),
    "reporting:report_upload": ("owner", ROUTES["reporting:report_upload"]),
}


# Each commerce app keeps its entries in tests/services/matrix_<app>.py (the same Case helpers;
# imported last, so everything above is defined).
def _merge_app_matrices() -> None:
    import importlib

    for app in ("orders", "finance", "integration", "visits", "surveys", "jobs"):
        module = importlib.import_module(f"tests.services.matrix_{app}")
        overlap = set(module.ROUTES) & set(ROUTES)
        assert not overlap, f"routes listed twice: {overlap}"
        ROUTES.update(module.ROUTES)
        UPLOAD_ROUTES.update(getattr(module, "UPLOAD_ROUTES", {}))


_merge_app_matrices()
