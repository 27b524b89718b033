"""Run by test_stocktake: load batch files into a stock-take one after another, forever,
until killed (each load is one action: all its codes or none)."""
import sys
from pathlib import Path

from kiosk.config import config_from_dict
from kiosk.context import open_context
from kiosk.services.stocktake import StocktakeService


def main(path: str, stocktake_id: str, folder: str) -> None:
    config = config_from_dict({"school": {"code": "X", "name": "Y", "kiosk_id": "worker"},
                               "database": {"path": path}})
    service = StocktakeService(open_context(config))
    files = sorted(Path(folder).glob("*.txt"))
    for n, file in enumerate(files):
        service.load(int(stocktake_id), file)
        if n == 1:
            sys.stdout.write("running\n")
            sys.stdout.flush()
    sys.stdout.write("all loaded\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(*sys.argv[1:])
