"""Declaring new copies and equipment: new accession numbers and item.declared records."""
import json

from db.models import Copy, EquipmentItem, EquipmentType, Journal, Outbox, Title
from kiosk.services.catalogue import Catalogue, NewTitle, next_number, shelf_mark


def test_next_number_continues_the_store_sequence():
    assert next_number(["TK.00001", "TK.00010", "GK.00099", "TK.9"], "TK.") == 11
    assert next_number([], "NV.") == 1


def test_shelf_mark_from_classification_author_year():
    assert shelf_mark("8(V)", "Tô Hoài", "Dế Mèn", 2020) == "8(V) TOH 2020"
    assert shelf_mark("", "", "Ánh sáng", None) == "ANH"


def test_new_title_with_copies_gets_next_accession_numbers(context):
    outcome = Catalogue(context).declare_copies(
        "CB0001", "TK", 3, new_title=NewTitle(title="Đất rừng phương Nam", author="Đoàn Giỏi",
                                              isbn="978-604-2-00001-7", year=2019, price=60000))
    assert outcome.ok and outcome.params["codes"] == ["TK.00011", "TK.00012", "TK.00013"]
    title = Title.get(Title.title == "Đất rừng phương Nam")
    assert title.isbn == "9786042000017" and title.copies.count() == 3
    records = [json.loads(r.data) for r in Outbox.select().where(Outbox.type == "item.declared")]
    assert [r["item_barcode"] for r in records] == ["TK.00011", "TK.00012", "TK.00013"]
    assert records[0]["title"] == "Đất rừng phương Nam" and records[0]["price"] == 60000
    assert Journal.get(Journal.action == "declare").actor == "CB0001"


def test_copies_of_an_existing_title(context):
    title = Title.get(Title.title == "Toán 6 tập một")
    outcome = Catalogue(context).declare_copies("CB0001", "GK", 2, title_id=title.id)
    assert outcome.params["codes"] == ["GK.00002", "GK.00003"]
    assert Copy.get(Copy.barcode == "GK.00003").status == "available"


def test_declaring_needs_staff_a_title_and_a_sane_count(context):
    catalogue = Catalogue(context)
    assert catalogue.declare_copies("GV0012", "TK", 1, new_title=NewTitle("X")).code == "not_staff"
    assert catalogue.declare_copies("CB0001", "TK", 0, new_title=NewTitle("X")).code == "bad_count"
    assert catalogue.declare_copies("CB0001", "XX", 1, new_title=NewTitle("X")).code == "bad_store"
    assert catalogue.declare_copies("CB0001", "TK", 1, new_title=NewTitle(" ")).code == \
        "title_required"
    assert catalogue.declare_copies("CB0001", "TK", 1,
                                    new_title=NewTitle("X", isbn="123")).code == "bad_isbn"
    assert Outbox.select().count() == 0 and Title.select().count() == 2


def test_new_labelled_equipment_and_more_counted_stock(context):
    catalogue = Catalogue(context)
    items = catalogue.declare_equipment("CB0001", "KHTN6.KHV", 2)
    assert items.params["codes"] == ["TB.KHTN6.004", "TB.KHTN6.005"]
    stock = catalogue.declare_equipment("CB0001", "KHTN6.OCN", 10)
    assert stock.ok
    kind = EquipmentType.get(EquipmentType.code == "KHTN6.OCN")
    assert (kind.stock_total, kind.stock_on_hand) == (40, 40)
    new = catalogue.declare_equipment("CB0001", "vl8.nam", 1, name="Nam châm thẳng", unit="cái")
    assert new.ok and EquipmentItem.get(EquipmentItem.barcode == "TB.VL8.001").type.name == \
        "Nam châm thẳng"
    assert Outbox.select().where(Outbox.type == "item.declared").count() == 4
