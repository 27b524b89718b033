"""Teachers, and staff (librarian, equipment staff), from the school's staff list.

Columns: Mã giáo viên / Mã GV / Mã cán bộ, Họ tên (required); Tổ chuyên môn, Môn dạy (several,
separated by , or ;), Khối dạy (grades or classes: "6, 7" or "6A1, 7A2"), Vai trò / Chức vụ, Loại (giáo viên | nhân viên), Ngày sinh, Giới tính,
Trạng thái (optional). A row is staff when its kind says so (Nhân viên, Cán bộ, staff) or its
role is the library's or the equipment room's. PINs are never read from a file: staff PINs are
set at the kiosk (or by ``kiosk demo``).
"""
from __future__ import annotations

from db.text import search_key
from kiosk.imports import values as v
from kiosk.imports.patrons import good_rows, personal_fields, upsert_patrons
from kiosk.imports.session import ImportSession
from kiosk.imports.tabular import Column, Table

KIND = "teachers"
COLUMNS = (
    Column("code", ("Mã giáo viên", "Mã GV", "Mã cán bộ", "Mã CB", "Mã nhân viên",
                    "Mã CBGV", "Mã định danh"), required=True),
    Column("name", ("Họ tên", "Họ và tên", "Họ tên giáo viên"), required=True),
    Column("subject_group", ("Tổ chuyên môn", "Tổ bộ môn", "Tổ")),
    Column("subjects", ("Môn dạy", "Môn giảng dạy", "Môn học", "Môn")),
    Column("grades", ("Khối dạy", "Khối", "Lớp dạy", "Lớp giảng dạy")),
    Column("role", ("Vai trò", "Chức vụ", "Công việc")),
    Column("kind", ("Loại", "Loại cán bộ", "Đối tượng", "Loại nhân sự")),
    Column("birth_date", ("Ngày sinh",)),
    Column("gender", ("Giới tính",)),
    Column("status", ("Trạng thái", "Tình trạng")),
)

_TEACHER_KINDS = {"", "giao vien", "gv", "teacher"}
_STAFF_KINDS = {"nhan vien", "nv", "can bo", "can bo quan ly", "staff", "nhan vien thu vien",
                "nhan vien thiet bi"}
#: Roles that make a row staff even without a kind column, and the role word stored for them.
STAFF_ROLES = {
    "librarian": {"thu thu", "nhan vien thu vien", "can bo thu vien", "phu trach thu vien",
                  "librarian"},
    "equipment": {"nhan vien thiet bi", "can bo thiet bi", "phu trach thiet bi",
                  "equipment", "equipment staff"},
}
_ACTIVE_STATUSES = {"", "dang lam viec", "dang cong tac", "active"}


def parse_row(values: dict) -> dict:
    """One row's fields; :class:`~kiosk.imports.values.BadValue` when a cell is wrong."""
    fields = {"code": v.code(values.get("code"), "bad_code")}
    name = v.text(values.get("name"))
    if not name:
        raise v.BadValue("missing_name")
    fields["name"] = name
    role_text = v.text(values.get("role"))
    role = _staff_role(role_text)
    kind_key = search_key(v.text(values.get("kind")))
    if kind_key in _STAFF_KINDS or (role and kind_key == ""):
        fields["kind"] = "staff"
    elif kind_key not in _TEACHER_KINDS:
        raise v.BadValue("bad_kind", values.get("kind"))
    elif "kind" in values:
        fields["kind"] = "teacher"
    # no kind column and no staff role: a new row is a teacher, an existing one keeps its kind
    if "role" in values:
        fields["role"] = role or role_text
    if "subject_group" in values:
        fields["subject_group"] = v.text(values["subject_group"])
    if "subjects" in values:
        fields["subjects"] = ";".join(v.split_list(values["subjects"]))
    if "grades" in values:
        fields["grades"] = grades_taught(values["grades"])
    fields.update(personal_fields(values, _ACTIVE_STATUSES))
    return fields


def grades_taught(value: object) -> str:
    """The grades a teacher teaches, from grades ("6, 7") or classes ("6A1, 7A2"): ``"6;7"``."""
    grades = []
    for part in v.split_list(value):
        grade = v.grade_of_class(part)
        if grade is None:
            raise v.BadValue("bad_grade", part)
        if str(grade) not in grades:
            grades.append(str(grade))
    return ";".join(sorted(grades, key=int))


def _staff_role(role_text: str) -> str:
    key = search_key(role_text)
    for role, words in STAFF_ROLES.items():
        if key in words:
            return role
    return ""


def apply(table: Table, session: ImportSession) -> None:
    """Validate every row, then write the good ones."""
    upsert_patrons(session, good_rows(table, session, parse_row), allowed_kinds={"teacher", "staff"},
                   default_kind="teacher")
