"""Delays between retries of a failed write: exponential backoff with full jitter, honouring Retry-After."""

from __future__ import annotations

import random


class Backoff:
    """Delay before the next retry: uniform in [0, min(cap, base * 2**attempt)], never below Retry-After.

    A server's Retry-After is itself capped (`max_retry_after_s`) so that a bogus header cannot
    stall the hub for hours. Call reset() after a successful write.
    """

    def __init__(
        self,
        base_s: float = 0.5,
        cap_s: float = 60.0,
        max_retry_after_s: float = 300.0,
        rng: random.Random | None = None,
    ) -> None:
        if base_s <= 0 or cap_s < base_s or max_retry_after_s < 0:
            raise ValueError("need 0 < base_s <= cap_s and max_retry_after_s >= 0")
        self.base_s = base_s
        self.cap_s = cap_s
        self.max_retry_after_s = max_retry_after_s
        self._rng = rng if rng is not None else random.Random()
        self._attempt = 0

    @property
    def attempt(self) -> int:
        """How many delays were handed out since the last reset."""
        return self._attempt

    def next_delay(self, retry_after_s: float | None = None) -> float:
        """Seconds to wait before the next attempt."""
        ceiling = min(self.cap_s, self.base_s * 2.0 ** min(self._attempt, 64))
        self._attempt += 1
        delay = self._rng.uniform(0.0, ceiling)
        if retry_after_s is not None:
            delay = max(delay, min(max(retry_after_s, 0.0), self.max_retry_after_s))
        return delay

    def reset(self) -> None:
        """Start again from the base delay."""
        self._attempt = 0
