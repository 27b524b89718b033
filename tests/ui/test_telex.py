"""Telex input, table-driven."""
import unicodedata

import pytest

from kiosk.presenters.telex import TelexComposer, apply_key, telex

CASES = [
    ("aa", "â"), ("aw", "ă"), ("ee", "ê"), ("oo", "ô"), ("ow", "ơ"), ("uw", "ư"), ("w", "ư"),
    ("dd", "đ"), ("DD", "Đ"), ("tw", "tư"),
    ("as", "á"), ("af", "à"), ("ar", "ả"), ("ax", "ã"), ("aj", "ạ"), ("asz", "a"),
    ("ass", "as"), ("aaa", "aa"), ("aww", "aw"), ("ddd", "dd"), ("az", "az"), ("s", "s"),
    ("vieetj nam", "việt nam"), ("Tieengs Vieetj", "Tiếng Việt"), ("tieesng", "tiếng"),
    ("nguowif", "người"), ("dduwowngf", "đường"), ("truwowcs", "trước"),
    ("quas", "quá"), ("quyr", "quỷ"), ("gias", "giá"), ("gif", "gì"), ("giuwax", "giữa"),
    ("hoaf", "hòa"), ("khoer", "khỏe"), ("thuyr", "thủy"), ("toans", "toán"), ("hoasn", "hoán"),
    ("cuar", "của"), ("muaf", "mùa"), ("mias", "mía"), ("ngoaif", "ngoài"),
    ("khuyur", "khuỷu"), ("uyeenr", "uyển"), ("ddaauf", "đầu"), ("Vaatj lys 6", "Vật lý 6"),
    ("Hoas hocj", "Hóa học"), ("Baif 12: Kinhs hieenr vi", "Bài 12: Kính hiển vi"),
    ("Khoa hocj tuwj nhieen", "Khoa học tự nhiên"), ("ddoof dungf", "đồ dùng"),
    ("tiees", "tiế"), ("caan", "cân"), ("trons", "trón"), ("chuwa", "chưa"),
]


@pytest.mark.parametrize("keys, expected", CASES)
def test_telex_classic(keys, expected):
    out = telex(keys)
    assert out == expected
    assert unicodedata.is_normalized("NFC", out)


@pytest.mark.parametrize("keys, expected", [("hoaf", "hoà"), ("thuyr", "thuỷ"),
                                            ("khoer", "khoẻ"), ("toans", "toán")])
def test_telex_modern_placement(keys, expected):
    assert telex(keys, modern=True) == expected


def test_backspace_then_type_again_composes_on_visible_text():
    c = TelexComposer()
    for k in "vieetj":
        c.key(k)
    assert c.text == "việt"
    c.backspace()
    assert c.text == "việ"
    c.key("t")
    assert c.text == "việt"
    c.key("z")
    assert c.text == "viêt"


def test_apply_key_keeps_case_and_moves_tone():
    assert apply_key("Hóa", "n") == "Hoán"
    assert apply_key("HO", "O") == "HÔ"
    assert apply_key("HO", "A") == "HOA"


def test_telex_off_types_literally():
    c = TelexComposer(telex_on=False)
    for k in "aas":
        c.key(k)
    assert c.text == "aas"


def test_set_and_clear():
    c = TelexComposer()
    c.set("Bài 5")
    c.key(" ")
    c.key("a")
    assert c.text == "Bài 5 a"
    c.clear()
    assert c.text == ""
