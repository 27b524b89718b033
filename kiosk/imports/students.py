"""Students from the national education database's Excel export (template C1-HocSinh).

Columns: the class (Tên lớp, else Lớp, else Mã lớp), Mã học sinh, Họ tên (required); Ngày sinh,
Giới tính, Trạng thái HS (optional); others (Dân tộc, Loại khuyết tật, Số định danh cá nhân...)
are ignored. When a file has both the class name (``6A1``) and the class id (``L1A``), the name is
kept: a student's grade is its leading number. A student code must match ``codes.student`` (the
pattern that tells a scanned student card); invisible characters (bidirectional overrides) are
removed from names. "Đang học" (or no status) is active; any other status (Thôi học, Chuyển
trường, Bảo lưu...) makes the card inactive. Students absent from the file stay as they are.
"""
from __future__ import annotations

import re

from kiosk.imports import values as v
from kiosk.imports.patrons import good_rows, personal_fields, upsert_patrons
from kiosk.imports.session import ImportSession
from kiosk.imports.tabular import Column, Table

KIND = "students"
COLUMNS = (
    Column("class_name", ("Tên lớp", "Lớp", "Mã lớp"), required=True),
    Column("code", ("Mã học sinh", "Mã HS", "Mã định danh", "Mã định danh học sinh"),
           required=True),
    Column("name", ("Họ tên", "Họ và tên", "Họ tên học sinh", "Tên học sinh"), required=True),
    Column("birth_date", ("Ngày sinh",)),
    Column("gender", ("Giới tính",)),
    Column("status", ("Trạng thái HS", "Trạng thái", "Tình trạng")),
)
_ACTIVE_STATUSES = {"", "dang hoc"}


def parse_row(values: dict, code_pattern: str = r".+") -> dict:
    """One row's fields; :class:`~kiosk.imports.values.BadValue` when a cell is wrong or the
    code does not match ``code_pattern``."""
    code = v.code(values.get("code"), "bad_code")
    if not re.fullmatch(code_pattern, code):
        raise v.BadValue("code_pattern", code)
    fields = {"kind": "student", "code": code}
    name = v.text(values.get("name"))
    if not name:
        raise v.BadValue("missing_name")
    class_name = v.text(values.get("class_name"))
    if not class_name:
        raise v.BadValue("missing_class")
    fields.update(name=name, class_name=class_name, grade=v.grade_of_class(class_name))
    fields.update(personal_fields(values, _ACTIVE_STATUSES))
    return fields


def apply(table: Table, session: ImportSession) -> None:
    """Validate every row, then write the good ones in bulk."""
    pattern = session.context.config.codes.student
    upsert_patrons(session, good_rows(table, session, lambda values: parse_row(values, pattern)),
                   allowed_kinds={"student"}, default_kind="student")
