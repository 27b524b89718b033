"""The kiosk's one TOML config file, read into typed, validated, frozen objects.

Every value has a default except the school's identity. A bad value raises :class:`ConfigError`
whose message is one line naming the file and the key. The file is found from ``--config``,
then the ``KIOSK_CONFIG`` environment variable.
"""
from __future__ import annotations

import dataclasses
import difflib
import os
import re
import socket
import tomllib
import types
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Literal, Union, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from devices.settings import ScannerSettings
from kiosk.errors import KioskError
from kiosk.i18n import t
from printers.settings import PrinterSettings


class ConfigError(KioskError):
    """The config file is missing, unreadable, or holds a bad value."""


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "school-kiosk"


@dataclass(frozen=True)
class SchoolConfig:
    """Who this kiosk belongs to."""

    code: str
    name: str
    #: This kiosk's id in journal entries and provincial records; default the host name.
    kiosk_id: str = field(default_factory=socket.gethostname)
    kiosk_name: str = "Ki-ốt thư viện"
    #: The place written before the date on printed forms ("Hưng Yên, ngày ... ").
    place: str = ""
    #: The body above the school in an official header ("PHÒNG GD&ĐT THÀNH PHỐ HƯNG YÊN").
    authority: str = ""


@dataclass(frozen=True)
class DatabaseConfig:
    """Where the data lives: an SQLite file beside one kiosk (``path``), or a PostgreSQL server
    the school's kiosks share (``url``, e.g. ``postgresql://kiosk@10.0.0.2:5432/school``).

    The server's password is never written here: it is read from ``password_file`` (readable
    by the kiosk's user only) or from the user's ``~/.pgpass``.
    """

    path: str = str(_default_data_dir() / "kiosk.sqlite3")
    url: str = ""
    password_file: str = ""
    connect_timeout_s: float = 3.0
    busy_timeout_ms: int = 5000
    backup_dir: str = ""

    @property
    def on_server(self) -> bool:
        """True when the kiosks share a PostgreSQL server (``url`` is set)."""
        return bool(self.url)


@dataclass(frozen=True)
class LocaleConfig:
    """Language and time zone (the kiosk's clock shows and counts days in it)."""

    lang: Literal["vi", "en"] = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class PatronRules:
    """Loan rules for one kind of patron."""

    max_books: int = 3
    book_loan_days: int = 14
    max_equipment_items: int = 20
    may_borrow_equipment: bool = False
    max_renewals: int = 1


@dataclass(frozen=True)
class LoanRules:
    """Circulation rules; per patron kind, plus the school-wide ones."""

    student: PatronRules = field(default_factory=PatronRules)
    teacher: PatronRules = field(default_factory=lambda: PatronRules(
        max_books=10, book_loan_days=30, may_borrow_equipment=True, max_renewals=2))
    staff: PatronRules = field(default_factory=lambda: PatronRules(
        max_books=10, book_loan_days=30, may_borrow_equipment=True, max_renewals=2))
    #: A student holding an overdue book may not borrow more.
    block_students_with_overdue: bool = True
    #: Weekdays the library is closed (0 = Monday ... 6 = Sunday); due dates skip them.
    closed_weekdays: list[int] = field(default_factory=lambda: [6])
    #: Days a long-term equipment loan runs when no end is given.
    long_term_equipment_days: int = 140
    #: How many minutes before its period a booking (đặt trước) is collected by the card alone.
    booking_collect_minutes: int = 60
    #: How many days ahead a teacher may book equipment.
    booking_days_ahead: int = 30
    #: Where a renewal counts its loan length from: ``today`` (a renewal that would not move
    #: the due date is refused, saying from when it would), or ``due`` (the current due date,
    #: or today once that has passed: every renewal moves it).
    renew_from: Literal["due", "today"] = "today"


