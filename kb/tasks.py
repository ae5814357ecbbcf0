from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task
def send_review_reminders() -> int:
    from .services import review_reminders_send

    return review_reminders_send(today=timezone.localdate(), months=settings.KB_REVIEW_AFTER_MONTHS)


@shared_task
def extract_document_text(document_id: int) -> int:
    from .services import document_text_extract

    return document_text_extract(document_id=document_id)
