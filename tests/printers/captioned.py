"""Rendering with the kiosk's own catalog, as the print service does."""
from kiosk.i18n import receipt_captions
from printers.render import render_receipt


def render(receipt, width: int):
    """``receipt`` laid out ``width`` dots wide with the captions of its language."""
    return render_receipt(receipt, width, receipt_captions(receipt.lang))
