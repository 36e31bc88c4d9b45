"""The write loop: oldest buffered messages -> points -> InfluxDB, deleted from the buffer only once stored.

Refused data is quarantined with the store's reason; retryable failures (InfluxDB down, 429, 5xx) wait with
backoff (honouring Retry-After) and retry the same batch; writes are idempotent, so a retry never duplicates.
"""

from __future__ import annotations

import logging
import threading

from hub.buffer.store import Store
from hub.write.backoff import Backoff
from hub.write.base import Writer
from hub.write.batch import write_batch
from hub.write.errors import WriteError
from hub.write.point import EncodedLine

log = logging.getLogger("cityhub.write")


class WriteLoop:
    def __init__(self, store: Store, writer: Writer, batch: int = 5000) -> None:
        self.store = store
        self.writer = writer
        self.batch = batch
        self.wake = threading.Event()
        self.backoff = Backoff()
        self.failing = False
        self.last_error = ""

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                wrote = self.write_once()
            except Exception as exc:
                delay = self.backoff.next_delay(getattr(exc, "retry_after_s", None))
                self.store.bump("write_retries")
                if not self.failing:
                    if isinstance(exc, WriteError):
                        log.warning("InfluxDB write failed (%s); retrying with backoff, data stays buffered", exc)
                    else:
                        log.exception("write loop failed; retrying with backoff, data stays buffered")
                self.failing, self.last_error = True, str(exc)
                stop.wait(delay)
                continue
            if self.failing:
                log.info("InfluxDB writes recovered")
                self.failing, self.last_error = False, ""
            self.backoff.reset()
            if not wrote:
                self.wake.wait(0.05)
                self.wake.clear()

    def write_once(self) -> int:
        """Write one batch; returns how many buffered messages it settled (0 when the buffer is empty)."""
        rows = self.store.oldest(self.batch)
        if not rows:
            return 0
        points: list[EncodedLine] = []
        owner: dict[int, int] = {}
        for row in rows:
            for line in row.lines.split("\n"):
                point = EncodedLine(line)
                owner[id(point)] = row.id
                points.append(point)
        refused = write_batch(self.writer, points)
        rejected_rows: dict[int, str] = {}
        for refused_point, reason in refused:
            rejected_rows.setdefault(owner[id(refused_point)], reason)
        self.store.written([r.id for r in rows], list(rejected_rows.items()))
        return len(rows)
