from celery import shared_task


@shared_task
def stale_uploads_delete_task() -> int:
    from .uploads import stale_uploads_delete

    return stale_uploads_delete()
