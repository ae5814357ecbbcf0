from django.core.management.base import BaseCommand

from reporting import services


class Command(BaseCommand):
    help = "Delete export jobs (and their files) older than a week."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, **options):
        count = services.old_jobs_delete(older_than_days=options["days"])
        self.stdout.write(f"{count} export jobs deleted")
