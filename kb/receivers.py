"""A saved KB document gets its text extracted in the background (the task is idempotent)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import KBDocument


@receiver(post_save, sender=KBDocument)
def queue_text_extraction(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields and "file" not in update_fields):
        return
    from .tasks import extract_document_text

    extract_document_text.delay_on_commit(instance.pk)
