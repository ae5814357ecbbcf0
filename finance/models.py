"""Agreements, fee rules, the ledger, per-unit balances and payments.

The ledger (`Entry`) is append-only: an amount is never updated; a correction is a reversal
row pointing at the original plus a new row. Idempotency comes from unique constraints on an
entry's source (a report's fee and its revision, an invoice, a payment), not from checks in
Python, so a rerun or a double approval meets an IntegrityError instead of a second row.
Positive amounts are owed by the unit (accruals), negative ones reduce the debt (payments).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, RevisionMixin

from franchise.models import Franchisee

MONEY = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 7, "decimal_places": 4}


class Agreement(RevisionMixin, ClusterableModel):
    """The franchise agreement of one unit: parties, payment terms, fee rules (with history
    through Wagtail revisions)."""

    unit = models.OneToOneField(
        Franchisee, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="agreement"
    )
    number = models.CharField(_("number"), max_length=40)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    payment_days = models.PositiveSmallIntegerField(
        _("payment days"),
        default=15,
        help_text=_("Fees of a month are due this many days after the month ends."),
    )
    franchisor_name = models.CharField(_("franchisor"), max_length=200)
    franchisor_inn = models.CharField(_("franchisor's INN"), max_length=12)
    franchisor_kpp = models.CharField(_("franchisor's KPP"), max_length=9, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("unit"),
                FieldRowPanel([FieldPanel("number"), FieldPanel("signed_on")]),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldRowPanel([FieldPanel("currency"), FieldPanel("payment_days")]),
                FieldPanel("franchisor_name"),
                FieldRowPanel([FieldPanel("franchisor_inn"), FieldPanel("franchisor_kpp")]),
            ],
            heading=_("Agreement"),
        ),
        InlinePanel("rules", heading=_("Fee rules"), label=_("Fee rule")),
    ]

    class Meta:
        verbose_name = _("franchise agreement")
        verbose_name_plural = _("franchise agreements")
        ordering = ["unit__code"]

    def __str__(self):
        return f"{self.number} ({self.unit.code})"


class FeeKind(models.TextChoices):
    ROYALTY = "royalty", _("Royalty")
    MARKETING = "marketing", _("Marketing fund")
    FIXED = "fixed", _("Fixed monthly fee")


class TierMode(models.TextChoices):
    FLAT = "flat", _("One rate")
    MARGINAL = "marginal", _("Tiers, each band at its rate")
    WHOLE = "whole", _("Tiers, the whole amount at the band's rate")


class FeeRule(ClusterableModel, Orderable):
    """One fee from a date on; the rule in force for a month is the latest that started on or
    before the month's first day, so a new rule never changes months already accrued."""

    agreement = ParentalKey(Agreement, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("fee"), max_length=10, choices=FeeKind.choices)
    effective_from = models.DateField(_("effective from"))
    template_slug = models.SlugField(
        _("report"), max_length=60, default="sales", help_text=_("Slug of the report template.")
    )
    field_key = models.SlugField(_("report field"), max_length=40, default="revenue")
    percent = models.DecimalField(
        _("rate, %"), **PERCENT, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    tier_mode = models.CharField(
        _("tiers"), max_length=10, choices=TierMode.choices, default=TierMode.FLAT
    )
    minimum = models.DecimalField(
        _("minimum per month"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    amount = models.DecimalField(
        _("fixed amount"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("effective_from")]),
        FieldRowPanel([FieldPanel("template_slug"), FieldPanel("field_key")]),
        FieldRowPanel([FieldPanel("percent"), FieldPanel("tier_mode")]),
        FieldRowPanel([FieldPanel("minimum"), FieldPanel("amount")]),
        InlinePanel("tiers", heading=_("Revenue bands"), label=_("Band")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "effective_from"], name="one_fee_rule_per_day"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.effective_from}"

    def clean(self):
        if self.kind == FeeKind.FIXED and self.amount is None:
            raise ValidationError({"amount": _("A fixed fee needs an amount.")})
        if self.kind != FeeKind.FIXED and self.percent is None and self.tier_mode == "flat":
            raise ValidationError({"percent": _("Give the rate or revenue bands.")})

    def terms(self):
        """The rule as the pure fee functions take it (tiers must be loaded or prefetched)."""
        from .fees import Terms

        return Terms(
            kind=self.kind,
            percent=self.percent,
            tier_mode=self.tier_mode,
            tiers=tuple(sorted((t.lower_bound, t.percent) for t in self.tiers.all())),
            minimum=self.minimum,
            amount=self.amount,
        )


class FeeTier(Orderable):
    """A revenue band starting at `lower_bound` (the first band starts at 0)."""

    rule = ParentalKey(FeeRule, on_delete=models.CASCADE, related_name="tiers")
    lower_bound = models.DecimalField(_("from"), **MONEY, validators=[MinValueValidator(0)])
    percent = models.DecimalField(_("rate, %"), **PERCENT, validators=[MinValueValidator(0)])

    panels = [FieldRowPanel([FieldPanel("lower_bound"), FieldPanel("percent")])]

    class Meta(Orderable.Meta):
        verbose_name = _("revenue band")


class EntryKind(models.TextChoices):
    ROYALTY = "royalty", _("Royalty")
    MARKETING = "marketing", _("Marketing fund")
    FIXED = "fixed", _("Fixed monthly fee")
    INVOICE = "invoice", _("Order invoice")
    PAYMENT = "payment", _("Payment")
    ADJUSTMENT = "adjustment", _("Adjustment")


class Entry(models.Model):
    """One line of a unit's ledger. Never updated: see the module docstring."""

    unit = models.ForeignKey(
        Franchisee, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    posted_on = models.DateField(_("date"))
    period_start = models.DateField(_("period"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    #: How the amount came about (finance.fees.explain renders it in the reader's language).
    details = models.JSONField(default=dict, blank=True)
    # Sources: at most one of them; each carries its own uniqueness rule below.
    submission = models.ForeignKey(
        "reporting.Submission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveSmallIntegerField(default=0)
    invoice = models.ForeignKey(
        "orders.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.ForeignKey(
        "finance.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["posted_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "kind", "revision"],
                condition=Q(submission__isnull=False, reverses__isnull=True),
                name="one_accrual_per_report_fee_revision",
            ),
            models.UniqueConstraint(
                fields=["unit", "period_start", "kind", "revision"],
                condition=Q(
                    submission__isnull=False,
                    reverses__isnull=True,
                ),
                name="one_accrual_per_unit_period_fee_revision",
            ),
            models.UniqueConstraint(
                fields=["invoice"],
                condition=Q(invoice__isnull=False, reverses__isnull=True),
                name="one_entry_per_invoice",
            ),
            models.UniqueConstraint(
                fields=["payment"],
                condition=Q(payment__isnull=False, reverses__isnull=True),
                name="one_entry_per_payment",
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero"),
        ]
        indexes = [
            models.Index(fields=["unit", "posted_on", "id"], name="ledger_unit_date"),
            # The API's sync order (/api/v1/ledger-entries/: updated_since, cursor).
            models.Index(fields=["created_at", "id"], name="entry_sync"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.kind} {self.amount}"


class Balance(models.Model):
    """The sum of a unit's entries, kept in the transaction that writes each entry, so pages
    show it without summing the ledger."""

    unit = models.OneToOneField(
        Franchisee, primary_key=True, on_delete=models.CASCADE, related_name="finance_balance"
    )
    amount = models.DecimalField(_("balance"), **MONEY, default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("balance")

    def __str__(self):
        return f"{self.unit_id}: {self.amount}"


class BankStatement(models.Model):
    """An imported file; the same bytes twice are refused by the unique digest."""

    sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(_("file"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10)
    lines = models.PositiveIntegerField(_("payments"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bank statement")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.filename


class Payment(models.Model):
    """Money received. Matched to a unit, it is posted to the ledger as a negative entry;
    unmatched, it waits in the queue for a person to choose the unit."""

    unit = models.ForeignKey(
        Franchisee,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(0)])
    number = models.CharField(_("document number"), max_length=40, blank=True)
    payer_name = models.CharField(_("payer"), max_length=300, blank=True)
    payer_inn = models.CharField(_("payer's INN"), max_length=12, blank=True)
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    invoice = models.ForeignKey(
        "orders.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    statement = models.ForeignKey(
        BankStatement, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    line = models.PositiveIntegerField(null=True, blank=True)
    #: Date, number, amount, payer and purpose: one payment in two statements is one row.
    fingerprint = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self):
        return f"{self.paid_on} {self.amount}"


class ReminderLog(models.Model):
    """One row per (unit, due date, stage, day): a rerun of the reminders sends nothing."""

    unit = models.ForeignKey(Franchisee, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    stage = models.CharField(max_length=10)
    sent_on = models.DateField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "due_on", "stage", "sent_on"], name="one_finance_reminder_a_day"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.stage} {self.sent_on}"


class OpenItem(models.Model):
    """What a unit still owes, by due date: the FIFO open items of its ledger (see
    `finance.summary`), rewritten in the transaction of every ledger write of the unit. Ages
    are counted from `due_on` when read, so the rows never go stale with the calendar."""

    unit = models.ForeignKey(Franchisee, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "due_on"], name="one_open_item_per_due_date")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.due_on}: {self.amount}"


class DayAccrual(models.Model):
    """Net accruals (every entry but payments, reversals included) posted to a unit on one
    day, kept with the open items: days-sales-outstanding sums these, not the ledger."""

    unit = models.ForeignKey(Franchisee, on_delete=models.CASCADE, related_name="+")
    posted_on = models.DateField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "posted_on"], name="one_accrual_sum_per_unit_day"
            )
        ]
        # DSO sums the last 90 days of every unit: an index-only range scan by day (on
        # PostgreSQL ~40 ms for 5,000 units instead of a ~120 ms scan of the whole table).
        indexes = [
            models.Index(fields=["posted_on", "unit", "amount"], name="dayaccrual_by_day"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.posted_on}: {self.amount}"
