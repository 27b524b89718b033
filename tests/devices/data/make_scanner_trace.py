"""How scanner_trace.json was made (kept for review; run from the checkout to rebuild it).

No USB scanner was at hand when the trace was written, so this synthesises what the kernel reports
for a HID keyboard-wedge scanner set to US layout, in the order and at the timing HARDWARE.md
measured: per character an MSC_SCAN, a key-down, a SYN_REPORT, the key-up 4 ms later, 8 ms between
characters (a few 16 ms gaps), shift pressed around capitals and symbols, Enter at the end.
Replace it with a trace recorded from a real scanner (``python -m devices.evdev_trace``).
"""
import json
from pathlib import Path

SHIFTED = {"!": 2, "@": 3, "#": 4, "$": 5, "%": 6, "^": 7, "&": 8, "*": 9, "(": 10, ")": 11,
           "_": 12, "+": 13, ":": 39, '"': 40, "~": 41, "|": 43, "<": 51, ">": 52, "?": 53}
PLAIN = {c: 2 + i for i, c in enumerate("1234567890-=")}
PLAIN.update({c: 16 + i for i, c in enumerate("qwertyuiop[]")})
PLAIN.update({c: 30 + i for i, c in enumerate("asdfghjkl;'`")})
PLAIN.update({c: 43 + i for i, c in enumerate("\\zxcvbnm,./")})
PLAIN.update({"\r": 28, "\t": 15, " ": 57})
USAGE = 0x70000  # HID usage page 7 (keyboard), the value of MSC_SCAN


def events_for(text, t_us, gap_us=8000):
    out = []
    for i, ch in enumerate(text):
        shift = ch.isupper() or ch in SHIFTED
        code = SHIFTED.get(ch) or PLAIN[ch.lower()]
        if shift:
            out += [(t_us, 4, 4, USAGE + 0xE1), (t_us, 1, 42, 1), (t_us, 0, 0, 0)]
            t_us += 1000
        out += [(t_us, 4, 4, USAGE + code), (t_us, 1, code, 1), (t_us, 0, 0, 0)]
        out += [(t_us + 4000, 4, 4, USAGE + code), (t_us + 4000, 1, code, 0),
                (t_us + 4000, 0, 0, 0)]
        if shift:
            out += [(t_us + 4500, 4, 4, USAGE + 0xE1), (t_us + 4500, 1, 42, 0),
                    (t_us + 4500, 0, 0, 0)]
        t_us += 16000 if i % 7 == 6 else gap_us
    return out, t_us


def main():
    rows = []
    t = 1_764_000_000 * 1_000_000
    for code in ("TK.00003\r", "9786041234567\r", "GV0012\r", "TB.KHTN6.001\r", "a-b_C:d?\r"):
        ev, t = events_for(code, t)
        rows += ev
        t += 400_000  # the person moves to the next label
    data = {"name": "Synthetic HID scanner (US layout)",
            "codes": ["TK.00003", "9786041234567", "GV0012", "TB.KHTN6.001", "a-b_C:d?"],
            "events": [[us // 1_000_000, us % 1_000_000, ty, co, va] for us, ty, co, va in rows]}
    Path(__file__).with_name("scanner_trace.json").write_text(json.dumps(data))


if __name__ == "__main__":
    main()
