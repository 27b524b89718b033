"""The barcode symbologies the decoders know, by the project's short names (a light module:
reading the config does not load the image libraries)."""

SYMBOLOGIES = ("code128", "code39", "ean13", "ean8", "upca", "upce", "itf", "qrcode",
               "datamatrix")
DEFAULT_SYMBOLOGIES = ("code128", "ean13", "qrcode", "code39")
