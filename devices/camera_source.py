"""A camera as a barcode scanner: OpenCV capture, a decode worker, de-duplication, a preview.

Frames come from a device index (``0`` is ``/dev/video0``), a video file, a stream URL, or any
callable that returns a frame (``None`` when it has no more). The capture thread keeps only the
newest frame (a slot of one: never a backlog, the picture never lags); a worker thread takes it,
runs it through a :class:`devices.pipeline.FramePipeline` (grayscale, region, downscale, decoder
for the configured symbologies only), keeps back 1-D codes until they are confirmed
(:class:`devices.confirm.Confirmer`: two decoders agreeing, or two frames), and emits one event
per presentation of a code (:class:`devices.dedup.Deduplicator`). :meth:`CameraSource.preview` gives the screen the latest
frame with the codes found in it outlined.

A video file plays at its own frame rate, as a camera would deliver it, and the source ends
(status ``ended``) after its last frame has been decoded. A camera that stops giving frames is
reopened.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

import numpy as np

from devices.codes import DEFAULT_MAX_LENGTH
from devices.confirm import Confirmer
from devices.decoders import Decoded
from devices.dedup import Deduplicator
from devices.pipeline import FramePipeline, draw_outlines
from devices.source import ScanSource

log = logging.getLogger(__name__)

FrameProvider = Callable[[], "np.ndarray | None"]


class FrameSlot:
    """Holds only the newest item (a frame and its capture time); taking it blocks until a newer
    one arrives."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame = None
        self._seq = 0
        self._taken = 0
        self._closed = False
        self.dropped = 0  # frames replaced before the worker took them

    def put(self, frame) -> None:
        """Replace the held item with ``frame``."""
        with self._cond:
            if self._seq > self._taken:
                self.dropped += 1
            self._frame = frame
            self._seq += 1
            self._cond.notify()

    def take(self, timeout: float):
        """The newest item not taken yet, or None after ``timeout`` s or once closed."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._seq > self._taken or self._closed,
                                       timeout):
                return None
            if self._seq == self._taken:
                return None
            self._taken = self._seq
            frame, self._frame = self._frame, None
            return frame

    def close(self) -> None:
        """Wake the taker for good (no more frames)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def empty(self) -> bool:
        """True when no untaken frame is held."""
        with self._cond:
            return self._seq == self._taken


class CameraSource(ScanSource):
    """Scans from a camera, a video file, a URL, or a frame callable.

    ``device`` is an index, a path or a URL; ``frames`` (a callable) replaces it. ``pipeline``
    decides region, downscale and decoder; ``confirmer`` when a 1-D code is sure enough to report
    (default: :class:`devices.confirm.Confirmer`'s two decoders or two frames). De-duplication: a code is reported again only
    after it was out of view for ``gone_after_s`` or, if above zero, after ``repeat_after_s``.
    ``realtime`` paces a video file at its frame rate (default for files).
    """

    #: Cameras are slower to come back than a USB scanner, and each failed open logs a warning.
    retry_s = 1.0

    def __init__(self, device: int | str = 0, *, pipeline: FramePipeline,
                 frames: FrameProvider | None = None, gone_after_s: float = 1.0,
                 repeat_after_s: float = 0.0, realtime: bool | None = None,
                 max_length: int = DEFAULT_MAX_LENGTH, source_name: str | None = None,
                 confirmer: Confirmer | None = None):
        super().__init__(source_name or f"camera:{device if frames is None else 'frames'}",
                         max_length)
        self.device = device
        self.pipeline = pipeline
        self._frames = frames
        self._is_file = frames is None and isinstance(device, str) and os.path.exists(device)
        self._realtime = self._is_file if realtime is None else realtime
        self.confirmer = confirmer or Confirmer()
        self._dedup = Deduplicator(gone_after_s, repeat_after_s)
        self._slot = FrameSlot()
        self._worker: threading.Thread | None = None
        self._preview_lock = threading.Lock()
        self._last_frame: np.ndarray | None = None
        self._last_results: list[Decoded] = []
        self.frames_decoded = 0

    # -- public -------------------------------------------------------------------------------
    @property
    def frames_dropped(self) -> int:
        """Frames the decoder never saw because a newer one replaced them."""
        return self._slot.dropped

    def preview(self) -> np.ndarray | None:
        """The latest decoded frame (BGR) with codes outlined, or None before the first frame."""
        with self._preview_lock:
            frame, results = self._last_frame, self._last_results
        if frame is None:
            return None
        box = self.pipeline.roi_box(frame.shape) if self.pipeline.roi else None
        return draw_outlines(frame, results, box)

    def last_results(self) -> list[Decoded]:
        """The codes found in the latest decoded frame (full-frame coordinates)."""
        with self._preview_lock:
            return list(self._last_results)

    # -- threads ------------------------------------------------------------------------------
    def _run(self) -> None:
        self._slot = FrameSlot()
        self._worker = threading.Thread(target=self._decode_loop, name=f"decode:{self.name}",
                                        daemon=True)
        self._worker.start()
        try:
            if self._frames is not None:
                self._set_status("connected", "frame provider")
                self._pump(self._frames)
            else:
                self._capture_loop()
        finally:
            self._slot.close()
            self._worker.join(5.0)
        if not self._stopping():
            self._set_status("ended", "no more frames")

    def _capture_loop(self) -> None:
        import cv2

        while not self._stopping():
            cap = cv2.VideoCapture(self.device)
            if not cap.isOpened():
                cap.release()
                if self._is_file:
                    self._set_status("error", f"cannot open {self.device}")
                    return
                self._set_status("waiting", f"cannot open {self.device}")
                self._wait(self.retry_s)
                continue
            if not self._is_file:
                cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)
            self._set_status("connected", str(self.device))
            fps = cap.get(cv2.CAP_PROP_FPS) if self._realtime else 0

            def read(cap=cap):
                ok, frame = cap.read()
                return frame if ok else None

            try:
                self._pump(read, fps)
            finally:
                cap.release()
            if self._is_file:
                return
            if not self._stopping():
                self._set_status("waiting", "camera stopped giving frames")
                self._wait(self.retry_s)

    def _pump(self, read: FrameProvider, fps: float = 0.0) -> None:
        start = time.monotonic()
        n = 0
        while not self._stopping():
            frame = read()
            if frame is None:
                break
            if fps and fps > 0:
                due = start + n / fps
                delay = due - time.monotonic()
                if delay > 0 and self._wait(delay):
                    break
            n += 1
            self._slot.put((frame, time.monotonic()))
        # let the worker finish the last frame before saying the source has ended
        while not self._stopping() and not self._slot.empty:
            time.sleep(0.01)

    def _decode_loop(self) -> None:
        while not self._stopping():
            item = self._slot.take(0.2)
            if item is None:
                if self._slot._closed:
                    return
                continue
            frame, captured = item
            try:
                results = self.pipeline.process(frame)
            except Exception:
                log.exception("%s: decoder failed on a frame", self.name)
                continue
            self.frames_decoded += 1
            with self._preview_lock:
                self._last_frame, self._last_results = frame, results
            confirmed = self.confirmer.feed(results, captured)
            for r in confirmed:  # the code was complete when its frame was captured
                if self._dedup.seen(r.text, captured):
                    self._emit(r.text, r.symbology, captured)
            for r in results:  # an unconfirmed sighting still says a reported code is in view
                if r not in confirmed:
                    self._dedup.still_there(r.text, captured)
