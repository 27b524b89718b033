"""Can the kiosk trust its clock? A Pi 4 has no battery clock: after a power cut without network
it may start days in the past. The clock is suspect when it is behind the newest journal entry,
or when NTP has not synchronised it and no real-time clock set it at boot (a Pi 5's RTC, or a
DS3231 board). Then staff are told (status tab, home screen, ``kiosk db check``) and due dates
come from the last trusted time (:class:`kiosk.clock.Clock` never runs back before it).
"""
from __future__ import annotations

import ctypes
import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import Clock, system_now

log = logging.getLogger(__name__)

_TIME_ERROR = 5  # adjtimex(2): the kernel's clock is not synchronised (STA_UNSYNC)


@dataclass(frozen=True)
class ClockState:
    """What the system says about its clock."""

    synchronised: bool | None  # None: the kernel could not be asked
    rtc: bool


def ntp_synchronised() -> bool | None:
    """The kernel's own flag, which timesyncd/chrony clear once they have set the time
    (what ``timedatectl`` shows as "System clock synchronized")."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        timex = ctypes.create_string_buffer(512)  # struct timex, modes = 0: only read
        state = libc.adjtimex(timex)
    except (OSError, AttributeError):
        return None
    if state < 0:
        return None
    return state != _TIME_ERROR


def rtc_set_the_clock(sys_root: Path = Path("/sys")) -> bool:
    """True when a real-time clock is present and set the system time at boot."""
    for rtc in sorted((sys_root / "class" / "rtc").glob("rtc*")):
        try:
            if (rtc / "hctosys").read_text().strip() == "1":
                return True
        except OSError:
            continue
    return False


def system_clock_state() -> ClockState:
    """NTP and RTC, as this machine reports them."""
    return ClockState(synchronised=ntp_synchronised(), rtc=rtc_set_the_clock())


def check_at_start(clock: Clock, state: ClockState | None = None) -> str | None:
    """At the kiosk's start: mark ``clock`` suspect when it runs behind the journal, or when it is
    the system clock and neither NTP nor an RTC vouches for it. Returns the reason, or None."""
    clock.now()  # compares with the newest journal time (the floor), sets suspect when behind
    if not clock.suspect and clock.now_fn is system_now:
        state = state or system_clock_state()
        if state.synchronised is False and not state.rtc:
            clock.suspect, clock.reason = True, "not_synchronised"
    if clock.suspect:
        log.warning("the clock is suspect (%s); times start from %s", clock.reason, clock.floor)
    return clock.reason if clock.suspect else None


def clock_message(clock: Clock) -> str:
    """One sentence for staff about the clock, in the current language."""
    from kiosk.i18n import t

    if not clock.suspect:
        return t("clock.ok")
    at = clock.to_local(clock.floor.replace(tzinfo=None)) if clock.floor else clock.local_now()
    return t(f"clock.{clock.reason or 'behind_journal'}", at=at.strftime("%H:%M %d/%m/%Y"))
