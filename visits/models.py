"""Checklist templates, their frozen versions, visits and answers.

A template is edited in the Wagtail admin; a visit points at the `ChecklistVersion` it was made
with (an immutable JSON snapshot of the items, like reporting's `TemplateVersion`), so editing a
template never changes the score of a past visit.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from franchise.models import Franchisee, UnitTask
from portal.translations import shown_field


def _private_storage():
    from franchise.documents.storage import private_storage

    return private_storage


def _private_upload_to(instance, filename):
    from franchise.documents.storage import private_upload_to

    return private_upload_to(instance, filename)


def shown_name(prefix: str = ""):
    """The name as the reader sees it, for `order_by` (`portal.translations.shown_field`)."""
    return shown_field("name", prefix)


#: The texts of an item that a version freezes in both languages.
ITEM_TEXTS = ("section", "text", "guidance")


def shown_items(items: list[dict]) -> list[dict]:
    """Frozen items with their texts in the active language: `<text>_ru` in Russian when it
    was given, else the canonical (English) text, also for versions frozen before there were
    two languages. Scoring and stored answers go by the keys, never by these texts."""
    suffix = "_" + (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    # A section's title once translated names the whole section, so it is never split.
    titles = {i["section"]: i["section" + suffix] for i in items if i.get("section" + suffix)}
    return [
        {
            **item,
            **{name: item.get(name + suffix) or item.get(name, "") for name in ITEM_TEXTS},
            "section": titles.get(item["section"], item["section"]),
        }
        for item in items
    ]


class ItemKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    SCALE = "scale", _("Scale 0–5")
    NUMBER = "number", _("Number")


class ChecklistTemplate(ClusterableModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    pass_score = models.PositiveSmallIntegerField(
        _("pass score, %"),
        default=80,
        help_text=_("A visit scoring below this fails; any failed critical item fails it too."),
    )
    task_days = models.PositiveSmallIntegerField(
        _("days to fix a failed item"),
        default=7,
        help_text=_("Deadline of the corrective tasks, counted from the visit."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name_en"), FieldPanel("name_ru")]),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("description_en"), FieldPanel("description_ru")]),
                FieldRowPanel([FieldPanel("pass_score"), FieldPanel("task_days")]),
                FieldPanel("is_active"),
            ],
            heading=_("Checklist"),
        ),
        InlinePanel("items", heading=_("Items"), label=_("item"), min_num=1),
    ]

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ChecklistItem(Orderable):
    """One question; consecutive items with the same section title form a section."""

    template = ParentalKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_("Stable short name: answers of re-visits are compared by it."),
    )
    section = models.CharField(_("section"), max_length=120)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("answer"), max_length=10, choices=ItemKind.choices)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    critical = models.BooleanField(_("critical"), default=False)
    photo_when_failed = models.BooleanField(_("photo required when failed"), default=False)
    pass_min = models.DecimalField(
        _("passes from"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Scale: the lowest passing mark (default 4). Number: the lowest passing value."
        ),
    )
    pass_max = models.DecimalField(
        _("passes up to"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Number: the highest passing value (e.g. a fridge at most 5 °C)."),
    )
    guidance = models.TextField(
        _("guidance"), blank=True, help_text=_("What to look at; also the corrective task's text.")
    )

    panels = [
        FieldRowPanel([FieldPanel("section_en"), FieldPanel("section_ru"), FieldPanel("key")]),
        FieldRowPanel([FieldPanel("text_en"), FieldPanel("text_ru")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("weight")]),
        FieldRowPanel([FieldPanel("critical"), FieldPanel("photo_when_failed")]),
        FieldRowPanel([FieldPanel("pass_min"), FieldPanel("pass_max")]),
        FieldRowPanel([FieldPanel("guidance_en"), FieldPanel("guidance_ru")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return self.text

    def clean(self):
        if self.kind == ItemKind.SCALE and self.pass_min is not None:
            if not 0 <= self.pass_min <= 5:
                raise ValidationError({"pass_min": _("A scale mark is between 0 and 5.")})
        if self.pass_min is not None and self.pass_max is not None:
            if self.pass_min > self.pass_max:
                raise ValidationError({"pass_max": _("The upper bound is below the lower one.")})
        if self.kind == ItemKind.NUMBER and self.pass_min is None and self.pass_max is None:
            raise ValidationError({"pass_min": _("A number item needs a passing range.")})

    def as_definition(self) -> dict:
        """The JSON form frozen into a `ChecklistVersion`: the plain text keys hold the English
        (canonical) texts, `<text>_ru` the Russian ones ("" when not translated)."""

        def num(value):
            return None if value is None else str(value)

        texts = {}
        for name in ITEM_TEXTS:
            english, russian = getattr(self, f"{name}_en"), getattr(self, f"{name}_ru")
            texts[name], texts[f"{name}_ru"] = english or russian or "", russian or ""
        return {
            "key": self.key,
            **texts,
            "kind": self.kind,
            "weight": self.weight,
            "critical": self.critical,
            "photo_when_failed": self.photo_when_failed,
            "pass_min": num(self.pass_min),
            "pass_max": num(self.pass_max),
        }


class ChecklistVersion(models.Model):
    """An immutable snapshot of a template's items; visits point here."""

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    items = models.JSONField()
    pass_score = models.PositiveSmallIntegerField()
    task_days = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="one_checklist_version")
        ]
        ordering = ["template", "-number"]

    def __str__(self):
        return f"{self.template} v{self.number}"

    @property
    def shown_items(self) -> list[dict]:
        """The items as screens show them: texts in the active language."""
        return shown_items(self.items)


class Visit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        CANCELLED = "cancelled", _("Cancelled")

    unit = models.ForeignKey(
        Franchisee, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="visits"
    )
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="+")
    planned_date = models.DateField(_("planned date"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.DecimalField(_("score, %"), max_digits=5, decimal_places=1, null=True)
    passed = models.BooleanField(_("passed"), null=True)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-planned_date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status", "submitted_at"], name="visit_unit_done"),
            # The lists' order: newest first, read from the index up to one page.
            models.Index(fields=["-planned_date", "-id"], name="visit_planned_desc"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="visit_score_range",
            )
        ]

    def __str__(self):
        return f"{self.unit.code} {self.template} {self.planned_date:%d.%m.%Y}"

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.CANCELLED)


class VisitAnswer(models.Model):
    """One item's answer: `value` for scale and number items, 1/0 for yes/no; `na` skips it."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="answers")
    item_key = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    na = models.BooleanField(_("not applicable"), default=False)
    passed = models.BooleanField(null=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    photo = models.FileField(
        _("photo"),
        storage=_private_storage,
        upload_to=_private_upload_to,
        max_length=255,
        blank=True,
    )
    photo_type = models.CharField(max_length=40, blank=True)
    task = models.ForeignKey(
        UnitTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("visit answer")
        verbose_name_plural = _("visit answers")
        constraints = [
            models.UniqueConstraint(fields=["visit", "item_key"], name="one_answer_per_item")
        ]

    def __str__(self):
        return f"{self.visit_id}:{self.item_key}"

    def storage_folder(self) -> str:
        return f"visits/{self.visit.unit_id}"
