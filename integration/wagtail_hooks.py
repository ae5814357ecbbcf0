"""Wagtail admin registration of the integration app (registration only)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .key_viewsets import KeyPolicy, key_viewset
from .models import IntegrationKey, WebhookDelivery
from .viewsets import DeliveryLogPolicy, webhook_viewset_group

register_permission_policy(WebhookDelivery, DeliveryLogPolicy(WebhookDelivery))
register_permission_policy(IntegrationKey, KeyPolicy(IntegrationKey))


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return webhook_viewset_group


@hooks.register("register_admin_viewset")
def register_key_viewset():
    return key_viewset
