import importlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from portal.demo import DemoContext


class Command(BaseCommand):
    help = "Build the deterministic demo network (idempotent). Each app adds its part."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=40, help="number of franchise units")

    def handle(self, *args, units, **options):
        started = time.monotonic()
        ctx = DemoContext(units=units, stdout=self.stdout, today=timezone.localdate())
        for app in settings.LOCAL_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            if hasattr(module, "seed"):
                part_started = time.monotonic()
                with transaction.atomic():
                    module.seed(ctx)
                self.stdout.write(f"  ({app}: {time.monotonic() - part_started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(f"Demo network ready in {time.monotonic() - started:.1f} s.")
        )
