"""The camera source on real video files (cv2.VideoWriter -> cv2.VideoCapture) and frame
providers; de-duplication; the newest-frame slot; the preview."""
import itertools

import numpy as np

from devices.camera_source import CameraSource, FrameSlot
from devices.confirm import Confirmer
from devices.decoders import PyzbarDecoder, ZxingDecoder
from devices.dedup import Deduplicator
from devices.pipeline import FramePipeline
from scanhelpers import (BOOK, CARD, ISBN, blank, label_frame, presentation_video, wait_for,
                         write_video)



def run_until_ended(source, timeout=15.0):
    events = []
    source.start(events.append)
    try:
        assert wait_for(lambda: source.status.state in ("ended", "error"), timeout), \
            source.status
    finally:
        source.stop()
    return events


def test_video_file_gives_one_event_per_presentation(tmp_path):
    video = presentation_video(tmp_path / "labels.avi")
    source = CameraSource(str(video), pipeline=FramePipeline(ZxingDecoder()), gone_after_s=0.15)
    events = run_until_ended(source)
    assert [(e.code, e.symbology) for e in events] == [
        (BOOK, "code128"), (ISBN, "ean13"), (BOOK, "code128")]
    assert all(e.source == f"camera:{video}" for e in events)
    assert source.frames_decoded > 20


def test_video_file_with_pyzbar(tmp_path):
    video = presentation_video(tmp_path / "labels.avi")
    source = CameraSource(str(video), pipeline=FramePipeline(PyzbarDecoder()),
                          gone_after_s=0.15)
    assert [e.code for e in run_until_ended(source)] == [BOOK, ISBN, BOOK]


def test_a_code_held_in_view_is_reported_once(tmp_path):
    video = write_video(tmp_path / "held.avi", [label_frame("code128", CARD)] * 40, fps=30)
    source = CameraSource(str(video), pipeline=FramePipeline(ZxingDecoder()), gone_after_s=1.0)
    assert [e.code for e in run_until_ended(source)] == [CARD]


def test_frame_provider_and_preview():
    frames = iter([blank()] * 3 + [label_frame("qrcode", "GD-20261126-000123")] * 5)
    source = CameraSource(frames=lambda: next(frames, None),
                          pipeline=FramePipeline(ZxingDecoder(), roi=(0.0, 0.0, 1.0, 1.0)))
    assert source.preview() is None
    events = run_until_ended(source)
    assert [e.code for e in events] == ["GD-20261126-000123"]
    preview = source.preview()
    assert preview.shape == (480, 640, 3)
    (result,) = source.last_results()
    x, y = result.points[0]
    assert tuple(preview[y, x]) == (0, 200, 0)


def test_unopenable_camera_waits_without_crashing():
    source = CameraSource("rtsp://127.0.0.1:9/none", pipeline=FramePipeline(ZxingDecoder()))
    source.retry_s = 0.1
    source.start(lambda e: None)
    try:
        assert wait_for(lambda: source.status.state == "waiting", 10)
    finally:
        source.stop()


def test_missing_video_file_is_an_error(tmp_path):
    path = tmp_path / "empty.avi"
    path.write_bytes(b"not a video")
    source = CameraSource(str(path), pipeline=FramePipeline(ZxingDecoder()))
    assert run_until_ended(source) == []
    assert source.status.state == "stopped"


def test_garbage_frames_do_not_kill_the_worker():
    frames = iter([np.zeros((0, 0, 3), np.uint8), np.full((10, 10), 255, np.uint8),
                   label_frame("code128", BOOK)])
    # one label frame: report every reading at once (confirmation has tests of its own)
    source = CameraSource(frames=lambda: next(frames, None),
                          pipeline=FramePipeline(ZxingDecoder()), confirmer=Confirmer(frames=1))
    assert [e.code for e in run_until_ended(source)] == [BOOK]


def test_slot_keeps_only_the_newest_frame():
    slot = FrameSlot()
    frames = [np.full((2, 2), i, np.uint8) for i in range(5)]
    for frame in frames:
        slot.put(frame)
    assert slot.take(0.1) is frames[-1]
    assert slot.dropped == 4
    assert slot.take(0.01) is None
    slot.put(frames[0])
    slot.close()
    assert slot.take(0.01) is frames[0]
    assert slot.take(0.01) is None