@dataclass(frozen=True)
class CodePatterns:
    """Regular expressions that say what kind of thing a scanned code is (full match)."""

    student: str = r"\d{8,12}"
    teacher: str = r"GV\d{3,6}"
    staff: str = r"CB\d{3,6}"
    book_copy: str = r"(GK|TK|NV|TN)\.\d{5}"
    equipment_item: str = r"TB\.[A-Z0-9]{2,10}\.\d{3,5}"
    isbn: str = r"97[89]\d{10}|\d{9}[\dX]"
    max_length: int = 64
    #: How new equipment is coded: a labelled item ``TB.<môn><lớp>.<nnn>`` (TB.KHTN6.001) and
    #: a kind of equipment ``<môn><lớp>.<chữ đầu tên>`` (KHTN6.ON for "Ống nghiệm"). Fields:
    #: {subject} (the subject's code), {grade}, {n} (the next number), {abbr} (initials).
    equipment_item_scheme: str = "TB.{subject}{grade}.{n:03d}"
    equipment_type_scheme: str = "{subject}{grade}.{abbr}"


@dataclass(frozen=True)
class SyncConfig:
    """The push to the provincial systems."""

    url: str = ""
    token_file: str = ""
    batch_size: int = 200
    interval_s: float = 30.0
    timeout_s: float = 20.0
    max_backoff_s: float = 900.0
    #: First retry delay after a failed push; doubles on each failure up to ``max_backoff_s``.
    base_backoff_s: float = 5.0
    #: Which connector pushes the records; ``http`` speaks docs/provincial-sync.md, version 1.
    connector: Literal["http"] = "http"


@dataclass(frozen=True)
class UiConfig:
    """The touchscreen."""

    fullscreen: bool = True
    width: int = 800
    height: int = 480
    idle_timeout_s: float = 30.0
    pin_attempts: int = 5
    pin_lock_minutes: int = 5
    sounds: bool = True
    #: Spoken prompts for the main steps of a student's borrowing (with ``sounds``).
    speech: bool = True
    #: Period buttons when the school has not entered its periods (1..periods).
    periods: int = 5
    #: Telex tone placement: classic (hóa, thủy) or modern (hoá, thuỷ).
    telex_modern: bool = False
    #: Seconds of touch inactivity on the staff screens before signing out.
    staff_idle_timeout_s: float = 120.0


@dataclass(frozen=True)
class ReportsConfig:
    """Reports, registers and exports."""

    #: Where reports and registers go when no ``--out`` is given (default: the data folder's
    #: ``exports``); never the current directory.
    export_dir: str = ""
    #: "Mục đích" written for a lesson whose teacher picked none.
    default_purpose: str = "Dạy trên lớp"
    #: The home screen shows this month's classes that read the most and the newest titles.
    reading_board: bool = False
    #: ... and names the students who read the most (off: never a child's name).
    reading_board_names: bool = False

    def export_folder(self, config: "Config") -> Path:
        """The folder exports go to without ``--out``."""
        return config.resolve(self.export_dir) if self.export_dir else (
            _default_data_dir() / "exports")


@dataclass(frozen=True)
class StocktakeConfig:
    """Stock-takes (kiểm kê)."""

    #: Where the staff screen looks for a scanner's batch files (one code a line, or CSV): the
    #: folders USB sticks are mounted under, searched three levels down.
    batch_dirs: list[str] = field(default_factory=lambda: ["/media", "/run/media", "/mnt"])


@dataclass(frozen=True)
class PinConfig:
    """Staff PINs: hashes keyed with a secret outside the database."""

    #: The key file (made by the install, 0600); relative to this config file's folder.
    key_file: str = "pin.key"
    #: Digits a new PIN must have; shorter existing PINs still work and are asked to change.
    length: int = 6


@dataclass(frozen=True)
class BackupConfig:
    """Nightly backups (into ``[database] backup_dir``) and where copies go."""

    #: How many to keep: the newest of each of the last N days, ISO weeks and months.
    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    #: The label of a USB stick (FAT32 or exFAT) that receives a copy when plugged in.
    usb_label: str = "KIOSKBACKUP"
    #: A mounted school file share (a folder) that receives a copy of each nightly backup.
    share_dir: str = ""


