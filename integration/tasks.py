from celery import shared_task


@shared_task
def exchange_job_task(job_id: int):
    from .exchange import jobs

    jobs.job_run(job_id=job_id)


@shared_task(ignore_result=True)
def webhook_deliver_task(delivery_id: int):
    """One attempt; a failure queues the next at its backoff time (the sweep backs it up)."""
    from .models import WebhookDelivery
    from .webhooks import delivery_attempt

    delivery = delivery_attempt(delivery_id=delivery_id)
    if delivery is not None and delivery.status == WebhookDelivery.Status.PENDING:
        webhook_deliver_task.apply_async((delivery_id,), eta=delivery.next_attempt_at)


@shared_task(ignore_result=True)
def webhook_retry_due_task():
    """Every minute: send the pending deliveries that are due (lost or delayed retries)."""
    from .webhooks import deliveries_due

    for pk in deliveries_due():
        webhook_deliver_task.delay(pk)
