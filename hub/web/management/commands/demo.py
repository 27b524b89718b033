"""``python -m hub demo [--schools N]``: the demo district (see :mod:`hub.demo`)."""
from django.core.management.base import BaseCommand

from hub.demo import PASSWORD, build_demo


class Command(BaseCommand):
    """Build the demo district."""

    help = "Tạo dữ liệu mẫu của phòng GD&ĐT / build the demo district"

    def add_arguments(self, parser):
        """Arguments."""
        parser.add_argument("--schools", type=int, default=8)

    def handle(self, *args, **options):
        """Run."""
        made = build_demo(options["schools"])
        if made["created"]:
            self.stdout.write(f"{made['schools']} schools, {made['records']} records stored")
        self.stdout.write(f"log in as phong (district staff), xem (read-only), hieutruong01..."
                          f" (principals), password {PASSWORD}")
