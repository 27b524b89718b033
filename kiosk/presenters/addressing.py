"""How the screens address a teacher: "thầy" or "cô" when the gender is known."""
from __future__ import annotations

from kiosk.i18n import t
from kiosk.services.results import gender_word


def teacher_greeting(teacher) -> str:
    """'Xin chào thầy Nguyễn Văn Nam' / 'cô …'; 'thầy/cô …' when the gender is not known."""
    word = gender_word(teacher.gender)
    if word == "unknown":
        return t("ui.teacher.greeting", name=teacher.name)
    return t(f"ui.teacher.greeting_{word}", name=teacher.name)


def teacher_question(teacher) -> str:
    """'Cô muốn làm gì?' ('Thầy/cô …' when the gender is not known)."""
    word = gender_word(teacher.gender)
    return t("ui.teacher.choose" if word == "unknown" else f"ui.teacher.choose_{word}")
