from django.core.management.base import BaseCommand

from franchise.notifications import send_digests


class Command(BaseCommand):
    help = "E-mail each person the digest of notices not yet e-mailed (safe to run twice)."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent.")
