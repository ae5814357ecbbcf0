from celery import shared_task


@shared_task
def send_learning_reminders() -> dict:
    """Daily: due-date reminders, overdue digests, re-certification notices (idempotent)."""
    from . import services

    return services.reminders_send()
