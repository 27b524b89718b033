"""Vietnamese text: NFC, diacritic-free search keys, alphabetical sorting."""
import unicodedata

from db.text import nfc, search_key, sort_key


def test_nfc_joins_decomposed_text_and_spaces():
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị\tĐào ")
    assert nfc(decomposed) == "Nguyễn Thị Đào"
    assert nfc(decomposed) == unicodedata.normalize("NFC", "Nguyễn Thị Đào")


def test_search_key_ignores_diacritics_and_case():
    assert search_key("Nguyễn Đức Thắng") == "nguyen duc thang"
    assert search_key(unicodedata.normalize("NFD", "ĐẶNG")) == "dang"


def test_sorting_follows_the_vietnamese_alphabet():
    words = ["Đào", "Dung", "Ân", "Ăn", "An", "Bình", "Ơn", "Ôn", "On"]
    assert sorted(words, key=sort_key) == ["An", "Ăn", "Ân", "Bình", "Dung", "Đào", "On", "Ôn",
                                           "Ơn"]


def test_tones_only_break_ties():
    assert sorted(["má", "ma", "mà", "mạ", "mả", "mã"], key=sort_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ"]
