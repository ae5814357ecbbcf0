from celery import shared_task


@shared_task
def reminders_send_task():
    from . import services

    return services.reminders_send()


@shared_task
def export_job_run_task(job_id: int):
    from . import services

    services.export_job_run(job_id=job_id)


@shared_task
def old_jobs_delete_task():
    from . import services

    return services.old_jobs_delete()
