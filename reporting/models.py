"""Report templates, their frozen versions, submissions, values, reminders and export jobs.

A template is edited freely in the Wagtail admin; what a unit submits is tied to an immutable
`TemplateVersion` (a JSON snapshot of the fields), so editing a template never changes the
meaning of figures already submitted. Values are one row per (submission, field) with a numeric
column, so a single `values_list` query feeds a pandas frame.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from franchise.documents.storage import PrivateStorage
from franchise.models import Franchisee, Region


class PeriodKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class FieldKind(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    MONEY = "money", _("Money")
    PERCENT = "percent", _("Percent")
    YES_NO = "yesno", _("Yes / no")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Text")
    FILE = "file", _("File")


#: Kinds stored in the numeric column (yes/no as 1/0) and fed to analytics.
NUMERIC_KINDS = {
    FieldKind.INTEGER,
    FieldKind.DECIMAL,
    FieldKind.MONEY,
    FieldKind.PERCENT,
    FieldKind.YES_NO,
}


#: The texts of a field that a version freezes in both languages: definition key -> model field.
DEFINITION_TEXTS = {"label": "label", "help": "help_text", "unit": "unit"}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def localise_definitions(definitions: list[dict]) -> list[dict]:
    """Frozen field definitions as screens show them, in the active language: `label`, `help`
    and `unit` from `<text>_ru` in Russian when it was given, else the canonical (English)
    text, also for versions frozen before there were two languages. `choice_labels` maps each
    stored (English) choice value to its label; the Russian options pair with the English ones
    by position, and when their numbers differ the English show. Stored values, formulas and
    figures go by the keys and the canonical choices, never by these texts. Safe to apply
    twice."""
    suffix = "_" + (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    shown = []
    for d in definitions:
        values = d.get("choices") or []
        labels = d.get("choices" + suffix) or []
        shown.append(
            {
                **d,
                **{name: d.get(name + suffix) or d.get(name) or "" for name in DEFINITION_TEXTS},
                "choice_labels": dict(
                    zip(values, labels if len(labels) == len(values) else values, strict=True)
                ),
            }
        )
    return shown


def shown_choice(d: dict, value: str) -> str:
    """A stored answer as a (localised) definition shows it: a choice's label, else as is."""
    return (d.get("choice_labels") or {}).get(value, value) if value else value


