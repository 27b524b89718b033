"""Time for the kiosk: one injectable clock, Vietnam time for people, UTC in the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Clocks drift and NTP steps them; only a jump further back than this counts as a wrong clock.
_CLOCK_SLACK = timedelta(minutes=5)


def system_now() -> datetime:
    """The system clock as an aware UTC datetime."""
    return datetime.now(timezone.utc)


@dataclass
class Clock:
    """Gives aware 'now' and converts between stored UTC and local time.

    A Raspberry Pi has no battery clock: after a power cut without network it may start in the
    past. ``now()`` therefore never goes back before ``floor`` (the newest time already recorded,
    set at start-up, then moving with each call) and raises ``suspect`` so staff can be told.
    """

    now_fn: Callable[[], datetime] = system_now
    tz: ZoneInfo = VIETNAM
    floor: datetime | None = None
    suspect: bool = False
    #: Why it is suspect: behind_journal | not_synchronised (see kiosk.clock_trust).
    reason: str | None = None

    def now(self) -> datetime:
        """Aware UTC now, never earlier than the newest time already seen."""
        moment = self.now_fn().astimezone(timezone.utc)
        if self.floor is not None and moment < self.floor - _CLOCK_SLACK:
            self.suspect = True
            self.reason = "behind_journal"
            return self.floor
        self.floor = moment if self.floor is None else max(self.floor, moment)
        return moment

    def never_before(self, recorded: datetime | None) -> None:
        """Tell the clock the newest time already recorded (naive UTC, from the database)."""
        if recorded is None:
            return
        recorded = recorded.replace(tzinfo=timezone.utc)
        if self.floor is None or recorded > self.floor:
            self.floor = recorded

    def local_now(self) -> datetime:
        """Aware local now."""
        return self.now().astimezone(self.tz)

    def today(self) -> date:
        """The local date."""
        return self.local_now().date()

    def db_now(self) -> datetime:
        """Naive UTC now, the form stored in the database."""
        return self.now().replace(tzinfo=None)

    def to_local(self, stored: datetime | None) -> datetime | None:
        """A stored naive-UTC datetime as an aware local one."""
        if stored is None:
            return None
        return stored.replace(tzinfo=timezone.utc).astimezone(self.tz)

    def iso_local(self, stored: datetime | None = None) -> str:
        """ISO 8601 with the local offset, e.g. ``2026-11-26T14:03:00+07:00``."""
        moment = self.to_local(stored) if stored is not None else self.local_now()
        return moment.isoformat(timespec="seconds")

    def local_day_bounds(self, day: date) -> tuple[datetime, datetime]:
        """Naive UTC [start, end) of a local day, for range queries on stored times."""
        start = datetime.combine(day, datetime.min.time(), tzinfo=self.tz)
        end = datetime.combine(date.fromordinal(day.toordinal() + 1), datetime.min.time(),
                               tzinfo=self.tz)
        return (start.astimezone(timezone.utc).replace(tzinfo=None),
                end.astimezone(timezone.utc).replace(tzinfo=None))


def format_date(day: date | None) -> str:
    """dd/mm/yyyy, the way Vietnamese schools write dates."""
    return day.strftime("%d/%m/%Y") if day else ""


def parse_date(text: str) -> date:
    """Parse dd/mm/yyyy (also d/m/yyyy and yyyy-mm-dd); ValueError when it is neither."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date (dd/mm/yyyy): {text!r}")
