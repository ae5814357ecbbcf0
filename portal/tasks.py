from celery import shared_task


@shared_task
def announce_news(page_id: int) -> int:
    from .news_services import news_announce

    return news_announce(page_id=page_id)


@shared_task
def stale_uploads_delete_task() -> int:
    from .uploads import stale_uploads_delete

    return stale_uploads_delete()
