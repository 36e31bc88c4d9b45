"""Fault and outage options of `cityhub simulate` / `cityhub demo`: `wm-0003=toilet_leak@6h`, `wm-0002=10h+6h`."""

from __future__ import annotations

from dataclasses import dataclass

from simulators.durations import parse_duration_ms


@dataclass(frozen=True)
class FaultOption:
    device_id: str
    fault: str
    after_ms: int


@dataclass(frozen=True)
class OfflineOption:
    device_id: str
    after_ms: int
    duration_ms: int


def parse_fault(text: str) -> FaultOption:
    """`<device_id>=<fault>[@<after>]`, e.g. `wm-0003=toilet_leak` or `wm-0003=burst@12h`."""
    device, sep, rest = text.partition("=")
    if not sep or not device or not rest:
        raise ValueError(f"fault {text!r} must look like <device_id>=<fault>[@<after>], e.g. wm-0003=toilet_leak")
    fault, _, after = rest.partition("@")
    return FaultOption(device, fault, parse_duration_ms(after) if after else 0)


def parse_offline(text: str) -> OfflineOption:
    """`<device_id>=<after>+<duration>`, e.g. `wm-0002=10h+6h` (WiFi down from hour 10 for 6 hours)."""
    device, sep, rest = text.partition("=")
    after, plus, duration = rest.partition("+")
    if not sep or not device or not plus:
        raise ValueError(f"offline {text!r} must look like <device_id>=<after>+<duration>, e.g. wm-0002=10h+6h")
    return OfflineOption(device, parse_duration_ms(after), parse_duration_ms(duration))
