"""One time-series point and its InfluxDB line-protocol encoding (millisecond precision).

Writes are idempotent because the encoding is deterministic: the same message always gives
the same line (tags and fields sorted by key, same series key, same device timestamp), so a
replayed batch overwrites the points it already stored instead of adding new ones.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

FieldValue = float | int | bool | str

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1

_MEASUREMENT_ESCAPES = str.maketrans({",": "\\,", " ": "\\ "})
_KEY_ESCAPES = str.maketrans({",": "\\,", "=": "\\=", " ": "\\ "})


def _check_name(kind: str, text: str) -> None:
    """Refuse names that line protocol cannot carry unambiguously."""
    if not text:
        raise ValueError(f"empty {kind}")
    if "\n" in text or "\r" in text:
        raise ValueError(f"{kind} {text!r} contains a line break")
    if text.endswith("\\"):
        # A trailing backslash would escape the delimiter that follows it.
        raise ValueError(f"{kind} {text!r} ends with a backslash")


# Names repeat from point to point (the same measurement, tag and field keys, the fleet's device ids), so
# their checked, escaped forms are memoised: encoding was the hub's largest CPU cost per message.
@lru_cache(maxsize=1024)
def _measurement(text: str) -> str:
    _check_name("measurement", text)
    return text.translate(_MEASUREMENT_ESCAPES)


@lru_cache(maxsize=8192)
def _key(kind: str, text: str) -> str:
    _check_name(kind, text)
    return text.translate(_KEY_ESCAPES)


def _field_value(key: str, value: FieldValue) -> str:
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise ValueError(f"field {key!r}: integer {value} does not fit in 64 bits")
        return f"{value}i"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"field {key!r}: {value!r} is not a finite number")
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise ValueError(f"field {key!r}: unsupported value type {type(value).__name__}")


@dataclass(frozen=True)
class Point:
    """A measurement at one device timestamp (ms since the epoch) with its tags and fields.

    `tags` and `fields` are copied on construction and excluded from the hash, so a Point is
    hashable (by measurement and timestamp) while still comparing equal on all of its parts.
    """

    measurement: str
    tags: dict[str, str] = field(hash=False)
    fields: dict[str, FieldValue] = field(hash=False)
    ts_ms: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", dict(self.tags))
        object.__setattr__(self, "fields", dict(self.fields))

    def to_line(self) -> str:
        """Encode as one line of InfluxDB line protocol with a millisecond timestamp.

        Tags with an empty value are left out (InfluxDB refuses them and treats a missing tag
        as empty anyway). Raises ValueError when the point cannot be encoded: no fields,
        empty or unencodable names, non-finite floats, out-of-range integers.

        A Point does not change, so its line is encoded once and kept: the write path asks for it
        more than once (the batch's encodability check, the writer's request body, a bisecting retry).
        """
        line: str | None = self.__dict__.get("_line")
        if line is None:
            line = self._encode()
            object.__setattr__(self, "_line", line)
        return line

    def _encode(self) -> str:
        if not self.fields:
            raise ValueError(f"point {self.measurement!r} has no fields")
        if isinstance(self.ts_ms, bool) or not isinstance(self.ts_ms, int):
            raise ValueError(f"timestamp {self.ts_ms!r} is not an integer number of milliseconds")  # noqa: TRY004 (unencodable -> ValueError)
        series = _measurement(self.measurement)
        for key in sorted(self.tags):
            value = self.tags[key]
            if value == "":
                continue
            series += f",{_key('tag key', key)}={_key('tag value', value)}"
        parts = []
        for key in sorted(self.fields):
            name = _key("field key", key)   # the name first: a point with two faults reports the same one
            field_value = self.fields[key]
            # fast paths for the common exact types; everything else (and every error) in _field_value
            if type(field_value) is float and math.isfinite(field_value):
                text = repr(field_value)
            elif type(field_value) is int and _INT64_MIN <= field_value <= _INT64_MAX:
                text = f"{field_value}i"
            else:
                text = _field_value(key, field_value)
            parts.append(f"{name}={text}")
        return f"{series} {','.join(parts)} {self.ts_ms}"


class Encodable(Protocol):
    """Anything a writer can send: it knows its own line of line protocol."""

    def to_line(self) -> str: ...


@dataclass(frozen=True)
class EncodedLine:
    """A point encoded at ingest and kept in the hub's buffer: written as it is."""

    line: str

    def to_line(self) -> str:
        return self.line
