"""The interface every time-series writer implements (InfluxDB v1, InfluxDB v2 API, ...)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hub.write.point import Encodable


class Writer(Protocol):
    """Writes batches of points to one time-series store."""

    name: str

    def write(self, points: Sequence[Encodable]) -> None:
        """Write all points; returning means the store durably accepted them.

        Raises BadData, TooLarge or Retryable/AuthError (see hub.write.errors). Writes are
        idempotent: writing the same points again stores each of them once.
        """

    def close(self) -> None:
        """Release connections; the writer is not used afterwards."""
