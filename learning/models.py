"""Courses, lessons, quizzes and everything a learner leaves behind.

Content is Wagtail: `CourseIndexPage` > `CoursePage` > `LessonPage`. A quiz is a snippet
(`Quiz`) with its own revisions, chosen by a lesson (`LessonPage.quiz`) or as a course's final
quiz (`CoursePage.final_quiz`). Why a snippet and not a StreamField on the page:

* one question bank serves a lesson and a refresher course alike;
* its revisions are its own, so an attempt pins exactly the questions it was drawn from
  (`Attempt.revision`) and a page edit that has nothing to do with the quiz never changes it;
* editors publish quiz changes on their own schedule (DraftStateMixin), and learners always
  start on the published revision.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, Page, RevisionMixin, TranslatableMixin
from wagtail.search import index

from franchise.models import Franchisee, PageAudience
from portal.translations import default_locale_q

from .blocks import LessonBodyBlock, QuestionStreamBlock


class Quiz(DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, models.Model):
    class Feedback(models.TextChoices):
        SCORE = "score", _("Score only")
        WRONG = "wrong", _("Score and which answers were wrong")
        FULL = "full", _("Full feedback: right answers and explanations")

    title = models.CharField(_("title"), max_length=200)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("questions"))
    pass_mark = models.PositiveSmallIntegerField(_("pass mark, %"), default=80)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit, minutes"), default=0, help_text=_("0: no limit.")
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=0, help_text=_("0: unlimited.")
    )
    attempt_delay_minutes = models.PositiveIntegerField(
        _("delay between attempts, minutes"), default=0
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=False)
    draw_count = models.PositiveSmallIntegerField(
        _("questions drawn"),
        default=0,
        help_text=_("Draw this many random questions from the pool; 0: all of them."),
    )
    feedback = models.CharField(
        _("after an attempt the learner sees"),
        max_length=10,
        choices=Feedback.choices,
        default=Feedback.WRONG,
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="quiz")

    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("time_limit_minutes"),
                FieldPanel("attempts_allowed"),
                FieldPanel("attempt_delay_minutes"),
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_options"),
                FieldPanel("draw_count"),
                FieldPanel("feedback"),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("questions"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions


class CourseIndexPage(Page):
    """The Learning home: the catalogue with the learner's progress on each course."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["learning.CoursePage"]
    max_count = 1
    template = "learning/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")

    def serve(self, request, *args, **kwargs):
        from .views import require_login_for_page

        return require_login_for_page(request) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from portal.translations import shown

        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["shown"] = shown(self)
        context["rows"] = selectors.catalogue_for(request.user)
        return context


class CoursePage(PageAudience, Page):
    description = RichTextField(_("description"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated duration, minutes"), default=30)
    prerequisites = ParentalManyToManyField(
        "learning.CoursePage",
        verbose_name=_("prerequisites"),
        blank=True,
        related_name="+",
        help_text=_("Courses the learner must have completed first."),
    )
    ordered_lessons = models.BooleanField(
        _("lessons unlock in order"), default=True, help_text=_("Each lesson needs the one before.")
    )
    final_quiz = models.ForeignKey(
        Quiz,
        verbose_name=_("final quiz"),
        null=True,
        blank=True,
        limit_choices_to=default_locale_q,  # a translation's words come with the quiz
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Passing it (after every lesson) grants the certificate."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for, months"), default=0, help_text=_("0: never expires.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("estimated_minutes"),
        FieldPanel("prerequisites"),
        FieldPanel("ordered_lessons"),
        FieldPanel("final_quiz"),
        FieldPanel("certificate_validity_months"),
        MultiFieldPanel(
            [FieldPanel("audience_regions"), FieldPanel("audience_roles")],
            heading=_("Audience"),
        ),
    ]
    parent_page_types = ["learning.CourseIndexPage"]
    subpage_types = ["learning.LessonPage"]
    template = "learning/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def serve(self, request, *args, **kwargs):
        from .views import guard_course_page

        return guard_course_page(request, self) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.course_state(request.user, self))
        return context


class LessonPage(Page):
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(LessonBodyBlock(), verbose_name=_("content"), blank=True)
    quiz = models.ForeignKey(
        Quiz,
        verbose_name=_("quiz"),
        null=True,
        blank=True,
        limit_choices_to=default_locale_q,  # a translation's words come with the quiz
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: the lesson counts as done when the quiz is passed."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("quiz"),
    ]
    parent_page_types = ["learning.CoursePage"]
    subpage_types: list = []
    template = "learning/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        from .views import guard_lesson_page

        return guard_lesson_page(request, self) or super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.lesson_state(request.user, self))
        return context


# What learners leave behind ----------------------------------------------------------


class Attempt(models.Model):
    """One go at a quiz, pinned to the quiz revision it was drawn from.

    `drawn` is the learner's paper: [{"id": question id, "order": [option ids or tokens]}] in
    the order shown. Two database rules keep attempts honest under concurrency: the number is
    unique per (user, page), and a user has at most one open attempt per page.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    unit = models.ForeignKey(
        Franchisee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField()
    drawn = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    passed = models.BooleanField(default=False)
    results = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "page", "number"], name="learning_attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "page"],
                condition=Q(submitted_at__isnull=True),
                name="learning_one_open_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.quiz} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class LessonCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Franchisee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lesson completion")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="learning_lesson_done_once")
        ]

    def __str__(self):
        return f"{self.user_id} · lesson {self.lesson_id}"


class Certificate(models.Model):
    """Proof that a course was passed. Re-certification adds a row; history stays."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Franchisee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempt = models.OneToOneField(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="certificate"
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    learner_name = models.CharField(_("learner"), max_length=200)
    course_title = models.CharField(_("course"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return f"{self.code} · {self.learner_name} · {self.course_title}"

    def is_valid_on(self, day) -> bool:
        return self.expires_on is None or self.expires_on > day


class Assignment(models.Model):
    """A course assigned to a unit's people: all of them, some roles, or one person.

    Targets are resolved when read (joined with the unit's memberships), so someone who joins
    the unit later inherits the assignment without any copying.
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Assigned")
        RECERTIFY = "recertify", _("Re-certification")

    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Franchisee, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    roles = models.CharField(
        _("roles"), max_length=40, blank=True, help_text=_("Empty: everyone in the unit.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("due date"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("course assignment")
        verbose_name_plural = _("course assignments")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["unit", "course"])]

    def __str__(self):
        return f"{self.course_id} → {self.unit_id} by {self.due_on}"


class ReminderLog(models.Model):
    """One row per message sent: the unique key makes every daily job idempotent."""

    kind = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "key", "day"], name="learning_reminder_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.user_id} on {self.day}"
