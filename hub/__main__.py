"""``python -m hub COMMAND`` (or ``school-hub COMMAND``): Django's management commands for the
hub: ``migrate``, ``createsuperuser``, ``issue_token``, ``rebuild_figures``, ``demo``..."""
import os
import sys


def main() -> None:
    """Run a management command."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0] if sys.argv[0] != "-m" else "hub", *sys.argv[1:]])


if __name__ == "__main__":
    main()
