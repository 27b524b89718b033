"""The helper process of a registers export: reads a :class:`~kiosk.export.registers.BookJob`
(a pickle from its parent) on standard input, writes the two sổ mượn sách, and answers
(paths, lines) as a pickle on standard output. Started by
:class:`~kiosk.export.registers.BookProcess` only."""
from __future__ import annotations

import logging
import pickle
import sys


def main() -> int:
    """Run one job."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    from kiosk.export.registers import write_book_registers
    job = pickle.loads(sys.stdin.buffer.read())
    answer = write_book_registers(job)
    sys.stdout.buffer.write(pickle.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
