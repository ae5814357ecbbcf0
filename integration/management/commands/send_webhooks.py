from django.core.management.base import BaseCommand

from integration import webhooks


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (what the beat job does every minute)."

    def handle(self, *args, **options):
        sent = 0
        for pk in webhooks.deliveries_due():
            if webhooks.delivery_attempt(delivery_id=pk) is not None:
                sent += 1
        self.stdout.write(f"{sent} webhook deliveries attempted")