def test_dedup_once_per_presentation():
    d = Deduplicator(gone_after_s=0.5)
    seen = [d.seen("A", t / 10) for t in range(10)]  # in view 1 s, every 100 ms
    assert seen == [True] + [False] * 9
    assert d.seen("A", 0.9 + 0.4) is False  # a missed frame or two: still the same showing
    assert d.seen("A", 1.3 + 0.6) is True  # it was away for longer than 0.5 s
    assert d.seen("B", 1.9) is True


def test_dedup_repeat_after_time_even_in_view():
    d = Deduplicator(gone_after_s=1.0, repeat_after_s=2.0)
    sent = [t / 10 for t in range(50) if d.seen("A", t / 10)]
    assert sent == [0.0, 2.0, 4.0]


def test_dedup_memory_is_bounded():
    d = Deduplicator(gone_after_s=10, max_codes=100)
    for i, t in zip(range(10_000), itertools.count()):
        assert d.seen(f"code{i}", t * 0.001)
    assert len(d._last_seen) <= 101


class SlowZxing(ZxingDecoder):
    """The real zxing decoder on a slow machine: every frame also takes a few milliseconds more,
    and the decoder notes which frames it saw (their first pixel holds the frame number)."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def decode(self, gray):
        import time

        self.seen.append(int(gray[0, 0]))
        time.sleep(0.005)
        return super().decode(gray)


def test_a_slow_decoder_sees_the_newest_frames_never_a_backlog():
    count = 200
    frames = []
    for i in range(count):
        frame = label_frame("code128", BOOK) if i == count - 1 else blank()
        frame = frame.copy()
        frame[0, 0] = i
        frames.append(frame)
    it = iter(frames)
    decoder = SlowZxing()
    source = CameraSource(frames=lambda: next(it, None), pipeline=FramePipeline(decoder),
                          confirmer=Confirmer(frames=1))
    events = run_until_ended(source)
    assert source.frames_dropped > 0
    assert len(decoder.seen) + source.frames_dropped == count
    assert decoder.seen == sorted(decoder.seen)  # always forward, newest first
    assert decoder.seen[-1] == count - 1  # the last frame shown was decoded
    assert [e.code for e in events] == [BOOK]


def test_a_1d_code_on_a_single_frame_is_not_a_scan(tmp_path):
    """One decoder, one frame: it could be a misread; two frames confirm it."""
    once = [blank()] * 5 + [label_frame("code128", BOOK)] + [blank()] * 5
    twice = [blank()] * 5 + [label_frame("code128", BOOK)] * 2 + [blank()] * 5
    for frames, expected in ((once, []), (twice, [BOOK])):
        # 10 frames a second: a loaded test machine still decodes every frame (none dropped),
        # and two frames 0.1 s apart are well inside the confirmation window.
        video = write_video(tmp_path / f"{len(frames)}.avi", frames, fps=10)
        source = CameraSource(str(video), pipeline=FramePipeline(ZxingDecoder()))
        assert [e.code for e in run_until_ended(source)] == expected
        assert source.frames_dropped == 0


def test_the_kiosks_camera_path_on_real_photos_in_a_video(tmp_path, corpus):
    """The path kiosk.scanners builds for kind = "camera", on an MJPG video of real photos held
    in front of it (each for half a second): a blurred UPC-A is one scan; an aliased one, that
    the decoders misread as 9074932437075 on some frames, gives no wrong scan (ZBar alone, or
    no confirmation, would give it)."""
    from bench.corpus import held_still, photos
    from devices.settings import ScannerSettings
    from kiosk.scanners import build_source

    shown = {(p.folder, p.name): p for p in photos(corpus)}
    frames = [blank()] * 5
    for key in (("upca-2", "02.webp"), ("upca-4", "1.webp")):
        frames += held_still(shown[key].image, (640, 480), 15, "video")
        frames += [blank()] * 10
    video = write_video(tmp_path / "photos.avi", frames, fps=30)
    source = build_source(ScannerSettings(kind="camera", device=str(video)))
    codes = [e.code for e in run_until_ended(source, timeout=30)]
    assert codes[0] == "0890444000335"
    assert set(codes) <= {"0890444000335", "0023942431015"} and len(set(codes)) == len(codes)
