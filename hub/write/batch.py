"""Write a batch, isolating the points the server refuses so that all the good ones get stored.

Too large -> split in halves until it fits; bad data -> bisect down to the offending points.
Retryable errors propagate unchanged: the caller retries the whole batch later (writes are
idempotent, so halves that were already stored are simply overwritten).
"""

from __future__ import annotations

from collections.abc import Sequence

from hub.write.base import Writer
from hub.write.errors import BadData, TooLarge
from hub.write.point import Encodable

Rejected = list[tuple[Encodable, str]]


def write_batch(writer: Writer, points: Sequence[Encodable]) -> Rejected:
    """Write the points; return the (point, reason) pairs that were refused ([] when all were written)."""
    rejected: Rejected = []
    encodable: list[Encodable] = []
    for point in points:
        try:
            point.to_line()
        except ValueError as exc:
            rejected.append((point, f"cannot encode: {exc}"))
        else:
            encodable.append(point)
    _write(writer, encodable, rejected)
    return rejected


def _write(writer: Writer, points: Sequence[Encodable], rejected: Rejected) -> None:
    if not points:
        return
    try:
        writer.write(points)
    except TooLarge:
        if len(points) == 1:
            rejected.append((points[0], "too large"))
            return
        _split(writer, points, rejected)
    except BadData as exc:
        if len(points) == 1:
            rejected.append((points[0], exc.reason))
            return
        _split(writer, points, rejected)


def _split(writer: Writer, points: Sequence[Encodable], rejected: Rejected) -> None:
    middle = len(points) // 2
    _write(writer, points[:middle], rejected)
    _write(writer, points[middle:], rejected)
