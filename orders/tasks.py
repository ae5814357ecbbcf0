from celery import shared_task


@shared_task
def invoice_file_task(invoice_id: int, user_id: int | None) -> None:
    from .invoices import invoice_file

    invoice_file(invoice_id=invoice_id, user_id=user_id)


@shared_task
def price_import_job_task(job_id: int) -> None:
    """Preview or write a price-list import (jobs.services.job_run never raises)."""
    from jobs.services import job_run

    job_run(job_id=job_id, kind="price_import")
