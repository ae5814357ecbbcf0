import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Invitation

log = logging.getLogger(__name__)


@shared_task
def send_invitation(invitation_id: int, token: str) -> None:
    invitation = Invitation.objects.select_related("unit", "invited_by").get(pk=invitation_id)
    if invitation.accepted_at:
        return
    language = getattr(invitation.invited_by, "preferred_language", settings.LANGUAGE_CODE)
    with translation.override(language):
        context = {
            "invitation": invitation,
            "url": settings.PORTAL_BASE_URL + reverse("invitation_accept", args=[token]),
        }
        subject = render_to_string("email/invitation_subject.txt", context).strip()
        body = render_to_string("email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@shared_task
def send_notification_emails(notification_ids: list[int]) -> int:
    from .notifications import send_immediate

    return send_immediate(notification_ids)


@shared_task
def send_notification_digests() -> int:
    from .notifications import send_digests

    return send_digests()


@shared_task
def extract_document_text(version_id: int) -> str:
    from .documents.services import document_text_extract

    return document_text_extract(version_id=version_id)


@shared_task
def delete_orphan_files() -> int:
    from .documents.services import orphan_files_delete

    return orphan_files_delete()


@shared_task(acks_late=True)
def send_library_notices(version_id: int) -> int:
    """Fan-out of a library document's notices to its audience; safe to run twice."""
    from .documents.services import library_notices_send

    return library_notices_send(version_id=version_id)


@shared_task(ignore_result=True)
def portfolio_refresh_task():
    """Patch the lights of the portfolios shown today after a unit's write. A failure only
    leaves the patch to the next reader, so it is logged, never raised into the write."""
    from django.utils import timezone

    from portal import versions

    from .dashboard_views import refresh_kept

    versions.refresh_started("portfolio")

    try:
        return refresh_kept(today=timezone.localdate())
    except Exception:  # noqa: BLE001 - see above
        log.exception("could not refresh the kept portfolio lights")
        return 0
