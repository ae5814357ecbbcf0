"""Wagtail admin registration of the integration app (registration only)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import WebhookDelivery
from .viewsets import DeliveryLogPolicy, webhook_viewset_group

register_permission_policy(WebhookDelivery, DeliveryLogPolicy(WebhookDelivery))


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return webhook_viewset_group
