"""API keys, stored idempotent answers, 1C exchange jobs and outgoing webhooks.

A key is bound to a user: a service user made for it (a unit's key holds the member role on
that unit, a franchisor's key a network group), or a person (a manager's key sees his
portfolio). Rights therefore come from `franchise/access.py` exactly as for people; the key
adds scopes (resources, read or write), an optional region and its own revocation and expiry.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from franchise.models import Region

#: Resources a key may be scoped to; "<resource>:read" or "<resource>:write".
RESOURCES = (
    "units",
    "reports",
    "documents",
    "catalogue",
    "orders",
    "invoices",
    "finance",
    "exchange",
)


class IntegrationKey(AbstractAPIKey):
    """One integration client's key (only its hash is stored: the key is shown once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as"),
        on_delete=models.CASCADE,
        related_name="integration_keys",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Limit a network key to one region's units."),
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = BaseAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def allows(self, resource: str, write: bool) -> bool:
        return f"{resource}:{'write' if write else 'read'}" in (self.scopes or [])


class IdempotentRequest(models.Model):
    """The first answer to a POST with an `Idempotency-Key`, replayed for retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotentrequest_unique_key")
        ]

    def __str__(self):
        return self.key


class ExchangeJob(models.Model):
    """One uploaded 1C file (import.xml, offers.xml, orders) and the job processing it."""

    class Status(models.TextChoices):
        UPLOADING = "uploading", _("Uploading")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    key = models.ForeignKey(
        IntegrationKey, on_delete=models.SET_NULL, null=True, related_name="exchange_jobs"
    )
    session = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=10)
    filename = models.CharField(_("file"), max_length=200)
    path = models.CharField(max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADING)
    progress = models.PositiveSmallIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("1C exchange file")
        verbose_name_plural = _("1C exchange files")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename


class PriceTypeLink(models.Model):
    """Which portal price list a 1C price type (ТипЦены) fills."""

    external_id = models.CharField(_("1C id"), max_length=64, unique=True)
    price_list = models.OneToOneField(
        "orders.PriceList", on_delete=models.CASCADE, related_name="one_c_price_type"
    )

    def __str__(self):
        return self.external_id


class OrderExport(models.Model):
    """Orders handed to 1C (sale/query) and whether 1C confirmed them (sale/success)."""

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="+")
    exported_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    #: The order's updated_at when exported: a later change hands the order over again.
    version = models.DateTimeField()

    def __str__(self):
        return str(self.order_id)


class WebhookEvent(models.TextChoices):
    ORDER_STATUS = "order.status_changed", _("Order status changed")
    INVOICE_ISSUED = "invoice.issued", _("Invoice issued")
    REPORT_APPROVED = "report.approved", _("Report approved")
    PAYMENT_RECORDED = "payment.recorded", _("Payment recorded")


def webhook_secret() -> str:
    """A fresh signing secret (shown to the franchisor once, kept to sign every delivery)."""
    return f"whsec_{secrets.token_urlsafe(32)}"


class WebhookSubscription(models.Model):
    """A URL the franchisor registered for some events, with the secret that signs them."""

    name = models.CharField(_("name"), max_length=100)
    #: http(s) only: the sender never opens file:, ftp: or any other scheme.
    url = models.URLField(
        _("URL"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, default=webhook_secret)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        known = set(WebhookEvent.values)
        if not isinstance(self.events, list) or not self.events:
            raise ValidationError({"events": _("Choose at least one event.")})
        if set(self.events) - known:
            raise ValidationError({"events": _("Unknown event.")})

    def wants(self, event: str) -> bool:
        return self.is_active and event in (self.events or [])


class WebhookDelivery(models.Model):
    """One event sent (or still to send) to one subscription: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("webhook"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    #: The event's id, the same in every subscription's delivery and in a resend: receivers
    #: use it to ignore a duplicate.
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, db_index=True)
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    #: When a pending delivery is due (the next retry); empty once delivered or failed.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhookdelivery_due"),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription_id}"
