"""Benchmark of the camera pipeline and the keyboard-wedge / serial latency.

Run from the checkout: ``.venv/bin/python bench/bench_scan.py`` (a few minutes on 2 cores;
``--frames 12`` for a quick look). Not run by CI.

Camera: ms per frame (median, one thread) and read rate at 640x480 and 1280x720 for

* ``baseline``        pyzbar, every symbology, the whole frame at full size;
* ``pipeline/zxing``  the kiosk's pipeline (grayscale, the 4 configured symbologies, frames
  wider than 640 px shrunk) with zxing-cpp;
* ``pipeline/pyzbar`` the same pipeline with pyzbar;

on (a) generated labels in the project's formats (Code 128 accession numbers, student and
teacher cards and equipment items, EAN-13 ISBNs, QR transaction refs) clean and under rotation,
blur, noise and low contrast, and (b) the real photos of ``../shared/corpus/zxing-samples``;
false reads are counted on its ``falsepositives-1`` folder (any code read there) and as wrong
texts on the generated frames.

Latency: from the last character of a scan to the ``ScanEvent``: the wedge decoder (the Enter key
fed to ``ScanEvent`` returned) and a serial scanner on a real pty (the terminator written to the
``on_scan`` call), p50 / p99.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from bench.labels import CONDITIONS, samples  # noqa: E402
from devices.decoders import (DEFAULT_SYMBOLOGIES, AllSymbologiesPyzbar,  # noqa: E402
                              PyzbarDecoder, ZxingDecoder)
from devices.pipeline import DEFAULT_MAX_WIDTH, FramePipeline  # noqa: E402

CORPUS = Path(os.environ.get("ZXING_SAMPLES", ROOT.parent.parent / "shared" / "corpus"
                             / "zxing-samples"))
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus/zxing-samples")
SIZES = ((640, 480), (1280, 720))
#: Code 32 and PZN are pharmacy variants of Code 39 whose expected text is not the bars' content.
SKIP = ("code32-", "pzn-")


def pipelines() -> dict[str, FramePipeline]:
    """The contenders, by name."""
    return {
        "baseline": FramePipeline(AllSymbologiesPyzbar(), max_width=0),
        "pipeline/zxing": FramePipeline(ZxingDecoder(DEFAULT_SYMBOLOGIES), max_width=DEFAULT_MAX_WIDTH),
        "pipeline/pyzbar": FramePipeline(PyzbarDecoder(DEFAULT_SYMBOLOGIES),
                                         max_width=DEFAULT_MAX_WIDTH),
    }


def timed(pipeline: FramePipeline, frame: np.ndarray) -> tuple[float, list]:
    """Milliseconds for one frame, and the results."""
    start = time.perf_counter()
    results = pipeline.process(frame)
    return (time.perf_counter() - start) * 1000, results


def bench_generated(frames: int) -> dict:
    """{(name, size): {condition: (reads, total, wrong, [ms...])}}"""
    table: dict = {}
    for size in SIZES:
        sets = {c: samples(frames, c, size) for c in CONDITIONS}
        for name, pipeline in pipelines().items():
            pipeline.process(sets["clean"][0].frame)  # warm up
            row = {}
            for condition, items in sets.items():
                reads = wrong = 0
                times = []
                for s in items:
                    ms, results = timed(pipeline, s.frame)
                    times.append(ms)
                    texts = {r.text for r in results}
                    reads += s.text in texts
                    wrong += len(texts - {s.text})
                row[condition] = (reads, len(items), wrong, times)
            table[(name, size)] = row
            print(f"  generated {size[0]}x{size[1]} {name}: done", file=sys.stderr, flush=True)
    return table


def bench_empty(frames: int) -> dict:
    """{(name, size): median ms} on frames that hold no code: what the kiosk decodes most of the
    time, while nobody shows a label."""
    from bench.labels import background

    out = {}
    for size in SIZES:
        rng = np.random.default_rng(11)
        empties = []
        for _ in range(frames):
            gray = background(size, rng).astype(np.float32) + rng.normal(0, 3, (size[1], size[0]))
            empties.append(cv2.cvtColor(np.clip(gray, 0, 255).astype(np.uint8),
                                        cv2.COLOR_GRAY2BGR))
        for name, pipeline in pipelines().items():
            times = []
            for frame in empties:
                ms, results = timed(pipeline, frame)
                times.append(ms)
                if results:
                    print(f"  {name}: read {[r.text for r in results]} in an empty frame",
                          file=sys.stderr)
            out[(name, size)] = statistics.median(times)
    return out


def corpus_images() -> tuple[list[tuple[str, np.ndarray, str]], list[tuple[str, np.ndarray]]]:
    """([(path, image, expected text)], [(path, image) with no code])."""
    readable, negatives = [], []
    for folder in sorted(CORPUS.iterdir()):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in (".png", ".webp", ".jpg", ".jpeg"):
                continue
            if path.name.startswith(SKIP):
                continue
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if image is None:  # OpenCV refuses some tiny WebP files; Pillow reads them
                try:
                    from PIL import Image

                    with Image.open(path) as pil:
                        image = cv2.cvtColor(np.array(pil.convert("RGB")), cv2.COLOR_RGB2BGR)
                except OSError:
                    image = None
            if image is None:
                print(f"  cannot read {path}", file=sys.stderr)
                continue
            if folder.name.startswith("falsepositives"):
                negatives.append((str(path), image))
            else:
                expected = path.with_suffix(".txt").read_text(encoding="utf-8").strip()
                readable.append((str(path), image, expected))
    return readable, negatives


def bench_corpus() -> dict:
    """{name: (reads, total, false_reads, [ms...], per-folder reads)}"""
    readable, negatives = corpus_images()
    out = {}
    for name, pipeline in pipelines().items():
        reads = false = 0
        times = []
        per_folder: dict[str, list[int]] = {}
        for path, image, expected in readable:
            ms, results = timed(pipeline, image)
            times.append(ms)
            ok = expected in {r.text for r in results}
            reads += ok
            folder = Path(path).parent.name
            per_folder.setdefault(folder, [0, 0])
            per_folder[folder][0] += ok
            per_folder[folder][1] += 1
        for path, image in negatives:
            ms, results = timed(pipeline, image)
            if results:
                false += 1
                print(f"  {name}: false read in {path}: {[r.text for r in results]}",
                      file=sys.stderr)
        out[name] = (reads, len(readable), false, len(negatives), times, per_folder)
    return out


def wedge_latency(n: int = 5000) -> list[float]:
    """Milliseconds from feeding the suffix to the ScanEvent, for ``n`` scans."""
    from devices.wedge import WedgeDecoder

    decoder = WedgeDecoder()
    lat = []
    t = 0.0
    for i in range(n):
        code = f"978604{i:07d}"
        for ch in code:
            decoder.feed(ch, t)
            t += 0.008
        start = time.perf_counter()
        out = decoder.feed("\r", t)
        lat.append((time.perf_counter() - start) * 1000)
        assert out and out[0].code == code, out
        t += 0.5
    return lat


def serial_latency(n: int = 300) -> list[float]:
    """Milliseconds from writing the terminator on a pty to ``on_scan``, for ``n`` scans."""
    import tty

    from devices.serial_source import SerialSource

    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    got = threading.Event()
    stamp = [0.0]

    def on_scan(event):
        stamp[0] = time.perf_counter()
        got.set()

    source = SerialSource(path, baudrate=115200)
    source.start(on_scan)
    deadline = time.monotonic() + 5
    while source.status.state != "connected" and time.monotonic() < deadline:
        time.sleep(0.01)
    lat = []
    try:
        for i in range(n):
            got.clear()
            os.write(master, f"TK.{i:05d}".encode())
            time.sleep(0.002)  # the scanner sends the code, then the terminator
            start = time.perf_counter()
            os.write(master, b"\r\n")
            if got.wait(1.0):
                lat.append((stamp[0] - start) * 1000)
            time.sleep(0.003)
    finally:
        source.stop()
        os.close(master)
        os.close(slave)
    return lat


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    """Run everything and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60,
                        help="generated frames per condition and size (default 60)")
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)

    print(f"camera: generated labels, {args.frames} frames per condition, one thread",
          file=sys.stderr)
    gen = bench_generated(args.frames)
    empty = bench_empty(max(10, args.frames // 2))
    print("camera: real photos", file=sys.stderr)
    corpus = bench_corpus()
    print("latency", file=sys.stderr)
    wedge = wedge_latency()
    serial = serial_latency()

    print()
    print("## Camera, generated labels (ms/frame = median, one thread)")
    header = (f"| {'pipeline':<16} | size      | ms/frame | x faster | read rate | clean  | "
              + " | ".join(f"{c[:8]:>8}" for c in CONDITIONS[1:]) + " | wrong |")
    print(header)
    print("|" + "|".join("-" * (len(part)) for part in header.split("|")[1:-1]) + "|")
    for size in SIZES:
        base_ms = statistics.median(
            t for c in CONDITIONS for t in gen[("baseline", size)][c][3])
        for name in pipelines():
            row = gen[(name, size)]
            ms = statistics.median(t for c in CONDITIONS for t in row[c][3])
            reads = sum(row[c][0] for c in CONDITIONS)
            total = sum(row[c][1] for c in CONDITIONS)
            wrong = sum(row[c][2] for c in CONDITIONS)
            per = " | ".join(f"{100 * row[c][0] / row[c][1]:7.1f}%" for c in CONDITIONS[1:])
            print(f"| {name:<16} | {f'{size[0]}x{size[1]}':<9} | {ms:8.2f} | {base_ms / ms:7.1f}x | "
                  f"{100 * reads / total:8.1f}% | {100 * row['clean'][0] / row['clean'][1]:5.1f}% | "
                  f"{per} | {wrong:5d} |")
    print()
    print("## Camera, frames with no code (what the kiosk decodes while nobody shows a label)")
    print("| pipeline         | 640x480 ms | 1280x720 ms |")
    print("|------------------|------------|-------------|")
    for name in pipelines():
        print(f"| {name:<16} | {empty[(name, SIZES[0])]:10.2f} | {empty[(name, SIZES[1])]:11.2f} |")
    print()
    print("## Camera, real photos (zxing-samples; ms/image = median, images at their own size)")
    print("| pipeline         | ms/image | read rate      | per folder                          "
          "                 | false reads |")
    print("|------------------|----------|----------------|-----------------------------------"
          "-------------------|-------------|")
    for name, (reads, total, false, negatives, times, per_folder) in corpus.items():
        folders = ", ".join(f"{k.split('-')[0]} {v[0]}/{v[1]}" for k, v in per_folder.items())
        print(f"| {name:<16} | {statistics.median(times):8.2f} | {reads:3d}/{total:<3d} "
              f"{100 * reads / total:5.1f}% | {folders:<52} | {false:3d} of {negatives:<4d}|")
    print()
    print("## Latency, last character to ScanEvent")
    print("| path                 |   n  | p50 ms | p99 ms | max ms |")
    print("|----------------------|------|--------|--------|--------|")
    for label, values in (("keyboard wedge", wedge), ("serial (pty)", serial)):
        print(f"| {label:<20} | {len(values):4d} | {pct(values, .5):6.3f} | {pct(values, .99):6.3f}"
              f" | {max(values):6.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
