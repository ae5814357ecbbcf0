from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from kb.services import review_reminders_send


class Command(BaseCommand):
    help = "E-mail content owners the knowledge-base articles due for review (once a week each)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=settings.KB_REVIEW_AFTER_MONTHS,
            help="Review interval in months (default: KB_REVIEW_AFTER_MONTHS).",
        )

    def handle(self, *args, months, **options):
        sent = review_reminders_send(today=timezone.localdate(), months=months)
        self.stdout.write(f"Sent {sent} review reminder(s).")
