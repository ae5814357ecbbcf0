from django.core.management.base import BaseCommand

from surveys import services


class Command(BaseCommand):
    help = "Open the current survey rounds and remind those who have not answered (idempotent)."

    def handle(self, *args, **options):
        opened = services.rounds_open()
        reminded = services.reminders_send()
        self.stdout.write(f"{opened} round(s) opened, {reminded} person(s) reminded.")
