from datetime import date

from django.core.management.base import BaseCommand

from reporting import services


class Command(BaseCommand):
    help = "Remind units that have not submitted their reports (safe to run more than once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this ISO date.")

    def handle(self, *args, **options):
        today = date.fromisoformat(options["date"]) if options.get("date") else None
        sent = services.reminders_send(today=today)
        self.stdout.write(f"{sent} reminders sent")
