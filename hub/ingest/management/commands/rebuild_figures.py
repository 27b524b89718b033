"""``python -m hub rebuild_figures [--school CODE]``: recompute every figure from the stored
records (after editing the terms, or to check them)."""
from django.core.management.base import BaseCommand

from hub.calendar import forget_terms
from hub.ingest.store import rebuild_figures
from hub.schools.models import School


class Command(BaseCommand):
    """Rebuild the derived tables."""

    help = "Tính lại số liệu từ các bản ghi / recompute the figures from the records"

    def add_arguments(self, parser):
        """Arguments."""
        parser.add_argument("--school", default="")

    def handle(self, *args, **options):
        """Run."""
        forget_terms()
        school_id = School.objects.get(code=options["school"]).id if options["school"] else None
        count = rebuild_figures(school_id)
        self.stdout.write(f"{count} records replayed")
