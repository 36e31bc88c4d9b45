"""Parse human durations for the simulator's command line: 90s, 30m, 48h, 7d, 1d12h."""

from __future__ import annotations

import re

_UNITS = {"s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")


def parse_duration_ms(text: str) -> int:
    text = text.strip().lower()
    pos, total = 0, 0.0
    for match in _PART.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text) or not text:
        raise ValueError(f"cannot read duration {text!r}: use e.g. 90s, 30m, 48h, 7d or 1d12h")
    return int(total)
