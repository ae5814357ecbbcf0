"""Thin views: look things up through franchise.access, call selectors and services."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from franchise import access
from franchise.audit import Action, audit_record
from portal import dashboard, versions
from portal.pdf import render_pdf
from portal.translations import shown, source_of, translations_of

from . import selectors, services
from .forms import AssignmentForm
from .models import Attempt, Certificate, CoursePage, LessonPage, Quiz
from .quiz import TamperedAnswer, in_words_of, paper, parse_answers, questions_of
from .quiz.feedback import review

#: What "My learning" reads: courses (pages), assignments, progress, certificates, rights.
MY_LEARNING_DATA = (*dashboard.SHELL_APPS, "learning", "wagtailcore")

MATRIX_PAGE_SIZE = 50


def _unit(request):
    unit = getattr(request, "current_unit", None)
    return unit if unit else None


# Page guards (called from the page models' serve) -----------------------------------------


def require_login_for_page(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def guard_course_page(request, course: CoursePage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.in_audience(request.user, course):
        access.deny(request, target=f"course:{course.pk}")
    return None


def guard_lesson_page(request, lesson: LessonPage):
    if getattr(request, "is_preview", False):
        return None
    course = lesson.get_parent().specific
    response = guard_course_page(request, course)
    if response is not None:
        return response
    try:
        services.check_can_learn(request.user, course, lesson)
    except services.LearningRefused as refusal:
        messages.warning(request, str(refusal))
        return redirect(course.get_url(request))
    return None


def _learning_page(request, page_id: int):
    """A live lesson or course page the user may see, else 404. A translation stands for its
    default-locale page, which everything a learner does is kept on."""
    page = Page.objects.live().filter(pk=page_id).first()
    page = source_of(page.specific) if page else None
    if isinstance(page, LessonPage):
        course = page.get_parent().specific
    elif isinstance(page, CoursePage):
        course = page
    else:
        access.deny(request, target=f"page:{page_id}")
    if not access.in_audience(request.user, course):
        access.deny(request, target=f"page:{page_id}")
    return page, course


# Learner -------------------------------------------------------------------------------


@login_required
def my_learning(request):
    """The learner's courses by state. Kept per person, site, language and day (overdue moves
    with the date) until anything it reads is written."""
    user = request.user

    def compute():
        from .models import CourseIndexPage

        context = selectors.my_learning(user)
        index = CourseIndexPage.objects.live().first()
        context["catalogue_url"] = index.get_url(request) if index else None
        context["can_oversee"] = selectors.units_overseen(user).exists()
        return context

    day = selectors.today().isoformat()
    parts = ("my-learning", user.pk, request.get_host(), get_language(), day)
    context = versions.cached(parts, MY_LEARNING_DATA, compute)
    return render(request, "learning/my_learning.html", context)


@login_required
@require_POST
def lesson_done(request, page_id: int):
    lesson, course = _learning_page(request, page_id)
    if not isinstance(lesson, LessonPage):
        raise Http404
    try:
        services.lesson_complete(user=request.user, lesson=lesson, unit=_unit(request))
    except services.LearningRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(course.get_url(request))
    nxt = selectors.lesson_state(request.user, lesson)["next_lesson"]
    return redirect((nxt or course).get_url(request))


@login_required
@require_POST
def quiz_start(request, page_id: int):
    page, course = _learning_page(request, page_id)
    try:
        attempt = services.attempt_start(user=request.user, page=page, unit=_unit(request))
    except services.LearningRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(page.get_url(request))
    return redirect("learning:attempt", pk=attempt.pk)


def _own_attempt(request, pk: int) -> Attempt:
    try:
        return services.attempt_for(request.user, pk)
    except Attempt.DoesNotExist:
        access.deny(request, target=f"attempt:{pk}")


def _in_readers_words(quiz: Quiz, questions: dict) -> tuple[Quiz, dict]:
    """(the quiz as the reader sees it, `questions` in its words): the quiz's live translation
    in the reader's language supplies the words; the attempt's own revision is what is graded."""
    translation = translations_of([quiz], Quiz).get(quiz.pk)
    return translation or quiz, in_words_of(questions, translation)


@login_required
def attempt_take(request, pk: int):
    attempt = services.attempt_expire_if_due(_own_attempt(request, pk))
    if not attempt.is_open:
        if request.method == "POST":
            messages.error(request, _("This attempt has already been submitted."))
        return redirect("learning:attempt_result", pk=attempt.pk)
    quiz = attempt.revision.as_object()
    questions = questions_of(quiz)
    shown_quiz, words = _in_readers_words(quiz, questions)
    answers, errors = attempt.answers, {}
    if request.method == "POST":
        try:
            answers, errors = parse_answers(attempt.drawn, questions, request.POST)
        except TamperedAnswer:
            audit_record(
                Action.ACCESS_DENIED,
                actor=request.user,
                request=request,
                target=f"attempt:{attempt.pk}",
                reason="tampered answers",
            )
            return render(
                request, "learning/attempt_rejected.html", {"attempt": attempt}, status=400
            )
        if not errors:
            try:
                if request.POST.get("action") == "submit":
                    services.attempt_submit(attempt=attempt, answers=answers)
                    return redirect("learning:attempt_result", pk=attempt.pk)
                services.attempt_save(attempt=attempt, answers=answers)
                messages.success(request, _("Your answers are saved."))
                return redirect("learning:attempt", pk=attempt.pk)
            except services.LearningRefused as refusal:
                messages.error(request, str(refusal))
                return redirect("learning:attempt_result", pk=attempt.pk)
    sheet = paper(attempt.drawn, words, answers)
    for item in sheet:
        item.error = errors.get(item.id, "")
    return render(
        request,
        "learning/attempt.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "shown_quiz": shown_quiz,
            "paper": sheet,
            "has_errors": bool(errors),
            "back_url": attempt.page.get_url(request),
        },
        status=200,
    )


@login_required
def attempt_result(request, pk: int):
    attempt = services.attempt_expire_if_due(_own_attempt(request, pk))
    if attempt.is_open:
        return redirect("learning:attempt", pk=attempt.pk)
    quiz = attempt.revision.as_object()
    shown_quiz, words = _in_readers_words(quiz, questions_of(quiz))
    return render(
        request,
        "learning/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "shown_quiz": shown_quiz,
            "rows": review(attempt, words, quiz.feedback),
            "certificate": getattr(attempt, "certificate", None),
            "back_url": attempt.page.get_url(request),
        },
    )


# Certificates ----------------------------------------------------------------------------


def _certificate_for(request, code: str) -> Certificate:
    cert = Certificate.objects.select_related("unit", "course").filter(code=code).first()
    if cert is None or not (
        cert.user_id == request.user.pk
        or (
            cert.unit
            and access.units_overseeing_training(request.user).filter(pk=cert.unit_id).exists()
        )
    ):
        access.deny(request, target=f"certificate:{code}")
    return cert


@login_required
def certificate_pdf(request, code: str):
    cert = _certificate_for(request, code)
    data = render_pdf(
        "pdf/certificate.html",
        {
            "certificate": cert,
            "course_title": selectors.certificate_title(cert),
            "verify_url": services.certificate_verify_url(cert),
        },
    )
    audit_record(
        Action.DOWNLOAD,
        actor=request.user,
        unit=cert.unit,
        target=f"certificate:{code}",
        request=request,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{cert.code}.pdf"'
    return response


def verify(request, code: str):
    """Public: anyone holding the code may check it. Unknown codes are 404."""
    cert = Certificate.objects.select_related("course").filter(code=code.upper()).first()
    if cert is None:
        raise Http404
    return render(
        request,
        "learning/verify.html",
        {
            "certificate": cert,
            "course_title": selectors.certificate_title(cert),
            "valid": cert.is_valid_on(selectors.today()),
        },
    )


# Managers and owners -----------------------------------------------------------------------


@login_required
def assign(request):
    units = access.units_assigning_training(request.user)
    if not units.exists():
        access.deny(request, target="learning:assign")
    form = AssignmentForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.assignment_create(
            by=request.user,
            course=data["course"],
            due_on=data["due_on"],
            units=data["target_units"],
            roles=data["roles"],
            user=data["user"],
        )
        messages.success(
            request,
            _("%(course)s assigned to %(n)s unit(s).")
            % {"course": shown(data["course"]).title, "n": len(created)},
        )
        return redirect("learning:matrix")
    return render(request, "learning/assign.html", {"form": form})


def _overseen_or_404(request):
    units = access.units_overseeing_training(request.user)
    if not units.exists():
        access.deny(request, target="learning:matrix")
    return units


@login_required
def matrix(request):
    units = _overseen_or_404(request).select_related("region").order_by("code")
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        return _matrix_export(selectors.matrix(list(units)), export)
    page = Paginator(units, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    result = selectors.matrix(list(page.object_list))
    rows = [
        {
            "unit": unit,
            "cells": [result.cells.get((unit.pk, c.pk)) for c in result.courses],
            "total": result.totals.get(unit.pk),
        }
        for unit in result.units
    ]
    return render(
        request,
        "learning/matrix.html",
        {
            "page": page,
            "courses": result.courses,
            "rows": rows,
            "can_assign": access.units_assigning_training(request.user).exists(),
        },
    )


def _matrix_export(result, kind: str) -> HttpResponse:
    header = [_("Unit code"), _("Unit"), _("Course"), _("Assigned"), _("Completed"), _("Overdue")]
    lines = [
        [
            unit.code,
            unit.trading_name,
            course.shown.title,
            *(cell[k] for k in ("assigned", "done", "overdue")),
        ]
        for unit in result.units
        for course in result.courses
        if (cell := result.cells.get((unit.pk, course.pk)))
    ]
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(lines)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="training-matrix.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Training"
    sheet.append([str(h) for h in header])
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="training-matrix.xlsx"'
    return response


@login_required
def matrix_unit(request, code: str):
    units = _overseen_or_404(request)
    unit = units.select_related("region").filter(code=code).first()
    if unit is None:
        access.deny(request, target=f"unit:{code}")
    data = selectors.unit_people(unit)
    rows = [
        {"member": m, "cells": [data["status"].get((m.user_id, c.pk)) for c in data["courses"]]}
        for m in data["members"]
    ]
    return render(
        request,
        "learning/matrix_unit.html",
        {"unit": unit, "courses": data["courses"], "rows": rows},
    )
