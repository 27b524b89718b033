"""How long to wait before trying again: exponential, with jitter, capped, honouring Retry-After."""
from __future__ import annotations

import random


def retry_delay(failures: int, base_s: float, cap_s: float, retry_after: float | None = None,
                rng: random.Random | None = None) -> float:
    """Seconds to wait after ``failures`` consecutive failures (1 for the first).

    The ceiling doubles with each failure from ``base_s`` up to ``cap_s``; the delay is drawn
    between half the ceiling and the ceiling ("equal jitter"), so kiosks that lost the network
    together do not all come back in the same second. A ``Retry-After`` from the receiver is
    waited out in full, but never longer than ``cap_s``.
    """
    rng = rng or random
    exponent = min(max(failures, 1) - 1, 32)
    ceiling = min(cap_s, base_s * (2 ** exponent))
    delay = rng.uniform(ceiling / 2, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, cap_s)
