"""Pedestrian physics in front of a two-beam counter, and the ground truth the tests compare against.

People arrive in groups of 1-4 as a non-homogeneous Poisson process, constant within each 15-minute bin of
Brussels local time: near zero 01-06 h, rising from 09 h, a plateau 12-17 h; Saturday ~1.3x a weekday,
Sunday low (shops closed). Each group walks in or out (~50/50) at 1.0-1.8 m/s; its members walk abreast,
a few centimetres apart, so their bodies cut the beams at nearly the same moment (the counter sees one
break: the group undercount). A body breaks a beam while it crosses it, depth / speed = ~0.2-0.5 s.
Beam a is on the street side, b ~15 cm further in: in = a then b.

Beam states are the union of the bodies in them, so people who happen to cross at the same moment merge
into one break too, exactly as on a real sensor. The simulator keeps, per 15-minute bin (UTC start ms), the
true passages in and out, split into people who walked alone and people in groups.

Faults: `blocked_beam` (an object stands in beam a for `block_ms`, default 30 min, then is taken away) and
`beam_glitch` (insects/rain: breaks of 2-20 ms, shorter than the counter's 25 ms filter, about 2 a minute).
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from cityfw.core.localtime import offset_ms

from simulators.board import SimBoard

MIN_MS = 60_000
HOUR_MS = 3_600_000
DAY_MS = 86_400_000
BIN_MS = 15 * MIN_MS
A, B = 0, 1

FAULTS: tuple[str, ...] = ("blocked_beam", "beam_glitch")

# share of a weekday's people per local hour (00-23): near zero 01-06 h, rising from 09 h, plateau 12-17 h
WEEKDAY_HOURS = (0.6, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.2, 3.6, 5.5, 7.2,
                 8.6, 8.8, 8.8, 8.8, 8.8, 8.6, 6.8, 4.6, 3.0, 2.0, 1.4, 0.9)
DAY_FACTOR = (1.0, 1.0, 1.0, 1.0, 1.0, 1.3, 0.35)   # Monday .. Sunday
GROUP_SIZES = ((1, 0.60), (2, 0.28), (3, 0.08), (4, 0.04))   # people per group, share of groups


@dataclass
class StreetProfile:
    people_per_day: float = 32_000.0      # the street on a weekday (Rue Neuve)
    lanes: int = 8                        # counters sharing the street's width (one pair per lane); this one sees 1/lanes
    share_in: float = 0.5                 # direction split
    group_sizes: tuple[tuple[int, float], ...] = GROUP_SIZES
    speed_mps: tuple[float, float] = (1.0, 1.8)
    depth_m: tuple[float, float] = (0.30, 0.50)   # body + swinging arms, along the walking direction
    abreast_m: float = 0.10                # how far a group's members are staggered along the path
    beam_gap_m: float = 0.15               # distance between the beams (10-20 cm)
    utc_offset_min: int = 60

    def mean_group(self) -> float:
        total = sum(share for _, share in self.group_sizes)
        return sum(size * share for size, share in self.group_sizes) / total

    def rate_per_ms(self, t_ms: int) -> float:
        """People per ms at t (constant over each 15-minute bin)."""
        local = t_ms + int(offset_ms(t_ms, self.utc_offset_min, True))   # Brussels: CET/CEST
        weekday = (local // DAY_MS + 3) % 7   # 1970-01-01 was a Thursday; 0 = Monday
        hour = (local // HOUR_MS) % 24
        share = WEEKDAY_HOURS[hour] / sum(WEEKDAY_HOURS)
        return self.people_per_day / self.lanes * DAY_FACTOR[weekday] * share / HOUR_MS


@dataclass
class TrueBin:
    """What really walked past in one 15-minute bin."""

    people_in: int = 0
    people_out: int = 0
    alone_in: int = 0          # people who walked alone
    alone_out: int = 0
    grouped_in: int = 0        # people who walked in a group of 2-4
    grouped_out: int = 0
    groups: int = 0            # groups of 2-4


@dataclass
class GroundTruth:
    bins: dict[int, TrueBin] = field(default_factory=dict)

    def add(self, t_ms: int, inward: bool, size: int) -> None:
        b = self.bins.setdefault(t_ms - t_ms % BIN_MS, TrueBin())
        if inward:
            b.people_in += size
            if size == 1:
                b.alone_in += 1
            else:
                b.grouped_in += size
        else:
            b.people_out += size
            if size == 1:
                b.alone_out += 1
            else:
                b.grouped_out += size
        if size > 1:
            b.groups += 1

    def totals(self, t0_ms: int = 0, t1_ms: int = 2**62) -> TrueBin:
        """Sum of the bins starting in [t0, t1)."""
        out = TrueBin()
        for start, b in self.bins.items():
            if t0_ms <= start < t1_ms:
                for name in ("people_in", "people_out", "alone_in", "alone_out", "grouped_in", "grouped_out",
                             "groups"):
                    setattr(out, name, getattr(out, name) + getattr(b, name))
        return out


class Street:
    """The walkway at the counter: generates people bin by bin and turns them into beam breaks."""

    def __init__(self, rng: random.Random, profile: StreetProfile | None = None) -> None:
        self.rng = rng
        self.profile = profile or StreetProfile()
        self.truth = GroundTruth()
        self.generated_until: int | None = None
        self.breaks: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])   # heaps of (start, end)

    def block(self, beam: int, t0_ms: int, t1_ms: int) -> None:
        heapq.heappush(self.breaks[beam], (t0_ms, t1_ms))

    def generate(self, until_ms: int, from_ms: int | None = None) -> None:
        """Draw the people of every bin that starts before until_ms (the first time: from from_ms on)."""
        if self.generated_until is None:
            self.generated_until = until_ms if from_ms is None else from_ms
        p = self.profile
        rng = self.rng
        gap = p.beam_gap_m
        sizes = [size for size, _ in p.group_sizes]
        weights = [share for _, share in p.group_sizes]
        while self.generated_until < until_ms:
            start = self.generated_until
            end = start - start % BIN_MS + BIN_MS
            self.generated_until = end
            groups_per_ms = p.rate_per_ms(start) / p.mean_group()
            if groups_per_ms <= 0:
                continue
            t = start + rng.expovariate(groups_per_ms)
            while t < end:
                size = rng.choices(sizes, weights)[0]
                inward = rng.random() < p.share_in
                speed = rng.uniform(*p.speed_mps) / 1000.0   # m per ms
                first, second = (A, B) if inward else (B, A)
                for _ in range(size):
                    front = t + rng.uniform(0.0, p.abreast_m) / speed
                    held = rng.uniform(*p.depth_m) / speed
                    s1 = int(front)
                    s2 = int(front + gap / speed)
                    heapq.heappush(self.breaks[first], (s1, int(front + held)))
                    heapq.heappush(self.breaks[second], (s2, int(front + gap / speed + held)))
                self.truth.add(int(t + gap / speed), inward, size)
                t += rng.expovariate(groups_per_ms)

    def add(self, t_ms: int, inward: bool = True, speed_mps: float = 1.4, depth_m: float = 0.4) -> None:
        """One person walking through the beams alone, breaking the first beam at t_ms (tests, demos); set
        `profile.people_per_day = 0` before the street is first generated for a walkway with nobody else."""
        gap = self.profile.beam_gap_m
        speed = speed_mps / 1000.0   # m per ms
        held = depth_m / speed
        first, second = (A, B) if inward else (B, A)
        heapq.heappush(self.breaks[first], (t_ms, int(t_ms + held)))
        heapq.heappush(self.breaks[second], (int(t_ms + gap / speed), int(t_ms + gap / speed + held)))
        self.truth.add(int(t_ms + gap / speed), inward, 1)


class SimBeams:
    """The two IR receivers as the board sees them: `attach(on_edge)` then edges (beam, broken, ticks_ms)."""

    def __init__(self) -> None:
        self.on_edge: Callable[[int, bool, int], None] | None = None
        self.state = [False, False]
        self.edges = 0

    def attach(self, on_edge: Callable[[int, bool, int], None]) -> None:
        self.on_edge = on_edge

    def broken(self, beam: int) -> bool:
        return self.state[beam]

    def edge(self, beam: int, broken: bool, ticks_ms: int) -> None:
        self.state[beam] = broken
        self.edges += 1
        if self.on_edge is not None:
            self.on_edge(beam, broken, ticks_ms)


class BeamTracer:
    """Turns overlapping body intervals on each beam into the beam's break/release edges, in time order."""

    def __init__(self, street: Street) -> None:
        self.street = street
        self.open: list[list[int] | None] = [None, None]   # [start, end] of a break whose release is pending

    def edges(self, t1_ms: int) -> list[tuple[int, int, bool]]:
        """(t, beam, broken) of every edge up to t1, in time order."""
        out: list[tuple[int, int, bool]] = []
        for beam in (A, B):
            heap = self.street.breaks[beam]
            while True:
                cur = self.open[beam]
                if cur is not None:
                    self.street.generate(cur[1] + BIN_MS)   # every body that starts before the release is known
                    while heap and heap[0][0] <= cur[1]:
                        cur[1] = max(cur[1], heapq.heappop(heap)[1])
                    if cur[1] > t1_ms:
                        break
                    out.append((cur[1], beam, False))
                    self.open[beam] = None
                elif heap and heap[0][0] <= t1_ms:
                    start, end = heapq.heappop(heap)
                    self.open[beam] = [start, end]
                    out.append((start, beam, True))
                else:
                    break
        out.sort()
        return out


