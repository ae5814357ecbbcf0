"""Outgoing webhooks: the event payloads, the delivery rows and the signed HTTP attempt.

An event becomes one `WebhookDelivery` row per active subscription that wants it, written in
the transaction of the change itself (an outbox): a rollback leaves no row and sends nothing,
and the delivery tasks are queued only on commit. A delivery is sent by one attempt at a time:
the attempt first claims the row with a conditional UPDATE, so a retry queued by Celery and the
same row picked up by the sweep cannot both send it. A failed attempt schedules the next one
(`BACKOFF`); the sweep (`webhook_retry_due_task`, every minute) sends whatever is due, which
also covers a retry message the broker lost.

Signature: `X-Webhook-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the
subscription's secret, where `<timestamp>` is `X-Webhook-Timestamp` (Unix seconds); the
receiver checks both, and may refuse old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import WebhookDelivery, WebhookEvent, WebhookSubscription

S = WebhookDelivery.Status

#: Delays after the 1st, 2nd, … failed attempt, in units of WEBHOOK_RETRY_SECONDS (a minute by
#: default: 1 min, 5 min, 30 min, 2 h, 12 h). After WEBHOOK_MAX_ATTEMPTS attempts: failed.
BACKOFF = (1, 5, 30, 120, 720)

#: How much of a receiver's answer is kept in the log.
EXCERPT = 500

SCHEMA_VERSION = 1


# Payloads ------------------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _unit(unit) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": str(unit)}


def order_data(order, event=None) -> dict:
    data = {
        "order": {
            "id": order.pk,
            "number": order.number,
            "unit": _unit(order.unit),
            "status": order.status,
            "total": _money(order.total),
            "vat_total": _money(order.vat_total),
            "delivery_date": _when(order.delivery_date),
        }
    }
    if event is not None:
        data.update(from_status=event.from_status, to_status=event.to_status, note=event.note or "")
    return data


def invoice_data(invoice) -> dict:
    return {
        "invoice": {
            "id": invoice.pk,
            "number": invoice.number,
            "order_number": invoice.order.number,
            "unit": _unit(invoice.unit),
            "issued_on": _when(invoice.issued_on),
            "due_on": _when(invoice.due_on),
            "total": _money(invoice.total),
            "vat_total": _money(invoice.vat_total),
        }
    }


def submission_data(submission) -> dict:
    values = {
        key: None if number is None else str(number)
        for key, number in submission.values.values_list("field_key", "number")
    }
    return {
        "report": {
            "id": submission.pk,
            "unit": _unit(submission.unit),
            "template": submission.template.slug,
            "period_start": _when(submission.period_start),
            "period_end": _when(submission.period_end),
            "status": submission.status,
            "approved_at": _when(submission.reviewed_at),
            "values": values,
        }
    }


def payment_data(payment) -> dict:
    return {
        "payment": {
            "id": payment.pk,
            "unit": _unit(payment.unit) if payment.unit_id else None,
            "paid_on": _when(payment.paid_on),
            "amount": _money(payment.amount),
            "number": payment.number,
            "payer_inn": payment.payer_inn,
            "purpose": payment.purpose,
            "invoice_number": payment.invoice.number if payment.invoice_id else None,
        }
    }


def payload_build(*, event: str, data: dict, occurred_at: datetime | None = None) -> dict:
    """The stable envelope every receiver gets: id, type, occurred_at, data."""
    return {
        "id": str(uuid.uuid4()),
        "type": event,
        "occurred_at": (occurred_at or timezone.now()).isoformat(),
        "schema": SCHEMA_VERSION,
        "data": data,
    }


def body_bytes(payload: dict) -> bytes:
    """The exact bytes sent and signed (sorted keys: the same payload, the same body)."""
    return json.dumps(
        payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


# Enqueueing ----------------------------------------------------------------------------


def _queue(delivery_ids: list[int]) -> None:
    from .tasks import webhook_deliver_task

    for pk in delivery_ids:
        webhook_deliver_task.delay(pk)


def event_emit(*, event: str, data: dict, occurred_at: datetime | None = None) -> list[int]:
    """Write one delivery per subscription that wants `event`; send them after commit.

    Called inside the caller's transaction (the signal receivers run in it)."""
    return events_emit(event=event, items=[data], occurred_at=occurred_at)


def events_emit(*, event: str, items: list[dict], occurred_at: datetime | None = None) -> list[int]:
    """`event_emit` for many events of one kind (a statement import's payments): the
    subscriptions are looked up once and the deliveries written in bulk, whatever the count."""
    event = WebhookEvent(event)
    subscriptions = [
        s for s in WebhookSubscription.objects.filter(is_active=True) if s.wants(event)
    ]
    if not subscriptions or not items:
        return []
    now = timezone.now()
    rows = []
    for data in items:
        payload = payload_build(event=event, data=data, occurred_at=occurred_at)
        rows += [
            WebhookDelivery(
                subscription=s,
                event_id=payload["id"],
                event=event,
                payload=payload,
                created_at=now,
                next_attempt_at=now,
            )
            for s in subscriptions
        ]
    ids = [row.pk for row in WebhookDelivery.objects.bulk_create(rows, batch_size=500)]
    transaction.on_commit(lambda: _queue(ids))
    return ids


@transaction.atomic
def delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """A new delivery of the same event (same event id) to the same subscription."""
    now = timezone.now()
    copy = WebhookDelivery.objects.create(
        subscription_id=delivery.subscription_id,
        event_id=delivery.event_id,
        event=delivery.event,
        payload=delivery.payload,
        created_at=now,
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: _queue([copy.pk]))
    return copy


# Sending -------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: never followed (to any host)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _opener() -> urllib.request.OpenerDirector:
    # Built by hand, not with build_opener(): only http and https handlers, no file:, ftp:
    # or data: handler even if a bad URL got into the table.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _NoRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """(status or None, first characters of the answer, error text)."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return None, "", "only http and https URLs are allowed"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener().open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, _excerpt(response), ""
    except urllib.error.HTTPError as answer:
        error = ""
        if 300 <= answer.code < 400:
            error = f"redirect to {answer.headers.get('Location', '')} not followed"[:500]
        return answer.code, _excerpt(answer), error
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        return None, "", f"{type(error).__name__}: {error}"[:500]


def _excerpt(response) -> str:
    try:
        return response.read(EXCERPT * 4).decode("utf-8", "replace")[:EXCERPT]
    except (http.client.HTTPException, OSError):
        return ""


def retry_delay(attempts: int) -> timedelta:
    step = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    return timedelta(seconds=step * settings.WEBHOOK_RETRY_SECONDS)


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """Send a due pending delivery once and record the answer; None if not due (or taken)."""
    now = now or timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 2 + 60)
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        pk=delivery_id,
        status=S.PENDING,
        subscription__is_active=True,
    ).update(next_attempt_at=lease)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    body = body_bytes(delivery.payload)
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "franchise-portal-webhooks/1",
        "X-Webhook-Event": delivery.event,
        "X-Webhook-Id": str(delivery.event_id),
        "X-Webhook-Delivery": str(delivery.pk),
        "X-Webhook-Timestamp": timestamp,
        "X-Webhook-Signature": signature(subscription.secret, timestamp, body),
    }
    status, excerpt, error = _post(subscription.url, body, headers)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = status
    delivery.response_excerpt = excerpt
    delivery.error = error
    if status is not None and 200 <= status < 300:
        delivery.status = S.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = S.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "response_status",
            "response_excerpt",
            "error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return delivery


def deliveries_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come (active subscriptions only), oldest first."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(
            Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
            status=S.PENDING,
            subscription__is_active=True,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
