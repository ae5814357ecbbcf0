"""Outgoing webhooks: events from the real services, signed deliveries to a real local HTTP
server, retries with backoff, and nothing sent for a rolled-back change."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import threading
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from finance import services as finance_services
from finance.models import Payment
from integration import webhooks
from integration.models import WebhookDelivery, WebhookSubscription
from integration.tasks import webhook_retry_due_task
from orders import services as order_services
from reporting import periods as P
from reporting import services as reporting_services
from tests.reporting.conftest import make_template, report

S = WebhookDelivery.Status


class Receiver:
    """A real HTTP server on 127.0.0.1 (random port) answering the statuses it is given."""

    def __init__(self, statuses, location=None):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                text = b"ok" if status < 300 else b"boom " * 200
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*statuses, location=None):
        r = Receiver(statuses, location=location)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def subscribe(url, events, **kwargs) -> WebhookSubscription:
    sub = WebhookSubscription(name="ERP", url=url, events=events, **kwargs)
    sub.full_clean()
    sub.save()
    return sub


def verify(request, secret) -> dict:
    """What a receiver does (the README's snippet): check the HMAC, then parse."""
    timestamp = request["headers"]["X-Webhook-Timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(request["headers"]["X-Webhook-Signature"], f"sha256={expected}")
    return json.loads(request["body"])


def test_delivery_fails_then_is_retried_with_backoff_and_verifies(
    network, shop, receiver, django_capture_on_commit_callbacks
):
    r = receiver(500, 200)
    sub = subscribe(r.url, ["order.status_changed"])
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_reject(order=shop.order, user=network.manager, reason="No stock")
    delivery = WebhookDelivery.objects.get()
    # First attempt: the receiver answered 500; the next one is a minute later.
    assert len(r.requests) == 1
    assert delivery.status == S.PENDING
    assert delivery.attempts == 1
    assert delivery.response_status == 500
    assert delivery.response_excerpt == ("boom " * 200)[:500]
    assert before + timedelta(seconds=59) < delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + timedelta(seconds=61)
    # Not due yet: the sweep sends nothing.
    webhook_retry_due_task.delay()
    assert len(r.requests) == 1
    # A minute later the sweep retries and the receiver takes it.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    webhook_retry_due_task.delay()
    delivery.refresh_from_db()
    assert len(r.requests) == 2
    assert delivery.status == S.DELIVERED
    assert delivery.attempts == 2
    assert delivery.response_status == 200
    assert delivery.response_excerpt == "ok"
    assert delivery.next_attempt_at is None
    assert delivery.delivered_at is not None
    for request in r.requests:
        assert request["path"] == "/hook"
        assert request["headers"]["X-Webhook-Event"] == "order.status_changed"
        assert request["headers"]["X-Webhook-Id"] == str(delivery.event_id)
        payload = verify(request, sub.secret)
        assert payload["id"] == str(delivery.event_id)
        assert payload["data"]["order"]["number"] == "Z-0001"
    # A wrong secret does not verify.
    with pytest.raises(AssertionError):
        verify(r.requests[-1], "another-secret")
    # Delivered: the sweep leaves it alone.
    webhook_retry_due_task.delay()
    assert len(r.requests) == 2


def test_backoff_schedule_then_failed(network, shop, receiver, settings):
    r = receiver(*[503] * 10)
    subscribe(r.url, ["order.status_changed"])
    with transaction.atomic():
        webhooks.event_emit(event="order.status_changed", data={"n": 1})
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    delays = []
    for _n in range(settings.WEBHOOK_MAX_ATTEMPTS):
        delivery = webhooks.delivery_attempt(delivery_id=delivery.pk, now=now)
        if delivery.next_attempt_at:
            delays.append(delivery.next_attempt_at - now)
            # Not due a second before its time.
            early = delivery.next_attempt_at - timedelta(seconds=1)
            assert webhooks.delivery_attempt(delivery_id=delivery.pk, now=early) is None
            now = delivery.next_attempt_at
    assert [d.total_seconds() for d in delays] == [60, 300, 1800, 7200, 43200]
    assert delivery.status == S.FAILED
    assert delivery.attempts == settings.WEBHOOK_MAX_ATTEMPTS == len(r.requests)
    assert delivery.next_attempt_at is None
    assert webhooks.delivery_attempt(delivery_id=delivery.pk, now=now + timedelta(days=1)) is None


def test_a_redirect_is_not_followed(network, receiver, django_capture_on_commit_callbacks):
    target = receiver(200)
    r = receiver(302, location=target.url)
    subscribe(r.url, ["payment.recorded"])
    with django_capture_on_commit_callbacks(execute=True):
        finance_services.payment_record(
            payment=Payment(
                unit=network.unit, paid_on=timezone.localdate(), amount="10", fingerprint="r1"
            )
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.response_status == 302
    assert delivery.status == S.PENDING
    assert "not followed" in delivery.error
    assert target.requests == []


def test_unreachable_receiver_is_an_error_not_a_crash(network, django_capture_on_commit_callbacks):
    probe = Receiver([])
    url = probe.url
    probe.close()  # nothing listens on that port any more
    subscribe(url, ["payment.recorded"])
    with django_capture_on_commit_callbacks(execute=True):
        finance_services.payment_record(
            payment=Payment(
                unit=network.unit, paid_on=timezone.localdate(), amount="10", fingerprint="u1"
            )
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1
    assert delivery.response_status is None
    assert delivery.error
    assert delivery.next_attempt_at is not None


# Payloads from the real services -------------------------------------------------------


def test_report_approval_payload(network, receiver, django_capture_on_commit_callbacks):
    r = receiver()
    sub = subscribe(r.url, ["report.approved"])
    template = make_template()
    period = P.last_closed("monthly", timezone.localdate())
    submission = report(network.unit, template, period, status="submitted", revenue=1500)
    with django_capture_on_commit_callbacks(execute=True):
        reporting_services.submission_approve(submission=submission, user=network.manager)
    payload = verify(r.requests[0], sub.secret)
    assert set(payload) == {"id", "type", "occurred_at", "schema", "data"}
    assert payload["type"] == "report.approved"
    data = payload["data"]["report"]
    assert data["id"] == submission.pk
    assert data["unit"] == {"id": network.unit.pk, "code": "KZN-001", "name": str(network.unit)}
    assert data["template"] == "sales"
    assert data["period_start"] == period.start.isoformat()
    assert data["status"] == "approved"
    assert Decimal(data["values"]["revenue"]) == Decimal("1500")
    assert WebhookDelivery.objects.get().status == S.DELIVERED


def test_order_status_payload(network, shop, receiver, django_capture_on_commit_callbacks):
    r = receiver()
    sub = subscribe(r.url, ["order.status_changed"])
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_cancel(order=shop.order, user=network.owner)
    payload = verify(r.requests[0], sub.secret)
    assert payload["type"] == "order.status_changed"
    data = payload["data"]
    assert data["from_status"] == "submitted"
    assert data["to_status"] == "cancelled"
    assert data["order"]["status"] == "cancelled"
    assert data["order"]["total"] == "240.00"
    assert data["order"]["unit"]["code"] == "KZN-001"


def test_payment_payload(network, receiver, django_capture_on_commit_callbacks):
    r = receiver()
    sub = subscribe(r.url, ["payment.recorded"])
    with django_capture_on_commit_callbacks(execute=True):
        payment = finance_services.payment_record(
            payment=Payment(
                unit=network.unit,
                paid_on=timezone.localdate(),
                amount=Decimal("1250.50"),
                number="77",
                payer_inn="1655000000",
                purpose="Роялти за март",
                fingerprint="p1",
            ),
            user=network.lead,
        )
    payload = verify(r.requests[0], sub.secret)
    assert payload["type"] == "payment.recorded"
    assert payload["data"]["payment"] == {
        "id": payment.pk,
        "unit": {"id": network.unit.pk, "code": "KZN-001", "name": str(network.unit)},
        "paid_on": timezone.localdate().isoformat(),
        "amount": "1250.50",
        "number": "77",
        "payer_inn": "1655000000",
        "purpose": "Роялти за март",
        "invoice_number": None,
    }


# Who gets what -------------------------------------------------------------------------


def test_inactive_and_unsubscribed_get_nothing(
    network, shop, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    subscribe(r.url, ["order.status_changed"], is_active=False)
    subscribe(r.url, ["report.approved", "payment.recorded"])
    wanted = subscribe(r.url, ["order.status_changed", "invoice.issued"])
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_reject(order=shop.order, user=network.manager, reason="No")
    assert list(WebhookDelivery.objects.values_list("subscription", flat=True)) == [wanted.pk]
    assert len(r.requests) == 1
    # Deactivated after the event: a pending retry is not sent either.
    wanted.is_active = False
    wanted.save()
    WebhookDelivery.objects.update(status=S.PENDING, next_attempt_at=timezone.now())
    webhook_retry_due_task.delay()
    assert len(r.requests) == 1


def test_rolled_back_change_enqueues_nothing(
    network, shop, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    subscribe(r.url, ["order.status_changed"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            order_services.order_reject(order=shop.order, user=network.manager, reason="No")
            assert WebhookDelivery.objects.count() == 1
            raise RuntimeError
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()
    assert r.requests == []
    shop.order.refresh_from_db()
    assert shop.order.status == "submitted"


def test_resend_is_a_new_delivery_of_the_same_event(
    network, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    sub = subscribe(r.url, ["payment.recorded"])
    with django_capture_on_commit_callbacks(execute=True):
        finance_services.payment_record(
            payment=Payment(
                unit=network.unit, paid_on=timezone.localdate(), amount="5", fingerprint="s1"
            )
        )
    first = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        again = webhooks.delivery_resend(delivery=first)
    again.refresh_from_db()
    assert again.pk != first.pk
    assert again.event_id == first.event_id
    assert again.status == S.DELIVERED
    assert len(r.requests) == 2
    assert verify(r.requests[0], sub.secret) == verify(r.requests[1], sub.secret)


@pytest.mark.parametrize(
    "url", ["ftp://example.com/hook", "file:///etc/passwd", "javascript:alert(1)", "example.com"]
)
def test_only_http_urls_can_be_subscribed(db, url):
    with pytest.raises(ValidationError) as error:
        subscribe(url, ["payment.recorded"])
    assert "url" in error.value.message_dict


def test_events_must_be_known_and_not_empty(db):
    for events in ([], ["order.deleted"]):
        with pytest.raises(ValidationError) as error:
            subscribe("https://erp.example.com/hook", events)
        assert "events" in error.value.message_dict


def test_a_secret_is_generated_for_each_subscription(db):
    one = subscribe("https://erp.example.com/a", ["payment.recorded"])
    two = subscribe("https://erp.example.com/b", ["payment.recorded"])
    assert one.secret.startswith("whsec_") and len(one.secret) > 40
    assert one.secret != two.secret


def test_the_readme_snippet_verifies_a_real_delivery(
    network, receiver, django_capture_on_commit_callbacks
):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Webhooks", 1)[1]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102  (our own README)
    r = receiver()
    sub = subscribe(r.url, ["payment.recorded"])
    with django_capture_on_commit_callbacks(execute=True):
        finance_services.payment_record(
            payment=Payment(
                unit=network.unit, paid_on=timezone.localdate(), amount="5", fingerprint="rd"
            )
        )
    request = r.requests[0]
    assert namespace["verify"](sub.secret, request["headers"], request["body"])
    assert not namespace["verify"](sub.secret, request["headers"], request["body"] + b" ")
    assert not namespace["verify"]("whsec_other", request["headers"], request["body"])


def test_the_sweep_runs_from_beat_and_from_a_command(network, receiver, settings):
    from django.core.management import call_command

    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["integration-webhook-retries"]
    assert entry["task"] in app.tasks
    r = receiver(200)
    subscribe(r.url, ["report.approved"])
    with transaction.atomic():
        webhooks.event_emit(event="report.approved", data={"n": 1})
    # Written, not yet sent (no commit callbacks ran in this test): the command sends it.
    assert WebhookDelivery.objects.get().status == S.PENDING
    out = io.StringIO()
    call_command("send_webhooks", stdout=out)
    assert "1 webhook deliveries attempted" in out.getvalue()
    assert WebhookDelivery.objects.get().status == S.DELIVERED
    assert len(r.requests) == 1


def test_confirming_an_order_sends_its_changes_and_the_invoice_in_order(
    network, shop, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    sub = subscribe(r.url, ["order.status_changed", "invoice.issued"])
    with django_capture_on_commit_callbacks(execute=True):
        order_services.order_confirm(order=shop.other_order, user=network.other_manager)
    payloads = [verify(request, sub.secret) for request in r.requests]
    assert [(p["type"], p["data"].get("to_status")) for p in payloads] == [
        ("order.status_changed", "confirmed"),
        ("order.status_changed", "invoiced"),
        ("invoice.issued", None),
    ]
    invoice = payloads[2]["data"]["invoice"]
    assert invoice["order_number"] == "Z-0002"
    assert invoice["unit"]["code"] == "EKB-001"
    assert invoice["total"] == "240.00"
    assert WebhookDelivery.objects.filter(status=S.DELIVERED).count() == 3