@dataclass(frozen=True)
class DisplayConfig:
    """The panel: rotation of the picture and how touches are read and calibrated."""

    #: Degrees clockwise the picture is turned (the panel mounted upside down: 180).
    rotation: Literal[0, 90, 180, 270] = 0
    #: system: touches through the compositor (SDL); hidinput or mtdev: Kivy reads the
    #: touch device itself, with the calibration below.
    touch: Literal["system", "hidinput", "mtdev"] = "system"
    touch_device: str = ""
    touch_invert_x: bool = False
    touch_invert_y: bool = False
    #: The touch axes turned against the picture (degrees), for panels wired crosswise.
    touch_rotation: Literal[0, 90, 180, 270] = 0
    #: The raw range the panel reports (0 and 0: the device's own); from evtest's min/max.
    touch_min_x: int = 0
    touch_max_x: int = 0
    touch_min_y: int = 0
    touch_max_y: int = 0


@dataclass(frozen=True)
class ImportLimits:
    """How big a file ``kiosk import`` accepts (a school's lists are a few thousand rows)."""

    #: Data rows in one file; a longer one is refused (nothing imported) with this number.
    max_rows: int = 200_000
    #: The file's size on disk.
    max_file_mb: int = 50
    #: What a workbook (.xlsx, a zip) may unpack to: a few MB can hide gigabytes.
    max_unpacked_mb: int = 200


