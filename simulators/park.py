"""Park paths at night: poles along a path, walkers and cyclists passing, seen by each pole's motion sensor.

Poles stand `POLE_SPACING_M` apart along a path (a light group); a path's passers-by are shared by all its
poles, so a cyclist seen by pole 2 is seen by pole 3 a few seconds later. Arrivals are a non-homogeneous
Poisson process per hour of local time (sparse, busiest 18-23 h), each a walker (1.4 m/s) or a cyclist
(5 m/s) entering at either end. A pole's lamp, motion sensor and current sense are simulated hardware the real
firmware drives (`firmware/apps/park_light.py`); the lamp records its level over time and the energy used
(power proportional to level plus standby, the figures of the app's defaults).

Faults: `lamp_failure` (the LED module is dead: no current whatever the drive), `stuck_sensor` (the motion
sensor's output stays high), `day_burner` (the driver stays at full power whatever the dimming input says).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cityfw.core.localtime import offset_ms

from simulators.board import SimBoard, SimTime
from simulators.sampling import poisson

HOUR_MS = 3_600_000
POLE_SPACING_M = 25.0
POLES_PER_PATH = 8
SENSOR_RANGE_M = 8.0          # a PIR sees a passer-by within this distance of its pole
PATH_MARGIN_M = 40.0          # path beyond the first and last pole (people walk in from there)
WALK_MPS = 1.4
CYCLE_MPS = 5.0
CYCLIST_SHARE = 0.3
LAMP_W = 30.0                 # the app's default lamp_w and standby_w
STANDBY_W = 1.0
SENSE_MV_FULL = 1000          # the app's default sense_mv_full
FAULTS = ("lamp_failure", "stuck_sensor", "day_burner")

# passers-by per hour on one path, by local hour (both directions together)
HOURLY = (3.0, 1.5, 1.0, 0.5, 0.5, 1.0, 4.0, 10.0, 14.0, 18.0, 18.0, 20.0, 22.0, 22.0, 20.0, 20.0, 22.0,
          24.0, 30.0, 32.0, 30.0, 26.0, 20.0, 9.0)


@dataclass(frozen=True)
class Passer:
    enter_ms: int
    start_m: float       # position along the path at enter_ms (0 = first pole)
    speed_mps: float     # signed: > 0 walks towards higher pole numbers
    cyclist: bool
    leave_ms: int

    def at(self, t_ms: int) -> float:
        return self.start_m + self.speed_mps * (t_ms - self.enter_ms) / 1000.0

    def when_at(self, x_m: float) -> float:
        """Time (ms) at which the passer is at position x_m (may be outside their time on the path)."""
        return self.enter_ms + (x_m - self.start_m) / self.speed_mps * 1000.0


class ParkPath:
    """One path and its poles' positions; arrivals drawn hour by hour from its own random generator."""

    def __init__(self, group: str, poles: int, rng: random.Random, utc_offset_min: int = 60) -> None:
        self.group = group
        self.poles = poles
        self.rng = rng
        self.utc_offset_min = utc_offset_min
        self.length_m = (poles - 1) * POLE_SPACING_M + 2 * PATH_MARGIN_M
        self.passers: list[Passer] = []    # on the path or still to come, in order of entry
        self.generated_to: int | None = None
        self.total = 0
        self.traffic = 1.0                 # scale of the random arrivals (0: only passers-by added by hand)

    def position(self, pole: int) -> float:
        return pole * POLE_SPACING_M

    def rate_per_hour(self, t_ms: int) -> float:
        local = t_ms + int(offset_ms(t_ms, self.utc_offset_min, True))
        return HOURLY[(local // HOUR_MS) % 24]

    def advance_to(self, t_ms: int) -> None:
        """Draw arrivals up to t_ms (hour by hour, a fixed sequence for a given seed) and forget who left."""
        if self.generated_to is None:
            self.generated_to = t_ms - t_ms % HOUR_MS
        while self.generated_to < t_ms + HOUR_MS:   # an hour ahead: a passer-by may enter before pole 0 sees them
            hour0 = self.generated_to
            n = poisson(self.rng, self.rate_per_hour(hour0 + HOUR_MS // 2) * self.traffic)
            for enter in sorted(hour0 + self.rng.randrange(HOUR_MS) for _ in range(n)):
                self.passers.append(self._passer(enter))
            self.generated_to = hour0 + HOUR_MS
        self.passers = [p for p in self.passers if p.leave_ms >= t_ms - 60_000]

    def add(self, enter_ms: int, forward: bool = True, cyclist: bool = False) -> Passer:
        """One passer-by at the nominal speed entering the path at enter_ms (tests, benches, demos)."""
        passer = self._passer(enter_ms, cyclist, CYCLE_MPS if cyclist else WALK_MPS, forward)
        self.passers.append(passer)
        self.passers.sort(key=lambda p: p.enter_ms)
        return passer

    def _passer(self, enter_ms: int, cyclist: bool | None = None, speed: float | None = None,
                forward: bool | None = None) -> Passer:
        if cyclist is None:
            cyclist = self.rng.random() < CYCLIST_SHARE
        if speed is None:
            speed = (CYCLE_MPS * self.rng.uniform(0.85, 1.15) if cyclist else WALK_MPS * self.rng.uniform(0.9, 1.1))
        if forward is None:
            forward = self.rng.random() < 0.5
        start = -PATH_MARGIN_M if forward else self.length_m - PATH_MARGIN_M
        self.total += 1
        leave = enter_ms + int(self.length_m / speed * 1000)
        return Passer(enter_ms, start, speed if forward else -speed, cyclist, leave)

    def seen(self, pole: int, t0_ms: int, t1_ms: int) -> tuple[int, bool]:
        """(passers-by who came into the pole's sensor range in (t0, t1], someone in range at t1)."""
        x = self.position(pole)
        arrivals, present = 0, False
        for p in self.passers:
            if p.enter_ms > t1_ms:
                break
            a, b = sorted((p.when_at(x - SENSOR_RANGE_M), p.when_at(x + SENSOR_RANGE_M)))
            if t0_ms < a <= t1_ms:
                arrivals += 1
            if a <= t1_ms < b:
                present = True
        return arrivals, present




# the fleet builds models one after another (device 1, 2, ...): the first pole of a path creates it and the
# path's other poles take it from here, so a fleet's poles share their path and a new fleet starts afresh
_PATHS: dict[str, ParkPath] = {}


class SimLamp:
    """The LED driver's dimming input: records every level change and integrates the power drawn."""

    def __init__(self, sim: SimTime) -> None:
        self.sim = sim
        self.level = 0
        self.changes: list[tuple[int, int]] = []   # (sim ms, level %)
        self.failed = False
        self.stuck_full = False

    def set_level(self, pct: int) -> None:
        self.level = pct
        self.changes.append((self.sim.now_ms, pct))

    def power_w(self) -> float:
        """What the pole draws now (the LED module at its drive, plus the controller's standby)."""
        if self.failed:
            return STANDBY_W
        level = 100 if self.stuck_full else self.level
        return LAMP_W * level / 100 + STANDBY_W

    def level_at(self, t_ms: int) -> int | None:
        """The drive level in force at t_ms (None before the first setting)."""
        found = None
        for when, level in self.changes:
            if when > t_ms:
                break
            found = level
        return found


class SimMotionSensor:
    """A PIR module's output: rising edges counted between firmware passes, and its present level."""

    def __init__(self) -> None:
        self.edges = 0
        self.high = False
        self.stuck = False

    def take(self) -> int:
        n, self.edges = self.edges, 0
        return n

    def value(self) -> int:
        return 1 if self.high or self.stuck else 0


class SimLampCurrent:
    def __init__(self, lamp: SimLamp, rng: random.Random) -> None:
        self.lamp = lamp
        self.rng = rng

    def read_mv(self) -> int:
        if self.lamp.failed:
            return self.rng.randrange(0, 8)
        level = 100 if self.lamp.stuck_full else self.lamp.level
        return max(0, int(SENSE_MV_FULL * level / 100 * self.rng.uniform(0.97, 1.03)))


class ParkLightModel:
    """One pole of a park path: its place on the path, its lamp, motion sensor and lamp current sense."""

    kind = "park_light"
    prefix = "light"
    faults: tuple[str, ...] = FAULTS
    tick_ms = 1_000

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.path: ParkPath | None = None
        self.pole = 0
        self.board: SimBoard | None = None
        self.lamp: SimLamp | None = None
        self.sensor: SimMotionSensor | None = None
        self.fault: str | None = None
        self.fault_from_ms = 0
        self.energy_wh = 0.0          # what the pole really drew (physics), for benches
        self.passers_seen = 0

    def setup(self, device_id: str, n: int, count: int) -> None:
        index = (n - 1) // POLES_PER_PATH
        self.pole = (n - 1) % POLES_PER_PATH
        group = f"path-{index + 1:02d}"
        if self.pole == 0 or group not in _PATHS:
            poles = min(POLES_PER_PATH, count - index * POLES_PER_PATH)
            _PATHS[group] = ParkPath(group, poles, random.Random(self.rng.getrandbits(64)))
        self.path = _PATHS[group]

    def app_config(self) -> dict[str, object]:
        assert self.path is not None
        return {"group": self.path.group, "pole": self.pole}

    def attach(self, board: SimBoard) -> None:
        self.board = board
        self.lamp = SimLamp(board.sim)
        self.sensor = SimMotionSensor()
        setattr(board, "lamp", self.lamp)   # noqa: B010 - the attributes the park light app takes from its board
        setattr(board, "pir", self.sensor)   # noqa: B010
        setattr(board, "lamp_current", SimLampCurrent(self.lamp, self.rng))   # noqa: B010
        self._apply_fault(board.sim.now_ms)

    def inject(self, fault: str, from_ms: int = 0) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown park light fault {fault!r}; known: {', '.join(FAULTS)}")
        self.fault, self.fault_from_ms = fault, from_ms

    def _apply_fault(self, t_ms: int) -> None:
        assert self.lamp is not None and self.sensor is not None
        active = self.fault if self.fault is not None and t_ms >= self.fault_from_ms else None
        self.lamp.failed = active == "lamp_failure"
        self.lamp.stuck_full = active == "day_burner"
        self.sensor.stuck = active == "stuck_sensor"

    def advance(self, t0_ms: int, t1_ms: int) -> None:
        assert self.path is not None and self.lamp is not None and self.sensor is not None
        self.energy_wh += self.lamp.power_w() * (t1_ms - t0_ms) / HOUR_MS
        self._apply_fault(t1_ms)
        self.path.advance_to(t1_ms)
        arrivals, present = self.path.seen(self.pole, t0_ms, t1_ms)
        self.passers_seen += arrivals
        if not self.sensor.stuck:
            self.sensor.edges += arrivals
        self.sensor.high = present
