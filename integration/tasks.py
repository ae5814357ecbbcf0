from celery import shared_task


@shared_task
def exchange_job_task(job_id: int):
    from .exchange import jobs

    jobs.job_run(job_id=job_id)
