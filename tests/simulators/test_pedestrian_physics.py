"""The pedestrian physics (simulators/pedestrians.py): day/week profile, groups, direction split, beam timing,
faults, and the ground truth the end-to-end tests compare the counters with."""

from __future__ import annotations

import random
from pathlib import Path

from simulators.board import SimBoard, SimTime
from simulators.pedestrians import BIN_MS, DAY_MS, HOUR_MS, PedestrianModel, Street, StreetProfile

MONDAY = 1_794_787_200_000   # Monday 2026-11-16 00:00 UTC (01:00 Brussels)


def _local_hour_bins(street: Street, day_start: int) -> dict[int, int]:
    # people per Brussels local hour (CET: UTC+1) of one day starting at local midnight
    out: dict[int, int] = {}
    for start, b in street.truth.bins.items():
        if day_start <= start < day_start + DAY_MS:
            hour = (start - day_start) // HOUR_MS
            out[hour] = out.get(hour, 0) + b.people_in + b.people_out
    return out


def test_a_week_follows_the_profile_weekday_saturday_sunday_night_and_plateau() -> None:
    street = Street(random.Random(3), StreetProfile(lanes=1))   # the whole street through one counter
    local_midnight = MONDAY - HOUR_MS   # 00:00 CET
    street.generate(local_midnight + 7 * DAY_MS, local_midnight)
    days = [street.truth.totals(local_midnight + d * DAY_MS, local_midnight + (d + 1) * DAY_MS) for d in range(7)]
    people = [d.people_in + d.people_out for d in days]
    for weekday in people[:5]:
        assert abs(weekday / 32_000 - 1) < 0.03, people
    weekday = sum(people[:5]) / 5
    assert abs(people[5] / weekday - 1.3) < 0.05, ("Saturday ~1.3x a weekday", people)
    assert people[6] < 0.5 * weekday, ("Sunday low", people)
    hours = _local_hour_bins(street, local_midnight)
    night = sum(hours.get(h, 0) for h in range(1, 6))
    assert night < 0.01 * people[0], ("near zero 01-06 h", night, people[0])
    plateau = [hours[h] for h in range(12, 17)]
    assert min(plateau) > 2 * hours[9], ("rising from 09 h to the plateau", hours)
    assert max(plateau) < 1.1 * min(plateau), ("flat 12-17 h", plateau)
    assert max(hours.values()) in plateau, hours


def test_groups_of_one_to_four_and_a_fifty_fifty_split() -> None:
    street = Street(random.Random(5))
    street.generate(MONDAY + DAY_MS, MONDAY)
    t = street.truth.totals()
    people = t.people_in + t.people_out
    assert abs(t.people_in / people - 0.5) < 0.02, (t.people_in, t.people_out)
    assert t.alone_in + t.alone_out + t.grouped_in + t.grouped_out == people, t
    per_group = (t.grouped_in + t.grouped_out) / t.groups
    assert 2.0 < per_group < 4.0, ("groups are 2-4 people", per_group)
    assert 0.5 < (t.grouped_in + t.grouped_out) / people < 0.7, "about 60 % of people walk in a group"


class Recorder:
    def __init__(self) -> None:
        self.edges: list[tuple[int, bool, int]] = []

    def __call__(self, beam: int, broken: bool, ticks: int) -> None:
        self.edges.append((beam, broken, ticks))


def _model(tmp_path: Path, profile: StreetProfile, seed: int = 1) -> tuple[PedestrianModel, Recorder]:
    model = PedestrianModel(random.Random(seed), profile)
    board = SimBoard(SimTime(MONDAY), tmp_path / "flash", seed)
    model.attach(board)
    rec = Recorder()
    board.beams.attach(rec)
    return model, rec


def _breaks(edges: list[tuple[int, bool, int]], beam: int) -> list[tuple[int, int]]:
    out, start = [], None
    for b, broken, t in edges:
        if b != beam:
            continue
        if broken:
            assert start is None, "a beam breaks only when it is clear"
            start = t
        else:
            assert start is not None, "a beam clears only when it is broken"
            out.append((start, t))
            start = None
    return out


def test_a_lone_walker_breaks_a_then_b_for_the_time_a_body_takes_to_cross(tmp_path: Path) -> None:
    # a quiet street: walkers never overlap, so every break is one body
    model, rec = _model(tmp_path, StreetProfile(people_per_day=200, lanes=1, group_sizes=((1, 1.0),), share_in=1.0))
    for t in range(MONDAY, MONDAY + DAY_MS, 10_000):
        model.advance(t, t + 10_000)
    a, b = _breaks(rec.edges, 0), _breaks(rec.edges, 1)
    truth = model.truth.totals()
    assert len(a) == len(b) == truth.people_in > 100, (len(a), len(b), truth)
    for (sa, ea), (sb, eb) in zip(a, b):
        assert 160 <= ea - sa <= 500 and 160 <= eb - sb <= 500, ("0.3-0.5 m at 1.0-1.8 m/s", ea - sa, eb - sb)
        assert 80 <= sb - sa <= 150, ("15 cm between the beams at 1.0-1.8 m/s", sb - sa)
    assert [t for _, _, t in rec.edges] == sorted(t for _, _, t in rec.edges), "edges come in time order"


def test_people_who_cross_together_break_each_beam_once(tmp_path: Path) -> None:
    model, rec = _model(tmp_path, StreetProfile(people_per_day=200, lanes=1, group_sizes=((4, 1.0),)))
    for t in range(MONDAY, MONDAY + DAY_MS, 10_000):
        model.advance(t, t + 10_000)
    truth = model.truth.totals()
    assert truth.groups > 20, truth
    assert len(_breaks(rec.edges, 0)) == truth.groups, "four people abreast: one break per group"


def test_blocked_beam_holds_beam_a_for_half_an_hour(tmp_path: Path) -> None:
    model, rec = _model(tmp_path, StreetProfile(people_per_day=0))
    model.inject("blocked_beam", MONDAY + HOUR_MS)
    for t in range(MONDAY, MONDAY + 2 * HOUR_MS, 10_000):
        model.advance(t, t + 10_000)
    assert _breaks(rec.edges, 0) == [(HOUR_MS, HOUR_MS + 30 * 60_000)], rec.edges   # ticks since the board's boot
    assert _breaks(rec.edges, 1) == [], "beam b stays clear"


def test_beam_glitches_are_shorter_than_the_counter_filter(tmp_path: Path) -> None:
    model, rec = _model(tmp_path, StreetProfile(people_per_day=0))
    model.inject("beam_glitch", MONDAY)
    for t in range(MONDAY, MONDAY + HOUR_MS, 10_000):
        model.advance(t, t + 10_000)
    glitches = _breaks(rec.edges, 0) + _breaks(rec.edges, 1)
    assert 60 <= len(glitches) <= 200, ("about 2 a minute", len(glitches))
    assert all(2 <= e - s <= 20 for s, e in glitches), glitches


def test_ground_truth_bins_are_quarter_hours() -> None:
    street = Street(random.Random(9))
    street.generate(MONDAY + DAY_MS, MONDAY)
    assert all(start % BIN_MS == 0 for start in street.truth.bins), "bins start on the quarter hour"
    assert street.truth.totals(MONDAY, MONDAY + DAY_MS).people_in > 0
