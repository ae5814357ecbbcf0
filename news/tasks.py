from celery import shared_task


# The name it had in the portal app, so announcements queued before an upgrade still run.
@shared_task(name="portal.tasks.announce_news")
def announce_news(page_id: int) -> int:
    from .services import news_announce

    return news_announce(page_id=page_id)
