from datetime import date

from django.core.management.base import BaseCommand

from learning import services


class Command(BaseCommand):
    help = "Send training reminders, overdue digests and re-certification notices (once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Pretend today is YYYY-MM-DD.")

    def handle(self, *args, **options):
        counts = services.reminders_send(day=options.get("date"))
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
