"""The park path physics (simulators/park.py): poles placed along paths, passers-by shared by a path's poles at
walking and cycling speed, the evening profile, the simulated lamp, motion sensor and current sense, faults."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from simulators.board import SimBoard, SimTime
from simulators.park import (
    CYCLE_MPS,
    HOURLY,
    POLE_SPACING_M,
    POLES_PER_PATH,
    SENSOR_RANGE_M,
    WALK_MPS,
    ParkLightModel,
    ParkPath,
)

EVENING = 1_794_873_600_000 + 16 * 3_600_000   # 2026-11-17 16:00 UTC (17:00 Brussels)
HOUR_MS = 3_600_000


def _fleet_models(count: int, seed: int = 1) -> list[ParkLightModel]:
    # as the fleet builds them: one after another, device 1 first
    models = []
    for n in range(1, count + 1):
        model = ParkLightModel(random.Random(seed * 100_003 + n))
        model.setup(f"light-{n:04d}", n, count)
        models.append(model)
    return models


def test_poles_are_placed_along_paths_of_eight_sharing_one_path() -> None:
    models = _fleet_models(20)
    configs = [m.app_config() for m in models]
    assert [c["group"] for c in configs] == ["path-01"] * 8 + ["path-02"] * 8 + ["path-03"] * 4
    assert [c["pole"] for c in configs] == list(range(8)) * 2 + list(range(4))
    assert len({id(m.path) for m in models}) == 3, "one shared path per group"
    assert models[19].path is not None and models[19].path.poles == 4
    assert models[0].path is not None and models[0].path.position(3) == 3 * POLE_SPACING_M


def test_a_new_fleet_gets_a_fresh_path_and_the_same_seed_the_same_passers() -> None:
    first = _fleet_models(8)
    again = _fleet_models(8)
    assert first[0].path is not again[0].path, "a new fleet does not share the old fleet's path"
    for models in (first, again):
        assert models[0].path is not None
        models[0].path.advance_to(EVENING + 2 * HOUR_MS)
    assert first[0].path is not None and again[0].path is not None
    assert first[0].path.passers == again[0].path.passers, "deterministic for a given seed"


def test_traffic_is_sparse_at_night_and_busiest_in_the_evening() -> None:
    evening = sum(HOURLY[18:23]) / 5
    night = sum(HOURLY[1:5]) / 4
    assert max(range(24), key=lambda h: HOURLY[h]) in range(18, 23)
    assert evening > 10 * night
    path = ParkPath("p", 8, random.Random(3))
    path.advance_to(EVENING)
    day0 = EVENING - EVENING % (24 * HOUR_MS) + 23 * HOUR_MS   # 23:00 UTC = midnight in Brussels
    counts = []
    for _ in range(20):   # 20 nights
        before = path.total
        path.advance_to(day0 + 24 * HOUR_MS)
        counts.append(path.total - before)
        day0 += 24 * HOUR_MS
    assert abs(sum(counts) / 20 - sum(HOURLY)) < 0.1 * sum(HOURLY), counts


def test_walkers_and_cyclists_pass_the_poles_at_their_speeds() -> None:
    path = ParkPath("p", 8, random.Random(4))
    path.traffic = 0.0
    walker = path.add(EVENING, forward=True)
    cyclist = path.add(EVENING, forward=False, cyclist=True)
    assert walker.speed_mps == WALK_MPS and cyclist.speed_mps == -CYCLE_MPS
    t_walk = walker.when_at(path.position(3)) - walker.when_at(path.position(2))
    assert t_walk == pytest.approx(POLE_SPACING_M / WALK_MPS * 1000)
    t_cycle = cyclist.when_at(path.position(2)) - cyclist.when_at(path.position(3))
    assert t_cycle == pytest.approx(POLE_SPACING_M / CYCLE_MPS * 1000)
    # pole 2's sensor: each passer-by comes into range once, and is present only while within range
    for passer in (walker, cyclist):
        alone = ParkPath("q", 8, random.Random(5))
        alone.traffic = 0.0
        alone.passers.append(passer)
        arrivals_total, t = 0, EVENING
        while t < EVENING + 400_000:
            arrivals, present = alone.seen(2, t, t + 1000)
            arrivals_total += arrivals
            assert present == (abs(passer.at(t + 1000) - alone.position(2)) < SENSOR_RANGE_M), t
            t += 1000
        assert arrivals_total == 1, f"{passer} seen coming {arrivals_total} times"


def test_lamp_records_levels_and_power_and_faults_act_on_the_hardware(tmp_path: Path) -> None:
    sim = SimTime(EVENING)
    model = _fleet_models(1)[0]
    board = SimBoard(sim, tmp_path, 1)
    model.attach(board)
    lamp, sensor, sense = board.lamp, board.pir, board.lamp_current   # type: ignore[attr-defined]
    lamp.set_level(20)
    model.advance(sim.now_ms, sim.now_ms + HOUR_MS)
    assert model.energy_wh == pytest.approx(30 * 0.2 + 1)
    assert 180 <= sense.read_mv() <= 220
    assert lamp.level_at(EVENING) == 20 and lamp.level_at(EVENING - 1) is None
    model.inject("lamp_failure", EVENING + HOUR_MS)
    model.advance(EVENING + HOUR_MS, EVENING + HOUR_MS + 1000)
    assert sense.read_mv() < 10
    model.inject("day_burner", 0)
    model.advance(EVENING, EVENING + 1000)
    lamp.set_level(0)
    assert sense.read_mv() > 900, "the driver stays at full whatever the drive"
    model.inject("stuck_sensor", 0)
    model.advance(EVENING, EVENING + 1000)
    assert sensor.value() == 1 and sensor.take() == 0, "stuck high: no edges"
    with pytest.raises(ValueError, match="lamp_failure"):
        model.inject("flood", 0)
    assert POLES_PER_PATH == 8
