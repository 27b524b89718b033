"""Stock-take (kiểm kê): a session per store, room or shelf, opened by staff; codes scanned at
the kiosk or loaded from a scanner's batch file; counted stock entered as quantities. As it
goes it says what was found, what is on loan, what is not yet seen, what belongs elsewhere,
unknown codes and duplicates. Finishing gives every item its status (đủ, thiếu, hỏng, mất,
chưa kiểm) and applies the corrections staff confirm, in one transaction.

Every scan, load and count is its own committed action, so a session survives a restart or a
killed process: it resumes from what was committed.
"""
from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from db.ids import uuid7
from db.queries import catalogue, equipment, incidents, stocktakes
from db.queries.stocktakes import ScopeEntry, StocktakeRow
from db.text import nfc, search_key
from db.vocabulary import (AVAILABLE, DAMAGED, FOUND, INCIDENT_DAMAGED, INCIDENT_MISSING,
                           ITEM_UPDATED, LOST, ON_LOAN, REF_STOCKTAKE, SCAN_DUPLICATE, SCAN_FOUND,
                           SCAN_MISPLACED, SCAN_UNKNOWN, ST_DAMAGED, ST_LOST, ST_MISSING, ST_OK,
                           ST_UNCHECKED, STOCKTAKE_OPEN)
from devices.codes import InvalidCode, clean_code
from kiosk.services.base import Service, guarded
from kiosk.services.results import Outcome, Refused, done, refuse
from kiosk.services.stock import require_staff
from kiosk.services.takeback import item_state

#: A batch file bigger than this is refused before it is read (a scanner's holds ~100,000).
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Corrections staff may confirm at the end.
CORRECTIONS = ("missing", "found", "damaged", "counts")
_CODE_HEADERS = {"code", "barcode", "ma", "ma vach", "ma so", "so dkcb", "dkcb", "ma thiet bi",
                 "ma sach", "ma ca biet"}


@dataclass(frozen=True)
class Progress:
    """Where a stock-take stands: the six lists the screen shows as it goes."""

    take: StocktakeRow
    expected: int
    found: list[ScopeEntry] = field(default_factory=list)
    on_loan: list[ScopeEntry] = field(default_factory=list)
    not_seen: list[ScopeEntry] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    duplicates: int = 0
    damaged: int = 0
    counted: list = field(default_factory=list)  # (CountedEntry, (good, damaged) | None)
    loads: list = field(default_factory=list)


def read_codes(data: bytes) -> list[str]:
    """The codes of a batch file: one code a line, or a CSV with a code column (its header
    names it: mã, code, barcode, số ĐKCB...; else the first column). Blank lines are skipped."""
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes nearly anything
        raise ValueError("undecodable")
    text = unicodedata.normalize("NFC", text)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    sample = lines[0]
    delimiter = next((d for d in (",", ";", "\t") if d in sample), None)
    if delimiter is None:
        codes = [line.strip() for line in lines]
        return codes[1:] if search_key(codes[0]) in _CODE_HEADERS else codes
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    header = [search_key(cell).strip() for cell in rows[0]]
    column = next((i for i, name in enumerate(header) if name in _CODE_HEADERS), None)
    body = rows[1:] if column is not None else rows
    column = column or 0
    return [row[column].strip() for row in body if len(row) > column and row[column].strip()]


#: What a batch file may be called (scanners write .txt, .csv or .dat; phone apps .csv).
BATCH_SUFFIXES = (".txt", ".csv", ".dat")


@dataclass(frozen=True)
class BatchFile:
    """A file of codes found on a USB stick."""

    path: Path
    size: int
    modified: float

    @property
    def name(self) -> str:
        """The file's name."""
        return self.path.name


