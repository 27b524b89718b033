"""``python -m hub forward``: pass stored records on to the provincial systems (``[forward]``);
for a systemd timer. Exit 0 also when nothing is configured or the other side is down."""
from django.conf import settings
from django.core.management.base import BaseCommand

from hub.forward import ForwardError, forward_pending, make_forwarder


class Command(BaseCommand):
    """Forward pending records."""

    help = "Chuyển bản ghi lên hệ thống của Sở / forward records to the provincial systems"

    def handle(self, *args, **options):
        """Run."""
        config = settings.HUB.forward
        try:
            forwarder = make_forwarder(config)
        except (ForwardError, OSError) as exc:
            self.stderr.write(f"forward: {exc}")
            return
        if forwarder is None:
            self.stdout.write("forward: [forward] kind is \"none\": nothing to do")
            return
        try:
            done = forward_pending(forwarder, config.batch_size)
        except ForwardError as exc:
            self.stderr.write(f"forward: will try again later: {exc}")
            return
        self.stdout.write(f"forward: {done['delivered']} delivered, {done['refused']} refused")
