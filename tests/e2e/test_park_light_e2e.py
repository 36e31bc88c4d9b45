"""Park lights end to end: real mosquitto (presence between poles, commands), hub, real InfluxDB.

Every fleet here is one path of poles (`light-0001`... are poles 0, 1, ... of group `path-01`, 25 m apart)
running the real firmware (`firmware/apps/park_light.py`) on simulated hardware (`simulators/park.py`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from typer.testing import CliRunner

from hub.cli.main import app
from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from simulators.fleet import Fleet
from simulators.park import POLE_SPACING_M, SENSOR_RANGE_M, ParkPath
from tests.e2e.conftest import DB, START_MS, settle

HOUR_MS = 3_600_000
DUSK_MS = START_MS + 16 * HOUR_MS     # 2026-11-17 16:00 UTC: after sunset (15:55 UTC) in Brussels
BASE, FULL = 20, 100
PRESENCE_PAUSE_S = 0.005


def _path(fleet: Fleet) -> ParkPath:
    path = fleet.devices["light-0001"].model.path
    assert path is not None
    return path


def _lamp(fleet: Fleet, device_id: str) -> int:
    sup = fleet.devices[device_id].sup
    assert sup is not None
    level: int = sup.app.level
    return level


def _steps(fleet: Fleet, seconds: int, pause_s: float = 0.0) -> None:
    for _ in range(seconds):
        fleet.step()
        if pause_s:
            time.sleep(pause_s)   # as fast as possible, a simulated second would be shorter than the broker's
            fleet.idle_pass()     # delivery: let presence arrive as it does within a board's 200 ms loop


def test_injected_faults_raise_the_right_event_on_the_right_light_only(hub: Hub, influxdb: InfluxDB1,
                                                                       make_fleet) -> None:
    fleet = make_fleet(6, kind="park_light", start_ms=DUSK_MS)
    fleet.inject("light-0002", "lamp_failure")
    fleet.inject("light-0005", "stuck_sensor")
    fleet.run(20 * 60_000)
    settle(hub)

    alarms = hub.store.alarms(limit=100)
    assert sorted((a.device_id, a.alarm) for a in alarms) == [("light-0002", "LAMP_FAILURE"),
                                                              ("light-0005", "SENSOR_STUCK")]
    assert all(a.open for a in alarms)
    stored = influxdb.points("SELECT * FROM alarm", db=DB)
    assert sorted((r["device_id"], r["kind"], r["alarm"], r["state"]) for r in stored) == [
        ("light-0002", "park_light", "LAMP_FAILURE", "raised"), ("light-0005", "park_light", "SENSOR_STUCK", "raised")]
    failure = next(r for r in stored if r["alarm"] == "LAMP_FAILURE")
    assert failure["lamp_mv"] < 0.3 * failure["expected_mv"], failure
    tele = influxdb.points("SELECT * FROM park_light", db=DB)
    assert {r["device_id"] for r in tele} == set(fleet.devices), "every pole reports telemetry"
    stuck = [r for r in tele if r["device_id"] == "light-0005"]
    assert stuck[-1]["sensor_fault"] == 1, "telemetry of the stuck sensor's pole is flagged"
    assert fleet.stats()["crashes"] == 0


def test_a_passer_by_brightens_the_poles_ahead_before_they_arrive(mosquitto: Mosquitto, make_fleet) -> None:
    fleet = make_fleet(8, kind="park_light", start_ms=DUSK_MS)
    path = _path(fleet)
    path.traffic = 0.0                    # nobody else on the path: only the two passers-by below
    fleet.boot_all()
    _steps(fleet, 120)                    # connected, clocks synced, every pole at base
    assert all(_lamp(fleet, d) == BASE for d in fleet.devices), "at rest: base level"
    walker = path.add(fleet.sim.now_ms, forward=True)
    _steps(fleet, 400, PRESENCE_PAUSE_S)  # 255 m of path at 1.4 m/s, then the hold and fade
    cyclist = path.add(fleet.sim.now_ms, forward=False, cyclist=True)
    _steps(fleet, 200, PRESENCE_PAUSE_S)
    fleet.drain()
    for passer in (walker, cyclist):
        ahead = []
        for n, dev in enumerate(fleet.devices.values()):
            assert dev.model.lamp is not None
            x = path.position(n)
            seen_from = passer.when_at(x - SENSOR_RANGE_M if passer.speed_mps > 0 else x + SENSOR_RANGE_M)
            first_pole = 0 if passer.speed_mps > 0 else len(fleet.devices) - 1
            full_at = next((t for t, level in dev.model.lamp.changes if level == FULL and t >= passer.enter_ms),
                           None)
            assert full_at is not None, f"pole {n} never brightened for {passer}"
            if n == first_pole:
                continue   # the first pole can only see them itself
            assert full_at < seen_from, (f"pole {n} reached {FULL} % at {full_at}, only after its own sensor "
                                         f"could see the passer-by ({seen_from:.0f})")
            ahead.append(abs(passer.at(full_at) - x))
        assert min(ahead) > SENSOR_RANGE_M and max(ahead) >= POLE_SPACING_M, f"metres ahead at full: {ahead}"
    assert all(_lamp(fleet, d) == BASE for d in fleet.devices), "back to base once they have gone"


def test_broker_stopped_at_night_lights_go_full_after_the_failsafe_delay_then_dynamic_again(
        hub: Hub, mosquitto: Mosquitto, make_fleet) -> None:
    fleet = make_fleet(3, kind="park_light", start_ms=DUSK_MS)
    _path(fleet).traffic = 0.0
    fleet.boot_all()
    _steps(fleet, 60)
    assert all(_lamp(fleet, d) == BASE for d in fleet.devices)
    mosquitto.stop()
    stopped_at = fleet.sim.now_ms
    failsafe_s = 900
    full_at: dict[str, int] = {}
    for _ in range(failsafe_s + 120):
        fleet.step()
        for did in fleet.devices:
            if _lamp(fleet, did) == FULL and did not in full_at:
                full_at[did] = fleet.sim.now_ms
    assert sorted(full_at) == sorted(fleet.devices), "every light went to full without its broker"
    for did, when in full_at.items():
        assert when - stopped_at > failsafe_s * 1000, f"{did} went full before the fail-safe delay"
        sup = fleet.devices[did].sup
        assert sup is not None and sup.app.mode == "failsafe" and not sup.link.connected
    mosquitto.start()
    deadline = time.monotonic() + 30
    while not all(d.sup is not None and d.sup.link.connected for d in fleet.devices.values()):
        assert time.monotonic() < deadline, "the lights did not reconnect"
        fleet.step()
        time.sleep(0.01)
    fleet.step()
    for did, dev in fleet.devices.items():
        assert dev.sup is not None and dev.sup.app.mode == "dynamic", did
        assert _lamp(fleet, did) == BASE, f"{did} is back to dynamic (base level, nobody there)"
    deadline = time.monotonic() + 30
    while not hub.source.connected.is_set() and time.monotonic() < deadline:
        time.sleep(0.1)
    fleet.drain()
    settle(hub)
    alarms = hub.store.alarms(limit=100)
    assert sorted((a.device_id, a.alarm, a.open) for a in alarms) == [
        (did, "COMMS_LOST", False) for did in sorted(fleet.devices)], "COMMS_LOST raised, then cleared"


def test_a_light_that_loses_its_wifi_at_night_goes_full_after_the_failsafe_delay_and_only_that_one(
        hub: Hub, make_fleet) -> None:
    # not the broker this time: one board's access point goes down (the others keep their sessions)
    fleet = make_fleet(3, kind="park_light", start_ms=DUSK_MS)
    _path(fleet).traffic = 0.0
    down_at, down_for = DUSK_MS + 120_000, 20 * 60_000
    fleet.offline("light-0002", 120_000, down_for)
    fleet.boot_all()
    _steps(fleet, 60)
    assert all(_lamp(fleet, d) == BASE for d in fleet.devices), "connected: dynamic, at base"
    full_at: dict[str, int] = {}
    while fleet.sim.now_ms < down_at + down_for - 1000:
        fleet.step()
        for did in fleet.devices:
            if _lamp(fleet, did) == FULL and did not in full_at:
                full_at[did] = fleet.sim.now_ms
    assert sorted(full_at) == ["light-0002"], f"only the light without WiFi goes full: {full_at}"
    assert 900_000 <= full_at["light-0002"] - down_at <= 905_000, full_at["light-0002"] - down_at
    two = fleet.devices["light-0002"].sup
    assert two is not None and two.app.mode == "failsafe" and not two.link.connected
    deadline = time.monotonic() + 30
    while not two.link.connected:
        assert time.monotonic() < deadline, "light-0002 did not reconnect after its WiFi came back"
        fleet.step()
        time.sleep(0.005)
    fleet.step()
    assert two.app.mode == "dynamic" and _lamp(fleet, "light-0002") == BASE, (two.app.mode, two.app.level)
    fleet.drain()
    settle(hub)
    alarms = hub.store.alarms(limit=100)
    assert [(a.device_id, a.alarm, a.open) for a in alarms] == [("light-0002", "COMMS_LOST", False)], alarms


def test_lights_booting_at_night_without_their_broker_stay_full_until_connected(mosquitto: Mosquitto,
                                                                               make_fleet) -> None:
    fleet = make_fleet(3, kind="park_light", start_ms=DUSK_MS + 2 * HOUR_MS)
    _path(fleet).traffic = 0.0
    mosquitto.stop()
    fleet.boot_all()
    _steps(fleet, 120)
    for did, dev in fleet.devices.items():
        assert dev.sup is not None and not dev.sup.link.connected
        assert _lamp(fleet, did) == FULL and dev.sup.app.mode == "failsafe", f"{did} booted at night: full"
    mosquitto.start()
    deadline = time.monotonic() + 30
    while not all(d.sup is not None and d.sup.link.connected for d in fleet.devices.values()):
        assert time.monotonic() < deadline, "the lights did not connect"
        fleet.step()
        time.sleep(0.01)
    fleet.step()
    assert all(_lamp(fleet, did) == BASE for did in fleet.devices), "connected: dynamic, at base"


def test_park_night_reports_dynamic_energy_and_energy_at_full(hub: Hub, influxdb: InfluxDB1, make_fleet) -> None:
    fleet = make_fleet(8, kind="park_light", start_ms=DUSK_MS)
    fleet.run(6 * HOUR_MS)    # 16:00-22:00 UTC, the busy evening
    settle(hub)
    rows = influxdb.points("SELECT sum(energy_wh) AS used, sum(full_wh) AS full, sum(detections) AS seen, "
                           "sum(presence_rx) AS rx FROM park_light GROUP BY device_id", db=DB)
    assert len(rows) == 8, rows
    for row in rows:
        device_id = row["device_id"]
        model = fleet.devices[device_id].model
        assert abs(row["used"] - model.energy_wh) <= 0.02 * model.energy_wh, (
            f"{device_id}: reported {row['used']} Wh, the lamp drew {model.energy_wh:.1f} Wh")
        assert row["full"] > 6 * 30 * 0.99, row        # 6 h at 30 W
        assert 0.2 * row["full"] < row["used"] < row["full"], f"dynamic light uses less than full, more than base: {row}"
        assert row["seen"] > 0 and row["rx"] > 0, f"{device_id} saw passers-by and heard its neighbours: {row}"


def test_override_command_is_executed_and_a_bad_one_refused_with_a_reason(mosquitto: Mosquitto,
                                                                           make_fleet) -> None:
    fleet = make_fleet(2, kind="park_light", start_ms=DUSK_MS, speed=30)
    _path(fleet).traffic = 0.0
    stop = threading.Event()
    runner = threading.Thread(target=fleet.run, args=(10 * HOUR_MS, stop), daemon=True)
    runner.start()
    dev = fleet.devices["light-0002"]
    deadline = time.monotonic() + 20
    while not (dev.sup is not None and dev.sup.link.connected) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert dev.sup is not None and dev.sup.link.connected, "the light came online"
    cli = CliRunner()
    env = {"CITYHUB_MQTT_URL": mosquitto.hub_url}
    try:
        bad = cli.invoke(app, ["command", "light-0002", "override", "-p", "level=250", "-p", "duration_s=600"], env=env)
        assert bad.exit_code == 1, bad.output
        assert "refused override" in bad.output and "level must be a whole number 0-100" in bad.output, bad.output
        assert dev.sup.app.override is None and _lamp(fleet, "light-0002") == BASE, "a refused command changes nothing"

        ok = cli.invoke(app, ["command", "light-0002", "override", "-p", "level=60", "-p", "duration_s=600"], env=env)
        assert ok.exit_code == 0, ok.output
        assert "override done" in ok.output, ok.output
        deadline = time.monotonic() + 10
        while _lamp(fleet, "light-0002") != 60 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _lamp(fleet, "light-0002") == 60 and dev.sup.app.mode == "override"
        assert _lamp(fleet, "light-0001") == BASE, "only the light the command was for"

        sched = cli.invoke(app, ["command", "light-0001", "schedule", "-p", "off=sunrise+15"], env=env)
        assert sched.exit_code == 0, sched.output
        wrong = cli.invoke(app, ["command", "light-0001", "schedule", "-p", "off=later"], env=env)
        assert wrong.exit_code == 1 and "schedule: off" in wrong.output, wrong.output
        one = fleet.devices["light-0001"].sup
        assert one is not None and one.app.c["off"] == "sunrise+15", "the refused schedule changed nothing"
        thr = cli.invoke(app, ["command", "light-0001", "set_config", "-p", "hold_s=90"], env=env)
        assert thr.exit_code == 0 and one.app.dimmer.cfg["hold_s"] == 90, thr.output
    finally:
        stop.set()
        runner.join(30)


def test_cityhub_simulate_runs_park_lights_with_a_fault(hub: Hub, mosquitto: Mosquitto, tmp_path: Path) -> None:
    env = dict(os.environ, CITYHUB_MQTT_URL=hub.settings.mqtt_url, CITYHUB_MQTT_ADMIN_URL=mosquitto.admin_url,
               CITYHUB_DATA_DIR=str(tmp_path / "operator"))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cityhub"), "simulate", "--kind", "park_light", "--count", "4",
         "--speed", "0", "--duration", "30m", "--fault", "light-0003=lamp_failure",
         "--start", "2026-11-17T16:00:00Z", "--data-dir", str(tmp_path / "fleet")],
        capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 dropped, 0 crashes" in result.stdout, result.stdout
    settle(hub)
    assert [(a.device_id, a.alarm) for a in hub.store.alarms()] == [("light-0003", "LAMP_FAILURE")]