@dataclass(frozen=True)
class Config:
    """The whole config file."""

    school: SchoolConfig
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    locale: LocaleConfig = field(default_factory=LocaleConfig)
    loans: LoanRules = field(default_factory=LoanRules)
    codes: CodePatterns = field(default_factory=CodePatterns)
    scanner: list[ScannerSettings] = field(default_factory=lambda: [ScannerSettings()])
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    sync: SyncConfig = field(default_factory=SyncConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    reports: ReportsConfig = field(default_factory=ReportsConfig)
    stocktake: StocktakeConfig = field(default_factory=StocktakeConfig)
    pins: PinConfig = field(default_factory=PinConfig)
    backup: BackupConfig = field(default_factory=BackupConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    imports: ImportLimits = field(default_factory=ImportLimits)
    #: The file this was read from (None when built in code).
    source: str | None = None

    def resolve(self, path: str) -> Path:
        """A path from the config, relative paths taken from the config file's folder."""
        candidate = Path(path).expanduser()
        if candidate.is_absolute() or not self.source:
            return candidate
        return Path(self.source).resolve().parent / candidate


def find_config_path(explicit: str | None = None) -> Path:
    """The config file named by ``--config`` or ``KIOSK_CONFIG``."""
    value = explicit or os.environ.get("KIOSK_CONFIG")
    if not value:
        raise ConfigError(t("config.no_file"))
    return Path(value)


def load_config(path: str | os.PathLike) -> Config:
    """Read and validate a config file."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(t("config.not_found", path=path)) from None
    except OSError as exc:
        raise ConfigError(t("config.cannot_read", path=path, error=exc.strerror)) from None
    except UnicodeDecodeError:
        raise ConfigError(t("config.not_utf8", path=path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(t("config.not_toml", path=path, error=exc)) from None
    return config_from_dict(raw, source=str(path))


class _Problems:
    """Every problem found in one file, each as "file: key: what is wrong"."""

    def __init__(self, where: str):
        self.where = where
        self.lines: list[str] = []

    def add(self, key: str, what: str) -> None:
        self.lines.append(f"{self.where}: {key}: {what}" if key else f"{self.where}: {what}")


def config_from_dict(raw: dict, source: str | None = None) -> Config:
    """Build and validate a :class:`Config` from a parsed TOML table. Every problem of the file
    is reported at once (one line each) in the :class:`ConfigError`."""
    problems = _Problems(source or "<config>")
    raw = dict(raw)
    if "scanner" in raw and isinstance(raw["scanner"], dict):
        raw["scanner"] = [raw["scanner"]]
    config = _build(Config, raw, "", problems)
    if config is not _BROKEN:
        config = dataclasses.replace(config, source=source)
        _check(config, problems)
    if problems.lines:
        error = ConfigError("\n".join(problems.lines))
        error.problems = list(problems.lines)
        raise error
    return config


def _build(cls, raw, prefix: str, problems: _Problems):
    if not isinstance(raw, dict):
        problems.add(f"[{prefix}]", t("config.must_be_table"))
        return _BROKEN
    hints = get_type_hints(cls)
    known = [f.name for f in fields(cls) if f.name != "source"]
    for key in raw:
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1)
            problems.add(_key(prefix, key), t("config.unknown_key_near", near=_key(prefix, near[0]))
                         if near else t("config.unknown_key"))
    values = {}
    complete = True
    for f in fields(cls):
        if f.name == "source":
            continue
        if f.name in raw:
            try:
                value = _convert(hints[f.name], raw[f.name], _key(prefix, f.name), problems)
            except ConfigError as exc:
                problems.add(_key(prefix, f.name), str(exc))
                value = _BROKEN
            if value is _BROKEN:
                # Reported already; the default stands in so the checks that follow still
                # find the file's other problems (the config itself is never used).
                has_default = f.default is not MISSING or f.default_factory is not MISSING
                complete = complete and has_default
                continue
            values[f.name] = value
        elif f.default is MISSING and f.default_factory is MISSING:
            problems.add(_key(prefix, f.name), t("config.required"))
            complete = False
    return cls(**values) if complete else _BROKEN


#: A table that had problems: already reported, skipped by the checks that follow.
_BROKEN = object()


def _key(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _convert(hint, value, key: str, problems: _Problems):
    """``value`` as ``hint``; raises ConfigError (a plain "what is wrong") for a leaf value,
    reports nested tables' problems itself."""
    origin = get_origin(hint)
    if is_dataclass(hint):
        return _build(hint, value, key, problems)
    if origin is Literal:
        allowed = get_args(hint)
        if value not in allowed or isinstance(value, bool) != any(isinstance(a, bool)
                                                                  for a in allowed):
            raise ConfigError(t("config.must_be_one_of", allowed=", ".join(map(repr, allowed)),
                                value=repr(value)))
        return value
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if value is None and type(None) in get_args(hint):
            return None
        for option in options:
            try:
                return _convert(option, value, key, problems)
            except ConfigError:
                continue
        names = " or ".join(getattr(o, "__name__", str(o)) for o in options)
        raise ConfigError(t("config.must_be_type", type=names, value=repr(value)))
    if origin is list:
        (item_type,) = get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(t("config.must_be_list", value=repr(value)))
        items = []
        for i, item in enumerate(value):
            try:
                converted = _convert(item_type, item, f"{key}[{i}]", problems)
            except ConfigError as exc:
                problems.add(f"{key}[{i}]", str(exc))
                return _BROKEN
            if converted is _BROKEN:
                return _BROKEN
            items.append(converted)
        return items
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(t("config.must_be_bool", value=repr(value)))
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(t("config.must_be_int", value=repr(value)))
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(t("config.must_be_number", value=repr(value)))
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(t("config.must_be_text", value=repr(value)))
        return value
    raise ConfigError(t("config.unsupported", value=repr(value)))


def _check(config: Config, problems: _Problems) -> None:
    """Rules across values that a type cannot say; each room checks its own settings."""
    add = problems.add
    if not config.school.code.strip():
        add("school.code", t("config.not_empty"))
    if not config.school.name.strip():
        add("school.name", t("config.not_empty"))
    for kind in ("student", "teacher", "staff"):
        rules: PatronRules = getattr(config.loans, kind)
        for name in ("max_books", "book_loan_days", "max_equipment_items", "max_renewals"):
            if getattr(rules, name) < 0:
                add(f"loans.{kind}.{name}", t("config.not_negative"))
        if rules.book_loan_days < 1:
            add(f"loans.{kind}.book_loan_days", t("config.at_least", minimum=1))
    for day in config.loans.closed_weekdays:
        if not 0 <= day <= 6:
            add("loans.closed_weekdays", t("config.not_a_weekday", day=day))
    if len(set(config.loans.closed_weekdays)) == 7:
        add("loans.closed_weekdays", t("config.every_day_closed"))
    for name, fields_used in (("equipment_item_scheme", ("subject", "grade", "n")),
                              ("equipment_type_scheme", ("subject", "grade", "abbr"))):
        try:
            getattr(config.codes, name).format(subject="KHTN", grade="6", n=1, abbr="ON")
        except (KeyError, IndexError, ValueError) as exc:
            add(f"codes.{name}", t("config.bad_scheme", error=exc))
    if "{n" not in config.codes.equipment_item_scheme:
        add("codes.equipment_item_scheme", t("config.scheme_needs_number"))
    for f in fields(CodePatterns):
        if f.name in ("max_length", "equipment_item_scheme", "equipment_type_scheme"):
            continue
        try:
            re.compile(getattr(config.codes, f.name))
        except re.error as exc:
            add(f"codes.{f.name}", t("config.bad_pattern", error=exc))
    try:
        ZoneInfo(config.locale.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        add("locale.timezone", t("config.bad_timezone", value=config.locale.timezone))
    if not 1 <= config.codes.max_length <= 512:
        add("codes.max_length", t("config.between", low=1, high=512))
    if config.database.busy_timeout_ms < 0:
        add("database.busy_timeout_ms", t("config.not_negative"))
    for key, what in database_problems(config.database):
        add(f"database.{key}", what)
    for i, scanner in enumerate(config.scanner):
        for key, reason, values in scanner.problems():
            add(f"scanner[{i}].{key}" if key else f"scanner[{i}]",
                t(f"config.{reason}", **values))
    for key, reason in config.printer.problems():
        add(f"printer.{key}", t(f"config.printer_{reason}"))
    if config.sync.batch_size < 1:
        add("sync.batch_size", t("config.at_least", minimum=1))
    if config.sync.url and not re.match(r"https?://", config.sync.url):
        add("sync.url", t("config.http_url"))
    for name in ("interval_s", "timeout_s", "max_backoff_s", "base_backoff_s"):
        if getattr(config.sync, name) <= 0:
            add(f"sync.{name}", t("config.positive"))
    if config.sync.base_backoff_s > config.sync.max_backoff_s:
        add("sync.base_backoff_s", t("config.not_above", other="sync.max_backoff_s"))
    if config.ui.idle_timeout_s <= 0:
        add("ui.idle_timeout_s", t("config.positive"))
    for name in ("max_rows", "max_file_mb", "max_unpacked_mb"):
        if getattr(config.imports, name) < 1:
            add(f"imports.{name}", t("config.at_least", minimum=1))
    _check_pi(config, add)


def _check_pi(config: Config, add) -> None:
    """PINs, backups and the display."""
    if not 4 <= config.pins.length <= 12:
        add("pins.length", t("config.between", low=4, high=12))
    for name in ("daily", "weekly", "monthly"):
        if getattr(config.backup, name) < 0:
            add(f"backup.{name}", t("config.not_negative"))
    if config.backup.daily < 1:
        add("backup.daily", t("config.keep_one_backup"))
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,11}", config.backup.usb_label):
        add("backup.usb_label", t("config.bad_usb_label"))
    display = config.display
    if display.touch != "system" and not display.touch_device:
        add("display.touch_device", t("config.touch_device_needed", touch=repr(display.touch)))
    if display.touch_max_x < display.touch_min_x or display.touch_max_y < display.touch_min_y:
        add("display.touch_max_x", t("config.touch_range"))


def database_problems(database: DatabaseConfig) -> list[tuple[str, str]]:
    """(key, what is wrong) for the ``[database]`` table; never repeats a password."""
    found = []
    if database.url:
        if not re.match(r"postgres(ql)?://", database.url):
            found.append(("url", t("config.db_url_scheme")))
        else:
            try:
                parts = urlsplit(database.url)
                has_password = parts.password is not None
                parts.port  # noqa: B018 - raises on a bad port
            except ValueError:
                found.append(("url", t("config.db_url_invalid")))
            else:
                if has_password:
                    found.append(("url", t("config.db_url_password")))
    elif database.password_file:
        found.append(("password_file", t("config.db_password_file_alone")))
    if not 2 <= database.connect_timeout_s <= 60:
        found.append(("connect_timeout_s", t("config.between", low=2, high=60)))
    return found