def find_batch_files(folders, depth: int = 3, limit: int = 12) -> list[BatchFile]:
    """Batch files under ``folders`` (at most ``depth`` levels down: /media/<user>/<stick>/
    file.txt), newest first, at most ``limit``; hidden folders and unreadable ones skipped."""
    found: list[BatchFile] = []

    def walk(folder: Path, level: int) -> None:
        try:
            entries = list(folder.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    if level < depth:
                        walk(entry, level + 1)
                elif entry.suffix.lower() in BATCH_SUFFIXES and entry.is_file():
                    info = entry.stat()
                    if 0 < info.st_size <= MAX_FILE_BYTES:
                        found.append(BatchFile(entry, info.st_size, info.st_mtime))
            except OSError:
                continue

    for folder in folders:
        walk(Path(folder), 1)
    found.sort(key=lambda f: (-f.modified, str(f.path)))
    return found[:limit]


class StocktakeService(Service):
    """Open, feed, follow and finish stock-takes."""

    # -- opening -----------------------------------------------------------------------------
    @guarded
    def start(self, staff_code: str, kind: str, store: str = "", room: str = "",
              shelf: str = "", committee: list[tuple[str, str]] = (), note: str = ""
              ) -> Outcome:
        """Open a stock-take of a store (books), a room (equipment) or a shelf."""
        if kind not in ("book", "equipment"):
            return refuse("bad_stocktake_kind", kind=kind)
        members = [{"name": nfc(name).strip(), "role": nfc(role).strip()}
                   for name, role in committee if nfc(name).strip()]
        with self.action(staff_code, prefix=REF_STOCKTAKE, records=False) as act:
            staff = require_staff(staff_code)
            if not members:
                members = [{"name": staff.name, "role": ""}]
            take_id = stocktakes.insert(
                uid=uuid7(), ref=act.ref, kind=kind, store=nfc(store).strip().upper(),
                room=nfc(room).strip(), shelf=nfc(shelf).strip(), committee=members,
                note=" ".join(nfc(note).split()), at=act.who.at, opened_by=staff_code)
            act.journal("stocktake_start", entity="stocktake", entity_key=act.ref,
                        after={"kind": kind, "store": store, "room": room, "shelf": shelf,
                               "committee": members})
        return done("stocktake_started", ref=act.ref, stocktake_id=take_id,
                    scope=self.scope_label(stocktakes.by_id(take_id)))

    def scope_label(self, take: StocktakeRow) -> str:
        """"Kho TK", "Phòng thí nghiệm", "Kho GK, kệ 8"... for screens and the biên bản."""
        from kiosk.i18n import t
        if take.kind == "book":
            where = t("stocktake.scope_store", store=take.store) if take.store else \
                t("stocktake.scope_all_books")
            return where + (t("stocktake.scope_shelf", shelf=take.shelf) if take.shelf else "")
        return t("stocktake.scope_room", room=take.room) if take.room else \
            t("stocktake.scope_all_equipment")

    def session(self, ref_or_id) -> StocktakeRow | None:
        """A stock-take by its reference or id."""
        if isinstance(ref_or_id, int) or str(ref_or_id).isdigit():
            return stocktakes.by_id(int(ref_or_id))
        return stocktakes.by_ref(str(ref_or_id).strip().upper())

    def open_sessions(self) -> list[StocktakeRow]:
        """Stock-takes still open."""
        return stocktakes.open_sessions()

    def _open(self, stocktake_id: int) -> StocktakeRow:
        take = stocktakes.by_id(stocktake_id)
        if take is None:
            raise Refused(refuse("no_such_stocktake"))
        if take.state != STOCKTAKE_OPEN:
            raise Refused(refuse("stocktake_closed", ref=take.ref))
        return take

    # -- feeding it --------------------------------------------------------------------------
    def _classify(self, take: StocktakeRow, codes: list[str], seen: set[str]) -> list[tuple]:
        """``(code, result, copy_id, item_id, damaged)`` for each code, in order."""
        expected = stocktakes.scope_codes(take)
        elsewhere = stocktakes.places_of([c for c in set(codes) if c not in expected])
        rows = []
        for code in codes:
            if code in seen:
                rows.append((code, SCAN_DUPLICATE, None, None, False))
                continue
            seen.add(code)
            entry = expected.get(code)
            if entry is not None:
                kind, row_id = entry
                rows.append((code, SCAN_FOUND, row_id if kind == "copy" else None,
                             row_id if kind == "item" else None, False))
            elif code in elsewhere:
                kind, row_id, _ = elsewhere[code]
                rows.append((code, SCAN_MISPLACED, row_id if kind == "copy" else None,
                             row_id if kind == "item" else None, False))
            else:
                rows.append((code, SCAN_UNKNOWN, None, None, False))
        return rows

    @guarded
    def scan(self, stocktake_id: int, code: str, staff_code: str = "",
             damaged: bool = False) -> Outcome:
        """One code scanned at the kiosk (``damaged``: seen, but broken)."""
        try:
            code = clean_code(code, self.config.codes.max_length)
        except InvalidCode:
            return refuse("invalid_code")
        with self.action(staff_code, prefix=REF_STOCKTAKE, records=False) as act:
            take = self._open(stocktake_id)
            act.ref = take.ref
            [row] = self._classify(take, [code], stocktakes.seen_codes(take.id))
            if damaged and row[1] == SCAN_FOUND:
                row = (*row[:4], True)
            stocktakes.insert_scans(take.id, [row], act.who.at)
            act.journal("stocktake_scan", entity="stocktake", entity_key=take.ref,
                        after={"code": code, "result": row[1], "damaged": damaged})
        return done(f"stocktake_{row[1]}", code=code)

    @guarded
    def load(self, stocktake_id: int, source: Path | bytes, name: str = "",
             staff_code: str = "") -> Outcome:
        """Load the codes of a batch file (a wireless scanner's inventory mode, a phone app):
        all of them in one action, or none. A file already loaded is refused."""
        if isinstance(source, (str, Path)):
            path = Path(source)
            name = name or path.name
            try:
                if path.stat().st_size > MAX_FILE_BYTES:
                    return refuse("file_too_big", limit_mb=MAX_FILE_BYTES // 2 ** 20)
                data = path.read_bytes()
            except OSError as exc:
                return refuse("file_unreadable", name=name, error=exc.strerror or str(exc))
        else:
            data = source
            if len(data) > MAX_FILE_BYTES:
                return refuse("file_too_big", limit_mb=MAX_FILE_BYTES // 2 ** 20)
        if b"\x00" in data[:4096]:
            return refuse("file_not_codes", name=name)
        raw_codes = read_codes(data)
        codes, bad = [], 0
        longest = self.config.codes.max_length
        for raw in raw_codes:
            if raw.isascii() and raw.isprintable() and len(raw) <= longest:
                codes.append(raw)  # already clean: what clean_code would return
                continue
            try:
                codes.append(clean_code(raw, longest))
            except InvalidCode:
                bad += 1
        if not codes:
            return refuse("file_no_codes", name=name)
        digest = hashlib.sha256(data).hexdigest()
        with self.action(staff_code, prefix=REF_STOCKTAKE, records=False) as act:
            take = self._open(stocktake_id)
            act.ref = take.ref
            load_id = stocktakes.insert_load(take.id, name=name, digest=digest,
                                             codes=len(codes), at=act.who.at)
            if load_id is None:
                raise Refused(refuse("file_already_loaded", name=name))
            rows = self._classify(take, codes, stocktakes.seen_codes(take.id))
            stocktakes.insert_scans(take.id, rows, act.who.at, load_id)
            tally = {result: sum(1 for r in rows if r[1] == result)
                     for result in (SCAN_FOUND, SCAN_MISPLACED, SCAN_UNKNOWN, SCAN_DUPLICATE)}
            act.journal("stocktake_load", entity="stocktake", entity_key=take.ref,
                        after={"file": name, "codes": len(codes), "sha256": digest, **tally})
        return done("stocktake_loaded", name=name, count=len(codes), bad=bad,
                    found=tally[SCAN_FOUND], misplaced=tally[SCAN_MISPLACED],
                    unknown=tally[SCAN_UNKNOWN], duplicates=tally[SCAN_DUPLICATE])

    @guarded
    def count(self, stocktake_id: int, type_code: str, good: int, damaged: int = 0,
              staff_code: str = "") -> Outcome:
        """Pieces of one kind of counted stock counted in the room (good and damaged)."""
        if good < 0 or damaged < 0:
            return refuse("quantity_invalid")
        with self.action(staff_code, prefix=REF_STOCKTAKE, records=False) as act:
            take = self._open(stocktake_id)
            act.ref = take.ref
            kind = next((k for k in stocktakes.counted_scope(take)
                         if k.code == nfc(type_code).strip().upper()), None)
            if kind is None:
                raise Refused(refuse("not_in_stocktake", code=type_code))
            if good + damaged > kind.on_hand + kind.damaged + kind.missing:
                raise Refused(refuse("count_above_register", name=kind.name,
                                     most=kind.on_hand + kind.damaged + kind.missing))
            stocktakes.set_count(take.id, kind.id, good, damaged, act.who.at)
            act.journal("stocktake_count", entity="stocktake", entity_key=take.ref,
                        after={"code": kind.code, "good": good, "damaged": damaged})
        return done("stocktake_counted", name=kind.name, good=good, damaged=damaged)

    # -- following it ------------------------------------------------------------------------
    def progress(self, stocktake_id: int) -> Progress | None:
        """The six lists as they stand now."""
        take = stocktakes.by_id(stocktake_id)
        if take is None:
            return None
        scope = stocktakes.scope(take)
        scans = stocktakes.scans(take.id)
        seen = {s.code: s for s in scans if s.result == SCAN_FOUND}
        found = [e for e in scope if e.code in seen]
        rest = [e for e in scope if e.code not in seen]
        counts = stocktakes.counts(take.id)
        return Progress(
            take=take, expected=len(scope), found=found,
            on_loan=[e for e in rest if e.status == ON_LOAN],
            not_seen=[e for e in rest if e.status != ON_LOAN],
            misplaced=[s.code for s in scans if s.result == SCAN_MISPLACED],
            unknown=[s.code for s in scans if s.result == SCAN_UNKNOWN],
            duplicates=sum(1 for s in scans if s.result == SCAN_DUPLICATE),
            damaged=sum(1 for s in scans if s.damaged),
            counted=[(k, counts.get(k.id)) for k in stocktakes.counted_scope(take)],
            loads=stocktakes.loads(take.id))

    # -- finishing it ------------------------------------------------------------------------
    @guarded
    def finish(self, stocktake_id: int, staff_code: str,
               confirm: tuple[str, ...] = CORRECTIONS) -> Outcome:
        """Give every item its status and apply the confirmed corrections (``missing``: items
        not seen become lost, pieces not counted go missing; ``found``: lost items seen are
        lendable again; ``damaged``: items seen broken are kept apart; ``counts``: counted stock
        takes the counted figures), all in one transaction."""
        unknown = set(confirm) - set(CORRECTIONS)
        if unknown:
            return refuse("bad_correction", what=", ".join(sorted(unknown)))
        with self.action(staff_code, prefix=REF_STOCKTAKE, records=False) as act:
            require_staff(staff_code)
            take = self._open(stocktake_id)
            now = act.who.at
            scans = stocktakes.scans(take.id)
            seen = {s.code: s for s in scans if s.result == SCAN_FOUND}
            results, changed = [], []
            for entry in stocktakes.scope(take):
                status = self._status(act, take, entry, seen.get(entry.code), confirm, changed)
                results.append((entry.id if entry.kind == "copy" else None,
                                entry.id if entry.kind == "item" else None, None, status, 1,
                                entry.unit_value))
            counts = stocktakes.counts(take.id)
            for kind in stocktakes.counted_scope(take):
                results += self._counted(act, kind, counts.get(kind.id), confirm, changed)
            stocktakes.insert_results(take.id, results)
            if not stocktakes.set_finished(take.id, now, act.ref):
                raise Refused(refuse("stocktake_closed", ref=take.ref))
            for ids in changed:
                act.record(ITEM_UPDATED, {**item_state(self, ids), "stocktake_ref": take.ref})
            totals = stocktakes.status_totals(take.id)
            act.journal("stocktake_finish", entity="stocktake", entity_key=take.ref,
                        after={"totals": {k: v[0] for k, v in totals.items()},
                               "confirmed": sorted(confirm), "corrected": len(changed)})
        pieces = {status: totals.get(status, (0, 0))[0] for status in
                  (ST_OK, ST_MISSING, ST_DAMAGED, ST_LOST, ST_UNCHECKED)}
        return done("stocktake_finished", ref=take.ref, corrected=len(changed), **pieces)

    def _status(self, act, take, entry: ScopeEntry, scan, confirm, changed) -> str:
        """One copy's or item's status at the end, and its correction if confirmed."""
        now = act.who.at
        ids = (entry.id, None, None) if entry.kind == "copy" else (None, entry.id, None)
        set_status = catalogue.set_copy_status if entry.kind == "copy" \
            else equipment.set_item_status
        key = {"copy_id": entry.id} if entry.kind == "copy" else {"item_id": entry.id}
        if scan is not None:
            if entry.status == LOST and "found" in confirm:
                set_status(entry.id, AVAILABLE, now, expected=LOST)
                for incident in incidents.open_of(**key):
                    incidents.resolve(incident.id, incident.open_quantity, resolution=FOUND,
                                      at=now, ref=act.ref)
                changed.append(ids)
            if scan.damaged or entry.status == DAMAGED:
                if scan.damaged and entry.status != DAMAGED and "damaged" in confirm:
                    set_status(entry.id, DAMAGED, now, expected=entry.status,
                               condition="damaged")
                    incidents.insert(uid=uuid7(), kind=INCIDENT_DAMAGED, quantity=1,
                                     ref=act.ref, at=now, unit_value=entry.unit_value,
                                     note=take.ref, **key)
                    changed.append(ids)
                return ST_DAMAGED
            return ST_OK
        if entry.status == ON_LOAN:
            return ST_OK
        if entry.status == LOST:
            return ST_LOST
        if "missing" not in confirm:
            return ST_UNCHECKED
        set_status(entry.id, LOST, now, expected=entry.status)
        incidents.insert(uid=uuid7(), kind=INCIDENT_MISSING, quantity=1, ref=act.ref, at=now,
                         unit_value=entry.unit_value, note=take.ref, **key)
        changed.append(ids)
        return ST_MISSING

    def _counted(self, act, kind, counted, confirm, changed) -> list[tuple]:
        """Result rows of one kind of counted stock, and its new counts if confirmed."""
        def row(status, quantity):
            return (None, None, kind.id, status, quantity, kind.unit_value)

        rows = [row(ST_OK, kind.on_loan)] if kind.on_loan else []
        if counted is None:
            here = kind.on_hand + kind.damaged
            rows += [row(ST_UNCHECKED, here)] if here else []
            return rows + ([row(ST_LOST, kind.missing)] if kind.missing else [])
        good, damaged = counted
        here = kind.on_hand + kind.damaged
        found_back = min(max(0, good + damaged - here), kind.missing)
        short = max(0, here - good - damaged)
        lost = kind.missing - found_back
        for status, quantity in ((ST_OK, good), (ST_DAMAGED, damaged), (ST_MISSING, short),
                                 (ST_LOST, lost)):
            if quantity:
                rows.append(row(status, quantity))
        if "counts" in confirm and (good, damaged, lost + short) != (
                kind.on_hand, kind.damaged, kind.missing):
            equipment.set_stock_counts(kind.id, on_hand=good, damaged=damaged,
                                       missing=lost + short, at=act.who.at)
            if short:
                incidents.insert(uid=uuid7(), kind=INCIDENT_MISSING, quantity=short,
                                 ref=act.ref, at=act.who.at, equipment_type_id=kind.id,
                                 unit_value=kind.unit_value, note=act.ref)
            if damaged > kind.damaged:  # found broken in the room: staff repair or write off
                incidents.insert(uid=uuid7(), kind=INCIDENT_DAMAGED,
                                 quantity=damaged - kind.damaged, ref=act.ref, at=act.who.at,
                                 equipment_type_id=kind.id, unit_value=kind.unit_value,
                                 note=act.ref)
            changed.append((None, None, kind.id))
        return rows
