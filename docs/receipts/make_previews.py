"""Write the sample receipts (every kind, 384 and 576 dots), thermal labels and A4 label sheets
as PNG files into this folder, to look at. Run: .venv/bin/python docs/receipts/make_previews.py"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from PIL import Image  # noqa: E402

from printers import samples  # noqa: E402
from printers.labels import label_document  # noqa: E402
from printers.render import render_receipt  # noqa: E402
from printers.sheets import label_sheet_pages  # noqa: E402
from kiosk.i18n import receipt_captions  # noqa: E402




def render(receipt, width: int):
    """A receipt laid out with the kiosk's catalog, as the print service does."""
    return render_receipt(receipt, width, receipt_captions(receipt.lang))

def main() -> None:
    for kind, receipt in samples.all_receipts().items():
        for width in (384, 576):
            render(receipt, width).to_image().save(HERE / f"{kind}-{width}.png",
                                                           optimize=True)
    render(samples.equipment_return_slip(), 576).to_image().save(
        HERE / "equipment_return_partial-576.png", optimize=True)
    render(samples.borrow_receipt(lang="en"), 576).to_image().save(
        HERE / "borrow-576-en.png", optimize=True)
    labels = samples.book_labels()[:2] + samples.equipment_labels()[:1]
    strips = [label_document(label, 384).to_image() for label in labels]
    strip = Image.new("1", (384, sum(s.height + 16 for s in strips)), 1)
    y = 0
    for s in strips:
        strip.paste(s, (0, y))
        y += s.height + 16
    strip.save(HERE / "labels-thermal-384.png", optimize=True)
    every = samples.book_labels() + samples.equipment_labels()
    for layout in ("3x8", "4x10"):
        page = label_sheet_pages(every * 5, layout)[0]
        # Half size (150 dpi) keeps the file small; the PDF itself is drawn at 300 dpi.
        page.resize((page.width // 2, page.height // 2)).save(HERE / f"sheet-{layout}.png",
                                                             optimize=True)


if __name__ == "__main__":
    main()
