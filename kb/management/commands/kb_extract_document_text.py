from django.core.management.base import BaseCommand

from kb.models import KBDocument
from kb.services import document_text_extract


class Command(BaseCommand):
    help = "Re-read the text inside every KB document (or those given) into the search index."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Document ids (default: all).")

    def handle(self, *args, ids, **options):
        documents = KBDocument.objects.order_by("pk")
        if ids:
            documents = documents.filter(pk__in=ids)
        total = 0
        for pk in documents.values_list("pk", flat=True):
            total += 1 if document_text_extract(document_id=pk) else 0
        self.stdout.write(f"Extracted text from {total} document(s).")
