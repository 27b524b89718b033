"""placeholder"""
from dataclasses import dataclass
@dataclass(frozen=True)
class BookLabel:
    accession: str
    school_name: str
    shelf_mark: str = ""
    title: str = ""
@dataclass(frozen=True)
class EquipmentLabel:
    code: str
    name: str
    school_name: str
