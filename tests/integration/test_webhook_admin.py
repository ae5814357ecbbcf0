"""The webhook screens of the Wagtail admin: subscriptions (secret shown once), the read-only
delivery log with its filters, and resend."""

import re

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integration.models import WebhookDelivery, WebhookSubscription
from tests import factories

S = WebhookDelivery.Status


def _integrator():
    """Franchisor staff allowed to manage webhooks (admin access + the model permissions)."""
    user = factories.editor(username="integrator")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="integration",
            codename__in=["add_webhooksubscription", "change_webhooksubscription"],
        )
    )
    return user


def _sub(**kwargs):
    return WebhookSubscription.objects.create(
        name=kwargs.pop("name", "ERP"),
        url="https://erp.example.com/hook",
        events=["payment.recorded"],
        **kwargs,
    )


def _deliveries(sub, n, **kwargs):
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=sub, event="payment.recorded", payload={"n": i}, **kwargs)
        for i in range(n)
    )


def test_create_shows_the_generated_secret_once(network, client_for):
    c = client_for(_integrator())
    r = c.post(
        reverse("integration_webhooks:add"),
        {
            "name": "1C",
            "url": "https://erp.example.com/hook",
            "events": ["order.status_changed", "payment.recorded"],
            "is_active": "on",
        },
    )
    sub = WebhookSubscription.objects.get()
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    assert sub.secret in r.content.decode()
    assert sub.events == ["order.status_changed", "payment.recorded"]
    edit = c.get(reverse("integration_webhooks:edit", args=[sub.pk])).content.decode()
    assert sub.secret not in edit
    # A plain edit keeps the secret and redirects as usual.
    r = c.post(
        reverse("integration_webhooks:edit", args=[sub.pk]),
        {"name": "1C main", "url": sub.url, "events": ["payment.recorded"], "is_active": "on"},
    )
    assert r.status_code == 302
    old = sub.secret
    sub.refresh_from_db()
    assert sub.secret == old and sub.name == "1C main"
    # Asking for a new secret shows the new one, once.
    r = c.post(
        reverse("integration_webhooks:edit", args=[sub.pk]),
        {"name": "1C", "url": sub.url, "events": ["payment.recorded"], "new_secret": "on"},
    )
    sub.refresh_from_db()
    assert r.status_code == 200 and sub.secret != old and sub.secret in r.content.decode()
    assert not sub.is_active


def test_bad_url_and_no_events_are_form_errors(network, client_for):
    c = client_for(_integrator())
    r = c.post(
        reverse("integration_webhooks:add"),
        {"name": "x", "url": "ftp://erp.example.com/hook", "events": []},
    )
    assert r.status_code == 200
    errors = r.context["form"].errors
    assert "url" in errors and "events" in errors
    assert not WebhookSubscription.objects.exists()


def test_screens_are_for_webhook_managers_only(network, client_for):
    sub = _sub()
    _deliveries(sub, 1)
    delivery = WebhookDelivery.objects.get()
    urls = [
        reverse("integration_webhooks:index"),
        reverse("integration_webhooks:edit", args=[sub.pk]),
        reverse("integration_webhook_deliveries:index"),
        reverse("integration_webhook_deliveries:inspect", args=[delivery.pk]),
        reverse("integration_webhook_deliveries:resend", args=[delivery.pk]),
    ]
    for user in (network.editor, network.lead, network.manager, network.owner):
        c = client_for(user)
        for url in urls:
            assert c.get(url).status_code in (302, 403), (user, url)
        assert c.post(urls[-1]).status_code in (302, 403)
    assert WebhookDelivery.objects.count() == 1


def test_delivery_log_is_read_only_and_filters(network, client_for):
    c = client_for(_integrator())
    erp, bi = _sub(name="ERP"), _sub(name="BI")
    WebhookDelivery.objects.create(
        subscription=erp, event="payment.recorded", payload={}, status=S.FAILED, attempts=6
    )
    WebhookDelivery.objects.create(
        subscription=bi, event="report.approved", payload={}, status=S.DELIVERED
    )
    index = reverse("integration_webhook_deliveries:index")
    html = c.get(index).content.decode()
    assert "ERP" in html and "BI" in html
    assert reverse("integration_webhook_deliveries:add") not in html
    for delivery in WebhookDelivery.objects.all():
        assert reverse("integration_webhook_deliveries:resend", args=[delivery.pk]) in html
        assert reverse("integration_webhook_deliveries:inspect", args=[delivery.pk]) in html

    def shown(**query):
        return [d.subscription.name for d in c.get(index, query).context["object_list"]]

    assert sorted(shown()) == ["BI", "ERP"]
    assert shown(status="failed") == ["ERP"]
    assert shown(event="report.approved") == ["BI"]
    assert shown(subscription=erp.pk, status="delivered") == []
    delivery = WebhookDelivery.objects.get(subscription=erp)
    assert (
        c.get(reverse("integration_webhook_deliveries:inspect", args=[delivery.pk])).status_code
        == 200
    )
    assert c.get(
        reverse("integration_webhook_deliveries:edit", args=[delivery.pk])
    ).status_code in (302, 403)
    assert c.post(
        reverse("integration_webhook_deliveries:delete", args=[delivery.pk])
    ).status_code in (302, 403)
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()


def test_delivery_log_query_count_does_not_grow_with_rows(network, client_for):
    c = client_for(_integrator())
    index = reverse("integration_webhook_deliveries:index")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(index).status_code == 200
        return len(ctx.captured_queries)

    first, second = _sub(name="ERP"), _sub(name="BI")
    _deliveries(first, 1)
    c.get(index)  # warm per-session caches
    few = count()
    _deliveries(first, 25)
    _deliveries(second, 25)
    assert count() == few


def test_subscription_list_query_count_does_not_grow_with_rows(network, client_for):
    c = client_for(_integrator())
    index = reverse("integration_webhooks:index")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(index).status_code == 200
        return len(ctx.captured_queries)

    _sub(name="ERP")
    c.get(index)
    few = count()
    for n in range(30):
        _sub(name=f"BI {n}")
    assert count() == few


def test_resend_makes_a_new_delivery_of_the_same_event(
    network, client_for, django_capture_on_commit_callbacks
):
    c = client_for(_integrator())
    sub = _sub(is_active=False)  # inactive: queued, not sent (no network in this test)
    _deliveries(sub, 1, status=S.FAILED, attempts=6)
    delivery = WebhookDelivery.objects.get()
    url = reverse("integration_webhook_deliveries:resend", args=[delivery.pk])
    page = c.get(url).content.decode()
    assert re.search(r'<form method="post"', page)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url)
    assert r.status_code == 302
    copy = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert copy.event_id == delivery.event_id and copy.status == S.PENDING
    assert copy.attempts == 0
    assert c.post(reverse("integration_webhook_deliveries:resend", args=[99999])).status_code == 404


def test_who_may_read_the_log(network):
    from integration.viewsets import DeliveryLogPolicy

    integrator = _integrator()
    policy = DeliveryLogPolicy(WebhookDelivery)
    assert set(policy.users_with_any_permission(["view"])) == {integrator}
    assert not policy.users_with_any_permission(["change", "delete"]).exists()
    assert policy.user_has_permission(integrator, "view")
    assert not policy.user_has_permission(integrator, "change")
    assert not policy.user_has_permission(network.editor, "view")
