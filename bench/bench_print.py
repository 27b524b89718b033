"""Receipt benchmark: render time, bytes sent, and estimated print time at 115200 and 9600 baud.

Run: .venv/bin/python bench/bench_print.py [--runs N]

Goals (issue 4), for a five-item borrow receipt at 576 dots: render at most 50 ms, at most 24 KB.
"Render" is the whole path from the Receipt to the ESC/POS bytes (layout + bitmap + encoding).
The print-time estimate is the larger of the transfer time (8N1: ten bits a byte) and the paper
time at an assumed 80 mm/s for graphics (HARDWARE.md: 50-250 mm/s), 8 dots a millimetre.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from printers import samples  # noqa: E402
from printers.document import Bitmap  # noqa: E402
from printers.escpos_out import encode_document  # noqa: E402
from printers.render import render_receipt  # noqa: E402
from kiosk.i18n import receipt_captions  # noqa: E402

GOAL_MS = 50.0
GOAL_BYTES = 24 * 1024
PAPER_MM_S = 80.0
DOTS_PER_MM = 8.0




def render(receipt, width: int):
    """A receipt laid out with the kiosk's catalog, as the print service does."""
    return render_receipt(receipt, width, receipt_captions(receipt.lang))

def measure(receipt, width: int, runs: int) -> dict:
    """Timings and sizes for one receipt at one width."""
    render(receipt, width)  # warm the font cache
    layout_ms, total_ms = [], []
    for _ in range(runs):
        start = time.perf_counter()
        document = render(receipt, width)
        middle = time.perf_counter()
        data = encode_document(document)
        end = time.perf_counter()
        layout_ms.append((middle - start) * 1000)
        total_ms.append((end - start) * 1000)
    full = encode_document(document, skip_blank=False)
    height = document.to_image().height
    paper_s = height / DOTS_PER_MM / PAPER_MM_S
    return {
        "median": statistics.median(total_ms),
        "p95": sorted(total_ms)[max(0, int(len(total_ms) * 0.95) - 1)],
        "layout_median": statistics.median(layout_ms),
        "bytes": len(data),
        "full_raster_bytes": len(full),
        "raster_bands": data.count(b"\x1dv0"),
        "length_mm": height / DOTS_PER_MM,
        "s_115200": max(len(data) / 11520, paper_s),
        "s_9600": max(len(data) / 960, paper_s),
        "wire_115200": len(data) / 11520,
        "wire_9600": len(data) / 960,
        "bitmaps": sum(isinstance(s, Bitmap) for s in document.segments),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    out = sys.stdout
    out.write(f"{'receipt':<16}{'dots':>5}{'median ms':>10}{'p95 ms':>8}{'bytes':>8}"
              f"{'(full raster)':>14}{'paper mm':>9}{'s@115200':>9}{'s@9600':>8}\n")
    for kind, receipt in samples.all_receipts().items():
        for width in (384, 576):
            m = measure(receipt, width, args.runs)
            out.write(f"{kind:<16}{width:>5}{m['median']:>10.1f}{m['p95']:>8.1f}{m['bytes']:>8}"
                      f"{m['full_raster_bytes']:>14}{m['length_mm']:>9.0f}"
                      f"{m['s_115200']:>9.2f}{m['s_9600']:>8.1f}\n")
    m = measure(samples.borrow_receipt(5), 576, args.runs)
    time_ok = m["p95"] <= GOAL_MS
    size_ok = m["bytes"] <= GOAL_BYTES
    out.write("\nFive-item borrow receipt at 576 dots:\n")
    out.write(f"  render (receipt -> ESC/POS bytes): median {m['median']:.1f} ms, p95 {m['p95']:.1f}"
              f" ms (layout alone {m['layout_median']:.1f} ms)  goal <= {GOAL_MS:.0f} ms: "
              f"{'PASS' if time_ok else 'FAIL'}\n")
    out.write(f"  bytes sent: {m['bytes']} ({m['bytes'] / 1024:.1f} KB; full raster would be "
              f"{m['full_raster_bytes']})  goal <= {GOAL_BYTES}: {'PASS' if size_ok else 'FAIL'}\n")
    out.write(f"  transfer: {m['wire_115200']:.2f} s at 115200 baud, {m['wire_9600']:.1f} s at "
              f"9600 baud; paper {m['length_mm']:.0f} mm = {m['length_mm'] / PAPER_MM_S:.1f} s at "
              f"{PAPER_MM_S:.0f} mm/s\n")
    out.write(f"  estimated print time: {m['s_115200']:.1f} s at 115200 baud, "
              f"{m['s_9600']:.1f} s at 9600 baud\n")
    return 0 if time_ok and size_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
