"""``python -m hub issue_token SCHOOL_CODE KIOSK_ID [--name N] [--out FILE]``: make the school
and kiosk if they are new, issue a token and write it to FILE (mode 600) or print it once."""
import os

from django.core.management.base import BaseCommand

from hub.ingest.tokens import issue_token
from hub.schools.models import Kiosk, School


class Command(BaseCommand):
    """Issue a kiosk token."""

    help = "Cấp token cho một ki-ốt / issue a token for a kiosk"

    def add_arguments(self, parser):
        """Arguments."""
        parser.add_argument("school_code")
        parser.add_argument("kiosk_id")
        parser.add_argument("--school-name", default="")
        parser.add_argument("--name", default="")
        parser.add_argument("--out", default="", help="write the token to this file (mode 600)")

    def handle(self, *args, **options):
        """Run."""
        school, _ = School.objects.get_or_create(
            code=options["school_code"], defaults={"name": options["school_name"]
                                                   or options["school_code"]})
        kiosk, _ = Kiosk.objects.get_or_create(school=school, kiosk_id=options["kiosk_id"],
                                               defaults={"name": options["name"]})
        token = issue_token(kiosk)
        if options["out"]:
            fd = os.open(options["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(token + "\n")
            os.chmod(options["out"], 0o600)
            self.stdout.write(f"token for {kiosk} written to {options['out']}")
        else:
            self.stdout.write(token)