class PedestrianModel:
    """A two-beam pedestrian counter on a shopping street, wired to the board's beam_a / beam_b inputs."""

    kind = "pedestrian_counter"
    prefix = "ped"
    faults = FAULTS
    tick_ms = 10_000

    def __init__(self, rng: random.Random, profile: StreetProfile | None = None) -> None:
        self.rng = rng
        self.street = Street(rng, profile)
        self.tracer = BeamTracer(self.street)
        self.block_ms = 30 * MIN_MS
        self.next_glitch: int | None = None
        self.board: SimBoard | None = None
        self.beams = SimBeams()
        self.boot_ms = 0

    @property
    def truth(self) -> GroundTruth:
        return self.street.truth

    def setup(self, device_id: str, n: int, count: int) -> None:
        """Counters are independent streets; nothing depends on the board's place in the fleet."""

    def app_config(self) -> dict[str, object]:
        return {}

    def attach(self, board: SimBoard) -> None:
        # a (re)booted board: fresh receivers showing the beams' present state; edges go to its tick clock.
        # `board.beams` is what Esp32Board builds from the beam_a / beam_b pins (firmware/hal/beams.py)
        old = self.beams.state
        self.beams = SimBeams()
        self.beams.state = list(old)
        self.board = board
        self.boot_ms = board.rtc.boot_ms
        board.beams = self.beams

    def inject(self, fault: str, from_ms: int = 0) -> None:
        if fault == "blocked_beam":
            self.street.block(A, from_ms, from_ms + self.block_ms)
        elif fault == "beam_glitch":
            self.next_glitch = from_ms
        else:
            raise ValueError(f"unknown pedestrian counter fault {fault!r}; known: {', '.join(FAULTS)}")

    def _glitches(self, t1_ms: int) -> None:
        if self.next_glitch is None:
            return
        while self.next_glitch <= t1_ms:
            t = self.next_glitch
            self.street.block(self.rng.randrange(2), t, t + self.rng.randint(2, 20))
            self.next_glitch = t + int(self.rng.expovariate(2 / MIN_MS))

    def advance(self, t0_ms: int, t1_ms: int) -> None:
        self.street.generate(t1_ms + BIN_MS, t0_ms)
        self._glitches(t1_ms)
        boot = self.boot_ms
        edge = self.beams.edge
        for t, beam, broken in self.tracer.edges(t1_ms):
            edge(beam, broken, t - boot)
