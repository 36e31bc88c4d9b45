"""The smart bin physics (simulators/bin.py): deposits on the day profile, compaction, collection rounds, the
simulated sensors (outlier and lost pings, speed of sound), the faults, and deep sleep in the fleet."""

from __future__ import annotations

import random
import socket
from pathlib import Path

import pytest
from cityfw.drivers.ultrasonic import distance_cm
from cityfw.drivers.ultrasonic import sound_speed as board_sound_speed

from simulators.bin import DAY_MS, HOUR_MS, MIN_MS, BinPhysics, SmartBinModel, sound_speed
from simulators.board import UNSYNCED_EPOCH_MS
from simulators.fleet import BrokerAddress, Fleet

MONDAY = 1_794_787_200_000   # Monday 2026-11-16 00:00 UTC (01:00 Brussels)


def test_deposits_follow_the_pedestrian_day_profile() -> None:
    p = BinPhysics(random.Random(1))
    p.geo.hopper_l = 1e9   # no compaction: count the waste
    p.advance(MONDAY - HOUR_MS)
    per_hour = [0] * 24
    for h in range(24 * 5):   # Monday-Friday
        before = p.deposits
        p.advance(MONDAY - HOUR_MS + (h + 1) * HOUR_MS)   # from 00:00 Brussels time
        per_hour[h % 24] += p.deposits - before
    night = sum(per_hour[1:6])
    plateau = sum(per_hour[12:17])
    assert plateau > 20 * night, per_hour
    assert 5 * 200 < sum(per_hour) < 5 * 300, f"~250 deposits per weekday, got {sum(per_hour)} in 5 days"


def test_compaction_presses_loose_waste_to_a_fifth_and_pulses() -> None:
    p = BinPhysics(random.Random(2))
    pulses = []
    p.on_compaction = lambda: pulses.append(1)
    p.loose_l = 39.0
    p.packed_l = 10.0
    before = p.level_pct()
    p.loose_l = 40.0
    p.compact()
    assert p.loose_l == 0 and p.packed_l == pytest.approx(18.0) and pulses == [1]
    assert p.level_pct() < before - 12


def test_collection_rounds_empty_the_bin_monday_wednesday_friday_at_seven() -> None:
    p = BinPhysics(random.Random(3))
    p.site.route_offset_min = 10
    p.advance(MONDAY - HOUR_MS)
    p.advance(MONDAY - HOUR_MS + 7 * DAY_MS)   # a week from Monday 00:00 Brussels
    local_days = [((t + HOUR_MS) // DAY_MS - (MONDAY // DAY_MS)) for t in p.collections]
    assert local_days == [0, 2, 4], p.collections
    assert all((t + HOUR_MS) % DAY_MS == 7 * HOUR_MS + 10 * MIN_MS for t in p.collections)


def test_pings_have_outliers_and_losses_that_the_median_removes() -> None:
    m = SmartBinModel(random.Random(4))
    m.physics.packed_l = 120.0   # 50 %: surface at 70 cm
    m.physics.advance(MONDAY)
    true_cm = m.physics.surface_cm()
    echoes = m.ultrasonic.echoes_us(20_000, 60, 30_000)
    lost = echoes.count(None)
    c = sound_speed(m.physics.air_temp_c())
    off = sum(1 for e in echoes if e is not None and abs(e * c / 20_000 - true_cm) > 5)
    assert 0.005 < lost / len(echoes) < 0.02, lost
    assert 0.012 < off / len(echoes) < 0.03, off
    for _ in range(50):
        d, _valid = distance_cm(m.ultrasonic.echoes_us(7, 60, 30_000), m.physics.air_temp_c(), 22, 500)
        assert d is not None and abs(d - true_cm) < 3, (d, true_cm)


def test_board_speed_of_sound_is_close_to_the_physical_law() -> None:
    for t in (-10, 0, 10, 20, 35):
        assert board_sound_speed(t) == pytest.approx(sound_speed(t), rel=0.002), t


def test_faults() -> None:
    m = SmartBinModel(random.Random(5))
    for fault in ("fire", "tilt", "stuck_sensor", "lid_open", "ntc_open"):
        m.inject(fault, MONDAY + HOUR_MS)
    m.physics.advance(MONDAY)
    m.physics.advance(MONDAY + 30 * MIN_MS)
    calm = m.physics.air_temp_c()
    assert m.ultrasonic.echoes_us(7, 60, 30_000).count(None) < 7 and m.accel.read_g()[2] > 0.99
    m.physics.advance(MONDAY + HOUR_MS + 10 * MIN_MS)
    assert m.physics.air_temp_c() > calm + 19, "fire: +2 °C per minute"
    assert m.ultrasonic.echoes_us(7, 60, 30_000) == [None] * 7
    assert m.accel.read_g()[0] == pytest.approx(0.866, abs=0.05)
    assert m.lid.is_open() and m.temp_adc.read_mv() == 3300
    with pytest.raises(ValueError, match="known: fire, tilt"):
        m.inject("flood", 0)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_fleet_wakes_a_sleeping_bin_with_its_clock_still_set(tmp_path: Path) -> None:
    fleet = Fleet("smart_bin", 1, BrokerAddress("127.0.0.1", _closed_port()), tmp_path, MONDAY, speed=0)
    fleet.boot_all()
    dev = fleet.devices["bin-0001"]
    boards = [dev.board]
    while dev.sleeps < 2 and fleet.sim.now_ms < MONDAY + HOUR_MS:
        fleet.step()
        if dev.board is not boards[-1]:
            boards.append(dev.board)
    assert dev.sleeps == 2 and len(boards) == 2, (dev.sleeps, len(boards))
    woke = boards[1]
    assert woke is not None and woke.reset_cause() == "deep_sleep"
    assert dev.sup is not None and dev.sup.clock.synced, "the RTC kept its time through deep sleep"
    assert woke.wifi.attempts == 0, "a wake with nothing to send keeps the radio off"


def test_an_unsynced_rtc_keeps_counting_through_deep_sleep(tmp_path: Path) -> None:
    # no WiFi, so never NTP: the RTC runs on from 2000-01-01 through every sleep, as an ESP32's does, and the bin
    # keeps to its schedule on that clock (telemetry hourly, not at every wake)
    fleet = Fleet("smart_bin", 1, BrokerAddress("127.0.0.1", _closed_port()), tmp_path, MONDAY, speed=0)
    fleet.offline("bin-0001", 0, 10 * HOUR_MS)
    fleet.boot_all()
    dev = fleet.devices["bin-0001"]
    while fleet.sim.now_ms < MONDAY + 2 * HOUR_MS:
        fleet.step()
    assert dev.sleeps >= 20 and dev.board is not None and dev.board.reset_cause() == "deep_sleep", dev.sleeps
    assert dev.sup is not None and not dev.sup.clock.synced
    assert dev.board.rtc.now_ms() == UNSYNCED_EPOCH_MS + fleet.sim.now_ms - MONDAY, "the RTC restarted at a wake"
    tele = [line for line in (tmp_path / "bin-0001" / "outbox").glob("s*") for line in line.read_text().splitlines()
            if " tele " in line]
    assert len(tele) <= 3, f"telemetry at every wake: {len(tele)} in 2 h"
