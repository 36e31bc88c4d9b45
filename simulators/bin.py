"""Smart bin physics: waste deposited over the day, compacted, collected, and seen through the bin's sensors.

Deposits are a Poisson process following the pedestrian day profile of `simulators.pedestrians` (near zero
01-06 h, plateau 12-17 h, Saturday ~1.3x, Sunday low), ~1.2 L of loose waste each. When the loose waste
reaches the compactor's hopper (40 L) the compactor runs: the loose waste is pressed to ~20 % of its volume
and the compactor pulses its line once. Collection rounds (Monday, Wednesday and Friday from 07:00 Brussels
time, a few minutes per bin along the route) empty every bin. The board sees it all through simulated
hardware: an ultrasonic sensor (echo times from the true speed of sound, ~1 cm noise, ~2 % outlier pings,
~1 % lost pings), an NTC thermistor on an ADC, an accelerometer, the lid's reed switch, the compactor pulse
and the battery voltage.

Injectable faults (from a given time to the end of the run): `fire` (the contents burn: +2 °C per minute,
up to 400 °C), `tilt` (knocked to 60°, leaning on a post), `stuck_sensor` (the echo line is stuck: every
ping times out), `lid_open` (the lid jammed open) and `ntc_open` (thermistor cable cut).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from cityfw.core.localtime import offset_ms

from simulators.board import SimBoard
from simulators.pedestrians import DAY_FACTOR, WEEKDAY_HOURS
from simulators.sampling import poisson

MIN_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
FAULTS: tuple[str, ...] = ("fire", "tilt", "stuck_sensor", "lid_open", "ntc_open")
SUPPLY_MV = 3300


def sound_speed(temp_c: float) -> float:
    """Speed of sound in dry air (m/s), the physical law (the board uses a linear approximation of it)."""
    return 331.3 * math.sqrt(1 + temp_c / 273.15)


@dataclass
class BinGeometry:
    depth_cm: float = 110.0     # sensor to floor
    full_cm: float = 30.0       # sensor to the waste surface at 100 %
    capacity_l: float = 240.0   # volume between the floor and the full level
    hopper_l: float = 40.0      # loose waste that makes the compactor run
    packed_ratio: float = 0.2   # a compaction presses loose waste to this share of its volume


@dataclass
class BinSite:
    deposits_per_day: float = 250.0   # on a weekday
    item_l: tuple[float, float] = (0.3, 2.1)
    round_days: tuple[int, ...] = (0, 2, 4)   # Monday, Wednesday, Friday
    round_hour: int = 7
    route_offset_min: int = 0         # this bin's place on the round
    utc_offset_min: int = 60


class BinPhysics:
    """What is in one bin, minute by minute, and what its sensors would read."""

    def __init__(self, rng: random.Random, geometry: BinGeometry | None = None, site: BinSite | None = None) -> None:
        self.rng = rng
        self.geo = geometry or BinGeometry()
        self.site = site or BinSite()
        self.loose_l = 0.0
        self.packed_l = 0.0
        self.compactions = 0        # compactor cycles (the pulses the board should have counted)
        self.collections: list[int] = []   # when the bin was emptied (ms)
        self.deposits = 0
        self.faults: dict[str, int] = {}   # fault -> from ms
        self.done_ms: int | None = None
        self.now_ms = 0
        self.on_compaction: Callable[[], None] = lambda: None

    # --- time ---------------------------------------------------------------------------------------------

    def _local(self, t_ms: int) -> int:
        return t_ms + int(offset_ms(t_ms, self.site.utc_offset_min, True))   # Brussels: CET/CEST

    def deposit_rate_per_min(self, t_ms: int) -> float:
        local = self._local(t_ms)
        weekday = (local // DAY_MS + 3) % 7   # 1970-01-01 was a Thursday; 0 = Monday
        hour = (local // HOUR_MS) % 24
        share = WEEKDAY_HOURS[hour] / sum(WEEKDAY_HOURS)
        return self.site.deposits_per_day * DAY_FACTOR[weekday] * share / 60

    def advance(self, t1_ms: int) -> None:
        """Run the bin's life up to t1, a minute at a time."""
        if self.done_ms is None:
            self.done_ms = t1_ms
        while self.done_ms + MIN_MS <= t1_ms:
            self.done_ms += MIN_MS
            self._minute(self.done_ms)
        self.now_ms = t1_ms

    def _minute(self, t_ms: int) -> None:
        lo, hi = self.site.item_l
        for _ in range(poisson(self.rng, self.deposit_rate_per_min(t_ms))):
            self.deposits += 1
            self.loose_l += self.rng.uniform(lo, hi)
            if self.loose_l >= self.geo.hopper_l:
                self.compact()
        local = self._local(t_ms)
        weekday = (local // DAY_MS + 3) % 7
        minute_of_day = (local % DAY_MS) // MIN_MS
        if weekday in self.site.round_days and \
                minute_of_day == self.site.round_hour * 60 + self.site.route_offset_min:
            self.collect(t_ms)

    def compact(self) -> None:
        self.packed_l += self.loose_l * self.geo.packed_ratio
        self.loose_l = 0.0
        self.compactions += 1
        self.on_compaction()

    def collect(self, t_ms: int) -> None:
        self.loose_l = self.packed_l = 0.0
        self.collections.append(t_ms)

    def fault(self, name: str) -> bool:
        start = self.faults.get(name)
        return start is not None and self.now_ms >= start

    # --- what is true ------------------------------------------------------------------------------------

    def level_pct(self) -> float:
        return (self.loose_l + self.packed_l) / self.geo.capacity_l * 100

    def surface_cm(self) -> float:
        g = self.geo
        return max(0.0, g.depth_cm - self.level_pct() / 100 * (g.depth_cm - g.full_cm))

    def air_temp_c(self) -> float:
        local = self._local(self.now_ms)
        hour = (local % DAY_MS) / HOUR_MS
        temp = 8.0 + 4.0 * math.sin(2 * math.pi * (hour - 9) / 24)
        start = self.faults.get("fire")
        if start is not None and self.now_ms >= start:
            temp += min(400.0, 2.0 * (self.now_ms - start) / MIN_MS)
        return temp

    def tilt_deg(self) -> float:
        return 60.0 if self.fault("tilt") else 2.0


class SimUltrasonic:
    """JSN-SR04T as the board's `ultrasonic`: round-trip echo times in us, None for a lost ping."""

    BLIND_CM = 21.0   # the sensor's own blind zone: anything nearer echoes as if it were here

    def __init__(self, physics: BinPhysics, rng: random.Random) -> None:
        self.physics = physics
        self.rng = rng
        self.pings = 0

    def echoes_us(self, n: int, gap_ms: int, timeout_us: int) -> list[int | None]:
        p = self.physics
        out: list[int | None] = []
        c = sound_speed(p.air_temp_c())
        for _ in range(n):
            self.pings += 1
            if p.fault("stuck_sensor"):
                out.append(None)
                continue
            roll = self.rng.random()
            if roll < 0.01:
                out.append(None)                          # lost ping
                continue
            if roll < 0.03:
                d = self.rng.uniform(5.0, 400.0)          # outlier: a falling item, the lid, multipath
            else:
                d = p.surface_cm() + self.rng.gauss(0.0, 1.0)
            d = max(d, self.BLIND_CM)
            echo = int(2 * d / 100 / c * 1e6)
            out.append(echo if echo <= timeout_us else None)
        return out


class SimAdc:
    """An ADC input in mV, computed by `read`."""

    def __init__(self, read: Callable[[], float]) -> None:
        self._read = read

    def read_mv(self) -> int:
        return int(self._read())


class SimAccelerometer:
    def __init__(self, physics: BinPhysics, rng: random.Random) -> None:
        self.physics = physics
        self.rng = rng

    def read_g(self) -> tuple[float, float, float]:
        a = math.radians(self.physics.tilt_deg())
        n = self.rng.gauss
        return math.sin(a) + n(0, 0.01), n(0, 0.01), math.cos(a) + n(0, 0.01)


class SimLid:
    """The lid's reed switch: open for ~3 s at each deposit, or jammed open (fault)."""

    def __init__(self, physics: BinPhysics, rng: random.Random) -> None:
        self.physics = physics
        self.rng = rng

    def is_open(self) -> bool:
        p = self.physics
        if p.fault("lid_open"):
            return True
        return self.rng.random() < p.deposit_rate_per_min(p.now_ms) * 3 / 60


class SimCompactor:
    """The compactor's pulse line. Pulses are kept while the board sleeps (on an ESP32 each one wakes it)."""

    def __init__(self) -> None:
        self.count = 0

    def pulse(self) -> None:
        self.count += 1

    def take(self) -> int:
        n, self.count = self.count, 0
        return n


class SmartBinModel:
    """A solar compacting bin in the city centre, wired to the board's smart-bin inputs."""

    kind = "smart_bin"
    prefix = "bin"
    faults = FAULTS
    tick_ms = 1_000

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.physics = BinPhysics(rng)
        self.compactor = SimCompactor()
        self.physics.on_compaction = self.compactor.pulse
        self.ultrasonic = SimUltrasonic(self.physics, rng)
        self.accel = SimAccelerometer(self.physics, rng)
        self.lid = SimLid(self.physics, rng)
        self.temp_adc = SimAdc(self._ntc_mv)
        self.battery_adc = SimAdc(self._battery_mv)
        self.board: SimBoard | None = None

    def setup(self, device_id: str, n: int, count: int) -> None:
        """Bins along one round, 5 minutes apart; busier and quieter spots; each starts part full."""
        site = self.physics.site
        site.route_offset_min = 5 * (n - 1) % 300
        site.deposits_per_day = 250.0 * (0.6 + 0.8 * ((n * 37) % 11) / 10)
        self.physics.packed_l = self.physics.geo.capacity_l * ((n * 23) % 50) / 100

    def app_config(self) -> dict[str, object]:
        g = self.physics.geo
        return {"bin_depth_cm": int(g.depth_cm), "full_cm": int(g.full_cm)}

    def attach(self, board: SimBoard) -> None:
        self.board = board
        for name in ("ultrasonic", "accel", "lid", "temp_adc", "battery_adc", "compactor"):
            setattr(board, name, getattr(self, name))

    def inject(self, fault: str, from_ms: int = 0) -> None:
        if fault not in FAULTS:
            raise ValueError(f"unknown smart bin fault {fault!r}; known: {', '.join(FAULTS)}")
        self.physics.faults[fault] = from_ms

    def advance(self, t0_ms: int, t1_ms: int) -> None:
        self.physics.advance(t1_ms)

    def _ntc_mv(self) -> float:
        # NTC (10 kOhm at 25 °C, beta 3950) to ground, 10 kOhm to 3.3 V
        if self.physics.fault("ntc_open"):
            return SUPPLY_MV
        t = self.physics.air_temp_c() + self.rng.gauss(0.0, 0.1) + 273.15
        r = 10_000 * math.exp(3950 * (1 / t - 1 / 298.15))
        return SUPPLY_MV * r / (r + 10_000)

    def _battery_mv(self) -> float:
        # a solar-charged Li-ion cell (3.6-4.1 V over the day) through a 2:1 divider
        local = self.physics._local(self.physics.now_ms)
        hour = (local % DAY_MS) / HOUR_MS
        volts = 3.85 + 0.2 * math.sin(2 * math.pi * (hour - 10) / 24)
        return volts * 1000 / 2
