"""Water physics of a public building seen through its meter's pulse output.

Office/school pattern (weekdays 07-18 h local): use events drawn as a Poisson process, each a toilet flush
(6 L) or a tap run (0.1 L/s for 10-30 s), ~50 L per occupant per day; nights and weekends near zero with
occasional urinal flushes. Faults add a constant flow (drip 4 L/h, toilet leak 25 L/h, large leak 400 L/h,
burst 3000 L/h) or break the pulse line (stuck contact, cut cable).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from cityfw.core.localtime import offset_ms

from simulators.sampling import poisson

MIN_MS = 60_000
HOUR_MS = 3_600_000

FAULT_FLOWS_LPH = {"drip": 4.0, "toilet_leak": 25.0, "large_leak": 400.0, "burst": 3000.0}
LINE_FAULTS = ("stuck", "cut")
FAULTS = tuple(FAULT_FLOWS_LPH) + LINE_FAULTS


@dataclass
class BuildingProfile:
    occupants: int = 40
    litres_per_occupant_day: float = 50.0
    open_hour: int = 7
    close_hour: int = 18
    night_flush_per_hour: float = 0.3     # urinal flushes outside opening hours
    night_flush_l: float = 3.0
    utc_offset_min: int = 60


class WaterBuilding:
    """Litres through one meter between two instants, with an injectable fault from a given time."""

    def __init__(self, rng: random.Random, profile: BuildingProfile | None = None) -> None:
        self.rng = rng
        self.profile = profile or BuildingProfile()
        self.fault: str | None = None
        self.fault_from_ms = 0
        self.litres_total = 0.0

    def inject(self, fault: str, from_ms: int = 0) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown water fault {fault!r}; known: {', '.join(FAULTS)}")
        self.fault, self.fault_from_ms = fault, from_ms

    def fault_active(self, t_ms: int) -> str | None:
        return self.fault if self.fault is not None and t_ms >= self.fault_from_ms else None

    def _open(self, t_ms: int) -> bool:
        p = self.profile
        local = t_ms + int(offset_ms(t_ms, p.utc_offset_min, True))   # Brussels: CET/CEST
        weekday = (local // (24 * HOUR_MS) + 3) % 7   # 1970-01-01 was a Thursday; 0 = Monday
        hour = (local // HOUR_MS) % 24
        return weekday < 5 and p.open_hour <= hour < p.close_hour

    def litres(self, t0_ms: int, t1_ms: int) -> float:
        """Water drawn in (t0, t1]; steps are expected to be about a minute."""
        p = self.profile
        minutes = (t1_ms - t0_ms) / MIN_MS
        total = 0.0
        if self._open(t1_ms):
            open_minutes = (p.close_hour - p.open_hour) * 60
            litres_per_minute = p.occupants * p.litres_per_occupant_day / open_minutes
            events = poisson(self.rng, litres_per_minute / 4.0 * minutes)   # mean event ~4 L
            for _ in range(events):
                total += 6.0 if self.rng.random() < 0.5 else 0.1 * self.rng.uniform(10, 30)
        else:
            for _ in range(poisson(self.rng, p.night_flush_per_hour * minutes / 60)):
                total += p.night_flush_l
        fault = self.fault_active(t1_ms)
        if fault in FAULT_FLOWS_LPH:
            total += FAULT_FLOWS_LPH[fault] * (t1_ms - t0_ms) / HOUR_MS
        self.litres_total += total
        return total


class PulseMeter:
    """The meter's register: turns litres into pulse instants, one per `litres_per_pulse`."""

    def __init__(self, litres_per_pulse: float = 1.0) -> None:
        self.litres_per_pulse = litres_per_pulse
        self.register_l = 0.0

    def pulses(self, t0_ms: int, t1_ms: int, litres: float) -> list[int]:
        """The instants in (t0, t1] at which the register passes a multiple of `litres_per_pulse`, the step's
        water flowing evenly: a steady leak gives evenly spaced pulses across steps, as on a real meter."""
        start_l = self.register_l
        before = math.floor(start_l / self.litres_per_pulse)
        self.register_l += litres
        n = math.floor(self.register_l / self.litres_per_pulse) - before
        if n <= 0 or litres <= 0:
            return []
        span = t1_ms - t0_ms
        return [min(t1_ms, t0_ms + math.ceil(((before + k) * self.litres_per_pulse - start_l) / litres * span))
                for k in range(1, n + 1)]
