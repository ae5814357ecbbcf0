from celery import shared_task


@shared_task
def statement_import_job_task(job_id: int) -> None:
    """Preview or write a bank-statement import (jobs.services.job_run never raises)."""
    from jobs.services import job_run

    job_run(job_id=job_id, kind="bank_statement")
