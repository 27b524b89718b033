"""``kiosk print-test``: print a sample receipt and a sample label on the configured printer."""
from __future__ import annotations

import dataclasses
import logging
import sys

from kiosk.cli._common import load_config_for, out, run_command
from kiosk.i18n import current_language, t

log = logging.getLogger(__name__)


def register(subparsers, common) -> None:
    """Add the ``print-test`` sub-command."""
    parser = subparsers.add_parser("print-test", parents=[common], help=t("printtest.help"),
                                   description=t("printtest.help"))
    parser.add_argument("--no-label", action="store_true", help=t("printtest.opt_no_label"))
    parser.set_defaults(func=run)


@run_command
def run(args) -> int:
    """Print the samples; exit 0 when every job printed, 1 when one failed, 2 on a bad config."""
    from printers import samples  # the printer libraries: only for this command
    from printers.errors import PrinterError
    from printers.labels import label_document

    config = load_config_for(args)
    try:
        from kiosk.runtime import build_print_service

        service = build_print_service(config)
    except PrinterError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    school = config.school.name
    receipt = dataclasses.replace(samples.borrow_receipt(3, lang=current_language()),
                                  school_name=school, kiosk_name=config.school.kiosk_name)
    jobs = [(t("printtest.receipt"), service.print_receipt(receipt))]
    if not args.no_label:
        label = dataclasses.replace(samples.book_labels()[1], school_name=school)
        document = label_document(label, config.printer.width_dots)
        jobs.append((t("printtest.label"), service.print_document(document, label.accession)))
    out(t("printtest.sending", kind=config.printer.kind))
    status = 0
    for what, future in jobs:
        result = future.result()
        if result.ok:
            out(t("printtest.ok", what=what, where=result.detail))
        else:
            status = 1
            out(t("printtest.failed", what=what, reason=t(result.message_key),
                   code=result.error_code))
            log.debug("print-test %s: %s", what, result.detail)
    service.close()
    return status
