"""Send this week's network digest to every account manager (idempotent per week)."""

from datetime import date

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send the weekly portfolio digest to account managers (at most once a week each)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        from reporting.network.digest import digests_send

        sent = digests_send(today=date.fromisoformat(today) if today else None)
        self.stdout.write(f"network digests sent: {sent}")
