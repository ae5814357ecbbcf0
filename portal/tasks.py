from celery import shared_task


@shared_task
def announce_news(page_id: int) -> int:
    from .news_services import news_announce

    return news_announce(page_id=page_id)
