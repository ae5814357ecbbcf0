from django.core.management.base import BaseCommand

from franchise.documents.services import orphan_files_delete


class Command(BaseCommand):
    help = "Delete uploaded files that no document version or task attachment refers to."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=24)

    def handle(self, *args, older_than_hours, **options):
        deleted = orphan_files_delete(older_than_hours=older_than_hours)
        self.stdout.write(f"{deleted} orphan file(s) deleted.")
