"""What the hub's ingest asks of the device registry: the kind each registered device was registered as.

Read-only and cheap: the ingest refreshes it every `refresh_s` seconds, so a board added a moment ago is known
soon. With no registry file (a hub that does not provision), nothing is checked.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


class RegisteredKinds:
    def __init__(self, path: Path, refresh_s: float = 30.0) -> None:
        self.path = path
        self.refresh_s = refresh_s
        self._kinds: dict[str, str] = {}
        self._loaded_at: float | None = None

    def kind_of(self, device_id: str) -> str | None:
        """The registered kind, or None for a device the registry does not know (or no registry)."""
        now = time.monotonic()
        age = None if self._loaded_at is None else now - self._loaded_at
        # reload when stale, or (at most once a second) for a board not seen in the registry yet
        if age is None or age >= self.refresh_s or (device_id not in self._kinds and age >= 1.0):
            self._load()
            self._loaded_at = now
        return self._kinds.get(device_id)

    def _load(self) -> None:
        if not self.path.exists():
            self._kinds = {}
            return
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5)
            try:
                self._kinds = {str(r[0]): str(r[1]) for r in db.execute("SELECT id, kind FROM devices")}
            finally:
                db.close()
        except sqlite3.Error:
            pass   # keep what was known; the registry is being written or moved