class ReportTemplate(ClusterableModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    period_kind = models.CharField(
        _("period"), max_length=12, choices=PeriodKind.choices, default=PeriodKind.MONTHLY
    )
    due_days = models.PositiveSmallIntegerField(
        _("due days after the period ends"),
        default=5,
        help_text=_("The report is due this many days after the last day of the period."),
    )
    audience_regions = ParentalManyToManyField(
        Region,
        verbose_name=_("only for regions"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every unit of the network."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name_en"), FieldPanel("name_ru")]),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("description_en"), FieldPanel("description_ru")]),
                FieldRowPanel([FieldPanel("period_kind"), FieldPanel("due_days")]),
                FieldPanel("audience_regions"),
                FieldPanel("is_active"),
            ],
            heading=_("Template"),
        ),
        InlinePanel("fields", heading=_("Fields"), label=_("Field"), min_num=1),
    ]

    class Meta:
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ReportField(Orderable):
    template = ParentalKey(ReportTemplate, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_("Short name used in formulas and spreadsheet uploads, e.g. revenue."),
    )
    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=FieldKind.choices)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("e.g. ₽, pcs, %"))
    required = models.BooleanField(_("required"), default=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For choice fields: one option per line.")
    )
    formula = models.CharField(
        _("computed formula"),
        max_length=300,
        blank=True,
        help_text=_(
            "Leave empty for a field the unit fills in. Otherwise a formula over other "
            "fields' keys, e.g. revenue / receipts (numbers, + - * / and parentheses)."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("kind"), FieldPanel("required")]),
        FieldRowPanel([FieldPanel("label_en"), FieldPanel("label_ru")]),
        FieldRowPanel([FieldPanel("unit_en"), FieldPanel("unit_ru")]),
        FieldRowPanel([FieldPanel("min_value"), FieldPanel("max_value")]),
        FieldRowPanel([FieldPanel("help_text_en"), FieldPanel("help_text_ru")]),
        FieldRowPanel([FieldPanel("choices_en"), FieldPanel("choices_ru")]),
        FieldPanel("formula"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("report field")
        verbose_name_plural = _("report fields")

    def __str__(self):
        return self.label

    def clean(self):
        from .formulas import FormulaError, parse_formula

        if self.min_value is not None and self.max_value is not None:
            if self.min_value > self.max_value:
                raise ValidationError({"max_value": _("The maximum is below the minimum.")})
        if self.kind == FieldKind.CHOICE and not self.options:
            raise ValidationError({"choices_en": _("A choice field needs at least one option.")})
        if self.formula:
            if self.kind not in NUMERIC_KINDS - {FieldKind.YES_NO}:
                raise ValidationError(
                    {"formula": _("Only number, money and percent fields can be computed.")}
                )
            try:
                parse_formula(self.formula)
            except FormulaError as error:
                raise ValidationError({"formula": str(error)}) from error

    @property
    def options(self) -> list[str]:
        """The stored choice values: the English options (the Russian ones if there are none)."""
        return _lines(self.choices_en) or _lines(self.choices_ru)

    def as_definition(self) -> dict:
        """The JSON form frozen into a `TemplateVersion`: the plain text keys hold the English
        (canonical) texts, `<text>_ru` the Russian ones, present only when given (so a template
        nobody translated freezes as it did before there were two languages and keeps its
        version). Screens show it through `localise_definitions`."""
        texts = {}
        for key, name in DEFINITION_TEXTS.items():
            english, russian = getattr(self, f"{name}_en") or "", getattr(self, f"{name}_ru") or ""
            texts[key] = english or russian
            if russian:
                texts[f"{key}_ru"] = russian
        if russian_options := _lines(self.choices_ru):
            texts["choices_ru"] = russian_options
        return {
            "key": self.key,
            "label": texts.pop("label"),
            "kind": self.kind,
            **texts,
            "required": self.required,
            "min": None if self.min_value is None else str(self.min_value),
            "max": None if self.max_value is None else str(self.max_value),
            "choices": self.options,
            "formula": self.formula.strip(),
        }


class TemplateVersion(models.Model):
    """An immutable snapshot of a template's fields; submissions point here."""

    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    fields = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="one_version_number")
        ]
        ordering = ["template", "-number"]

    def __str__(self):
        return f"{self.template} v{self.number}"

    @property
    def shown_fields(self) -> list[dict]:
        """The fields as screens show them: texts in the active language."""
        return localise_definitions(self.fields)


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    unit = models.ForeignKey(
        Franchisee, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="submissions"
    )
    template = models.ForeignKey(
        ReportTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "template", "period_start"], name="one_report_per_unit_period"
            )
        ]
        indexes = [
            models.Index(fields=["template", "period_start", "status"]),
            # The review queue: a status, oldest first; read in order, it stops at one page.
            models.Index(fields=["status", "submitted_at", "id"], name="report_review_queue"),
            # The API's sync order (/api/v1/submissions/: updated_since, cursor).
            models.Index(fields=["updated_at", "id"], name="submission_sync"),
        ]

    def __str__(self):
        return f"{self.template} {self.period_start:%Y-%m-%d} {self.unit.code}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_late(self) -> bool:
        if self.submitted_at is None:
            return timezone.localdate() > self.due_date
        return timezone.localtime(self.submitted_at).date() > self.due_date


class PrivateReportStorage(PrivateStorage):
    """Files attached to reports are the unit's business: kept under PRIVATE_MEDIA_ROOT (read
    at each use, not at import), in its own folder, and served only through a
    permission-checked view."""

    @property
    def base_location(self):
        return str(Path(settings.PRIVATE_MEDIA_ROOT) / "reporting")


def private_storage():
    return PrivateReportStorage()


class Value(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    field_key = models.CharField(max_length=40)
    number = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)
    file = models.FileField(upload_to="files/%Y/%m/", storage=private_storage, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "field_key"], name="one_value_per_field")
        ]

    def __str__(self):
        return f"{self.field_key}={self.number if self.number is not None else self.text}"


class ChangeLog(models.Model):
    """Every change of a figure or of the status: who, when, old and new."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="changes")
    field_key = models.CharField(max_length=40)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.field_key}: {self.old} → {self.new}"


class ReminderLog(models.Model):
    """One row per reminder sent; the unique constraint keeps a rerun from sending twice."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        DUE = "due", _("On the due date")
        OVERDUE = "overdue", _("Overdue")

    unit = models.ForeignKey(Franchisee, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    stage = models.CharField(max_length=10, choices=Stage.choices)
    sent_on = models.DateField()
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "template", "period_start", "stage", "sent_on"],
                name="one_reminder_per_day",
            )
        ]

    def __str__(self):
        return f"{self.stage} {self.sent_on} {self.unit_id}"


class ExportJob(models.Model):
    """A large export made in the background; the file lives under PRIVATE_MEDIA_ROOT."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file_path = models.CharField(max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} #{self.pk}"
