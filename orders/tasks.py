from celery import shared_task


@shared_task
def invoice_file_task(invoice_id: int, user_id: int | None) -> None:
    from .invoices import invoice_file

    invoice_file(invoice_id=invoice_id, user_id=user_id)
