"""Time importing 5,000 students from a national-template .xlsx file (target: at most 5 s).

    .venv/bin/python -m bench.bench_import [COUNT]

Writes the file and a fresh database into a temporary folder, imports once (all new), then
again (all unchanged), and prints both times.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import openpyxl

from kiosk.clock import Clock
from kiosk.config import config_from_dict
from kiosk.context import open_context
from kiosk.imports.runner import run_import

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu", "Hữu", "Phương"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hương", "Khánh", "Linh", "Mai", "Nam",
         "Phúc", "Quỳnh", "Sơn", "Thảo", "Uyên", "Việt", "Yến"]


def write_students(path: Path, count: int, seed: int = 5000) -> Path:
    """A C1-HocSinh-like workbook of ``count`` students (some names in NFD)."""
    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("C1-HocSinh")
    sheet.append(["DANH SÁCH HỌC SINH"])
    sheet.append([])
    sheet.append(["STT", unicodedata.normalize("NFD", "Mã lớp"), "Mã học sinh", "Họ tên",
                  "Ngày sinh", "Giới tính", "Trạng thái HS", "Dân tộc"])
    for n in range(1, count + 1):
        grade = 6 + n % 4
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        if n % 3 == 0:
            name = unicodedata.normalize("NFD", name)
        sheet.append([n, f"{grade}A{1 + n % 9}", f"{3300000000 + n}", name,
                      f"{1 + n % 28:02d}/{1 + n % 12:02d}/{2021 - grade}",
                      "Nam" if n % 2 else "Nữ", "Đang học", "Kinh"])
    workbook.save(path)
    return path


def main(argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = write_students(folder / "students.xlsx", count)
        config = config_from_dict({
            "school": {"code": "BENCH", "name": "Bench", "kiosk_id": "bench"},
            "database": {"path": str(folder / "kiosk.sqlite3")}})
        context = open_context(config, clock=Clock(now_fn=lambda: datetime.now(timezone.utc)))
        try:
            timings = []
            for _ in range(2):
                start = time.perf_counter()
                report = run_import(context, "students", path)
                timings.append((time.perf_counter() - start, report))
        finally:
            context.close()
    for label, (seconds, report) in zip(("first import", "re-import"), timings):
        sys.stdout.write(f"{label}: {count} students in {seconds:.2f} s "
                         f"(created {report.created}, unchanged {report.unchanged}, "
                         f"bad {len(report.errors)})\n")
    return 0 if all(seconds <= 5.0 for seconds, _ in timings) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
