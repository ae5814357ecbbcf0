"""Surveys, their rounds, who took part and what was answered.

Anonymity is a property of the schema, not of the screens: for an anonymous survey a
`Response` carries no person and no unit, only the group it counts in (round, region, account
manager), and `Participation` (who took part: one answer per person and round, reminders)
has no link to it. Both tables use random UUID keys and a response has no time stamp, so
neither insertion order nor time can pair a participation with its response.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from franchise.models import Franchisee, Region, Role
from portal.translations import shown_field

#: The smallest group whose answers an anonymous survey ever shows.
MIN_GROUP = 5
NPS_QUESTION = gettext_noop("How likely are you to recommend our franchise to a friend?")
#: How rounds are named ("Q4 2026"): a quarter, written the reader's way (`Round.shown_label`).
QUARTER_LABEL = re.compile(r"^Q([1-4]) (\d{4})$")


def shown_name(prefix: str = ""):
    """The name as the reader sees it, for `order_by` (`portal.translations.shown_field`)."""
    return shown_field("name", prefix)


class Schedule(models.TextChoices):
    ONCE = "once", _("Once")
    QUARTERLY = "quarterly", _("Every quarter")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Free text")


def _standard_in(language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return gettext(NPS_QUESTION)


class Survey(ClusterableModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    intro = models.TextField(_("introduction"), blank=True)
    nps_question = models.CharField(
        _("recommendation question (0–10)"), max_length=300, default=NPS_QUESTION
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_(
            "Answers are stored without the person or the unit; results show only groups of "
            "at least 5 respondents, once a round has closed."
        ),
    )
    schedule = models.CharField(
        _("schedule"), max_length=12, choices=Schedule.choices, default=Schedule.QUARTERLY
    )
    open_days = models.PositiveSmallIntegerField(
        _("days open"), default=21, help_text=_("A round closes this many days after it opens.")
    )
    remind_days = models.PositiveSmallIntegerField(
        _("remind days before closing"),
        default=7,
        help_text=_("People who have not answered get one reminder this many days before."),
    )
    audience_regions = ParentalManyToManyField(
        Region,
        verbose_name=_("only for regions"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every region."),
    )
    audience_roles = models.CharField(
        _("only for roles"),
        max_length=60,
        blank=True,
        help_text=_("Comma-separated: owner, member. Empty: owners and staff."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name_en"), FieldPanel("name_ru")]),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("intro_en"), FieldPanel("intro_ru")]),
                FieldRowPanel([FieldPanel("nps_question_en"), FieldPanel("nps_question_ru")]),
                FieldPanel("anonymous"),
                FieldRowPanel(
                    [FieldPanel("schedule"), FieldPanel("open_days"), FieldPanel("remind_days")]
                ),
                FieldPanel("is_active"),
            ],
            heading=_("Survey"),
        ),
        MultiFieldPanel(
            [FieldPanel("audience_regions"), FieldPanel("audience_roles")],
            heading=_("Audience"),
        ),
        InlinePanel("questions", heading=_("More questions"), label=_("question")),
    ]

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # modeltranslation gives the Russian field the English default too: a Russian question
        # still equal to it was never written. The standard question has its standard Russian
        # text; any other English question shows in Russian until someone translates it.
        if self.nps_question_ru in ("", NPS_QUESTION):
            standard = self.nps_question_en == NPS_QUESTION
            self.nps_question_ru = _standard_in("ru") if standard else ""
        super().save(*args, **kwargs)

    def clean(self):
        """Answers given under the promise of anonymity stay anonymous: once a round has
        answers, the survey cannot become a named one (make a new survey instead)."""
        super().clean()
        if self.pk and not self.anonymous:
            was = Survey.objects.filter(pk=self.pk).values_list("anonymous", flat=True).first()
            if was and Response.objects.filter(round__survey_id=self.pk).exists():
                raise ValidationError(
                    {
                        "anonymous": _(
                            "People answered this survey anonymously; it cannot become a named "
                            "one. Create a new survey instead."
                        )
                    }
                )

    @property
    def roles(self) -> list[str]:
        chosen = [r.strip() for r in self.audience_roles.split(",") if r.strip()]
        allowed = [r for r in chosen if r in (Role.OWNER, Role.MEMBER)]
        return allowed or [Role.OWNER, Role.MEMBER]

    @property
    def min_group(self) -> int:
        return MIN_GROUP if self.anonymous else 1


class Question(Orderable):
    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer"), max_length=10, choices=QuestionKind.choices)
    choices = models.TextField(_("choices"), blank=True, help_text=_("One option per line."))
    required = models.BooleanField(_("required"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("kind"), FieldPanel("required")]),
        FieldRowPanel([FieldPanel("text_en"), FieldPanel("text_ru")]),
        FieldRowPanel([FieldPanel("choices_en"), FieldPanel("choices_ru")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="survey_question_key_unique")
        ]

    def __str__(self):
        return self.text

    @property
    def options(self) -> list[str]:
        """The choices as answers store them: the English (canonical) lines."""
        return _lines(self.choices_en or self.choices_ru)

    @property
    def option_labels(self) -> list[tuple[str, str]]:
        """(stored value, label in the active language) per option: the translation's lines
        pair with the English ones by position; when their numbers differ, the English show."""
        values, shown = self.options, _lines(self.choices)
        return list(zip(values, shown if len(shown) == len(values) else values, strict=True))


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Round(models.Model):
    """One run of a survey (a quarter, or the only one); answers are taken while it is open."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    label = models.CharField(_("round"), max_length=40)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        ordering = ["-opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "opens_on"], name="survey_round_unique"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_round_dates",
            ),
        ]

    def __str__(self):
        return f"{self.survey} · {self.shown_label}"

    @property
    def shown_label(self) -> str:
        """The label in the active language: a quarter ("Q4 2026", as rounds are named) is
        written the reader's way; any other label stays as an editor typed it."""
        match = QUARTER_LABEL.match(self.label or "")
        if match is None:
            return self.label
        return gettext("Q%(quarter)s %(year)s") % {
            "quarter": match.group(1),
            "year": match.group(2),
        }

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on

    def is_closed(self, today) -> bool:
        return today > self.closes_on

    @property
    def remind_on(self):
        return self.closes_on - timedelta(days=self.survey.remind_days)


class Participation(models.Model):
    """Who took part in a round (for one unit): stops a second answer, steers reminders and
    the response rate. Never linked to the response."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Franchisee, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_answer_per_person")
        ]

    def __str__(self):
        return f"{self.round_id}: {self.user_id}"


class Response(models.Model):
    """One set of answers. Anonymous: only the group it counts in (round, region, manager)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, related_name="+")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    nps = models.PositiveSmallIntegerField(_("recommendation (0–10)"))
    # Only for surveys that are not anonymous.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    unit = models.ForeignKey(Franchisee, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["round", "region", "manager"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(nps__lte=10), name="survey_nps_scale")
        ]

    def __str__(self):
        return f"{self.round_id}: {self.nps}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # A question removed in the admin keeps its past answers out of the results.
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, related_name="+")
    number = models.PositiveSmallIntegerField(null=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_a_question")
        ]

    def __str__(self):
        return self.text or str(self.number)


class Reminder(models.Model):
    """One reminder per person and round, written before the notice is sent."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="one_survey_reminder")
        ]

    def __str__(self):
        return f"{self.round_id}: {self.user_id} ({self.sent_on})"
