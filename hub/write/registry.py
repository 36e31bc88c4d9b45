"""Writers by kind name, so the hub's configuration can choose its time-series store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub.write.base import Writer
from hub.write.influx_v1 import InfluxV1Writer
from hub.write.influx_v2 import InfluxV2Writer

WRITERS: dict[str, Callable[..., Writer]] = {
    "influx_v1": InfluxV1Writer,
    "influx_v2": InfluxV2Writer,
}


def make_writer(kind: str, **options: Any) -> Writer:
    """Build the writer of this kind with its options (e.g. url, database/bucket, credentials)."""
    try:
        factory = WRITERS[kind]
    except KeyError:
        raise ValueError(f"unknown writer kind {kind!r}; known kinds: {', '.join(sorted(WRITERS))}") from None
    return factory(**options)
