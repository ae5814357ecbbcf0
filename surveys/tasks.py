from celery import shared_task


@shared_task
def rounds_open_task():
    from . import services

    return services.rounds_open()


@shared_task
def reminders_send_task():
    from . import services

    services.rounds_open()
    return services.reminders_send()
