"""Login failures and lockouts reach the audit trail; nothing else listens to signals here."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from .audit import Action, audit_record


@receiver(user_login_failed)
def record_login_failure(sender, credentials, request=None, **kwargs):
    audit_record(Action.LOGIN_FAILED, target=credentials.get("username", ""), request=request)


@receiver(user_locked_out)
def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_record(Action.LOCKOUT, target=username or "", request=request)
