"""Simulated smart bins (real firmware, deep sleep between readings) -> real mosquitto -> hub -> real InfluxDB.

One injected fault per run raises its event on that bin only; a bin filled to FULL is EMPTIED by the
collection round. Every bin sleeps between readings, so these runs also prove that the outbox, the sequence
numbers and the confirmation state survive deep sleep.
"""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from typer.testing import CliRunner

from hub.cli.main import app
from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from tests.e2e.conftest import DB, START_MS, seqs, settle

HOUR_MS = 3_600_000


def _bin_seqs(influxdb: InfluxDB1, device_id: str) -> list[int]:
    return sorted(seqs(influxdb, "smart_bin", device_id) + seqs(influxdb, "alarm", device_id)
                  + seqs(influxdb, "device_health", device_id))


def _check_no_gaps(influxdb: InfluxDB1, fleet_ids: list[str]) -> None:
    for did in fleet_ids:
        got = _bin_seqs(influxdb, did)
        assert got == list(range(1, len(got) + 1)), f"{did}: seq gaps or duplicates across wakes: {got}"


@pytest.mark.parametrize(("fault", "alarm", "sensor"), [("fire", "FIRE", None), ("tilt", "TILT", None),
                                                         ("stuck_sensor", "SENSOR_FAULT", "ultrasonic")])
def test_injected_fault_raises_its_event_on_that_bin_only(hub: Hub, influxdb: InfluxDB1, make_fleet,
                                                          fault: str, alarm: str, sensor: str | None) -> None:
    fleet = make_fleet(3, kind="smart_bin")
    fleet.inject("bin-0002", fault, HOUR_MS)
    fleet.run(3 * HOUR_MS)
    settle(hub)

    alarms = hub.store.alarms(limit=100)
    assert [(a.device_id, a.alarm, a.open) for a in alarms] == [("bin-0002", alarm, True)]
    assert alarms[0].since_ms >= START_MS + HOUR_MS, "raised before the fault began"
    rows = influxdb.points("SELECT * FROM alarm", db=DB, epoch="ms")
    assert [(r["device_id"], r["kind"], r["alarm"], r["state"]) for r in rows] == \
        [("bin-0002", "smart_bin", alarm, "raised")]
    event = rows[0]
    assert event.get("sensor") == sensor, event
    if fault == "fire":   # a rise of 10 °C within 10 minutes, from an air temperature of 4-12 °C
        assert event["temp_c"] >= 14, event
    if fault == "tilt":   # leaning at 60°, confirmed by a second reading 30 s later
        assert event["tilt_deg"] > 45 and event["time"] - event["since_ms"] >= 30_000, event

    # every bin reported through its sleeps, with one unbroken sequence
    tele = influxdb.points("SELECT count(pings) AS n FROM smart_bin GROUP BY device_id", db=DB)
    assert {r["device_id"]: r["n"] >= 3 for r in tele} == {"bin-0001": True, "bin-0002": True, "bin-0003": True}
    _check_no_gaps(influxdb, ["bin-0001", "bin-0002", "bin-0003"])
    stats = fleet.stats()
    assert stats["crashes"] == 0 and stats["dropped"] == 0, stats
    assert all(d.sleeps >= 30 for d in fleet.devices.values()), "the bins did not deep-sleep between readings"


def test_full_bin_is_emptied_by_the_collection_round(hub: Hub, influxdb: InfluxDB1, make_fleet) -> None:
    wednesday = START_MS + 24 * HOUR_MS   # a round day: bins are emptied from 07:00 Brussels time (06:00 UTC)
    fleet = make_fleet(3, kind="smart_bin", start_ms=wednesday)
    full = fleet.devices["bin-0002"].model
    full.physics.packed_l = 0.88 * full.physics.geo.capacity_l   # nearly full at the start of the run
    fleet.run(8 * HOUR_MS)
    settle(hub)

    collected = full.physics.collections
    assert collected, "the round never reached bin-0002"
    rows = sorted(influxdb.points("SELECT * FROM alarm", db=DB, epoch="ms"), key=lambda r: r["seq"])
    seen = [(r["device_id"], r["alarm"], r["state"]) for r in rows]
    assert seen == [("bin-0002", "FULL", "raised"), ("bin-0002", "EMPTIED", "event"),
                    ("bin-0002", "FULL", "cleared")], seen
    raised, emptied, cleared = rows
    assert raised["time"] - raised["since_ms"] >= 60_000, "FULL must be confirmed by a second reading"
    assert raised["fill_pct"] >= 85 and emptied["fill_pct"] < 10 and emptied["drop_pct"] > 40, rows
    assert collected[0] <= emptied["time"] <= collected[0] + 10 * 60_000, "EMPTIED long after the round"
    assert cleared["since_ms"] == raised["since_ms"]

    alarms = hub.store.alarms(limit=100)
    assert [(a.device_id, a.alarm, a.open) for a in alarms] == [("bin-0002", "FULL", False)]
    # a sleeping bin leaves the broker cleanly: its retained status says "asleep", not "offline"
    states = {d: online for d, _, online, _, _ in hub.store.iter_devices()}
    assert states == {"bin-0001": False, "bin-0002": False, "bin-0003": False}, states
    status = influxdb.points("SELECT last(state) AS state FROM device_status GROUP BY device_id", db=DB)
    assert {r["device_id"]: r["state"] for r in status} == {f"bin-000{n}": "asleep" for n in (1, 2, 3)}
    _check_no_gaps(influxdb, ["bin-0001", "bin-0002", "bin-0003"])


def test_a_bin_offline_for_hours_sends_everything_later_in_order(hub: Hub, influxdb: InfluxDB1, make_fleet) -> None:
    fleet = make_fleet(2, kind="smart_bin")
    fleet.offline("bin-0001", 2 * HOUR_MS, 4 * HOUR_MS)   # WiFi down from hour 2 to hour 6
    fleet.run(9 * HOUR_MS)
    settle(hub)

    tele = {d: influxdb.points(f"SELECT pings, backfilled FROM smart_bin WHERE device_id = '{d}'", db=DB, epoch="ms")
            for d in ("bin-0001", "bin-0002")}
    assert len(tele["bin-0001"]) == len(tele["bin-0002"]) >= 9, {d: len(t) for d, t in tele.items()}
    times = [r["time"] for r in tele["bin-0001"]]
    assert all(b - a <= HOUR_MS + 5 * 60_000 for a, b in itertools.pairwise(times)), "a report is missing"
    _check_no_gaps(influxdb, ["bin-0001", "bin-0002"])
    # backfilled: built while the bin knew it could not report (after a failed connection), nothing else
    assert all(r["backfilled"] == 0 for r in tele["bin-0002"]), "a bin that reports each hour is not backfilling"
    late = [r["time"] - START_MS for r in tele["bin-0001"] if r["backfilled"]]
    assert 3 <= len(late) <= 4 and all(2 * HOUR_MS < t <= 6 * HOUR_MS + 5 * 60_000 for t in late), late
    stats = fleet.stats()
    assert stats["queued"] == 0 and stats["dropped"] == 0 and stats["crashes"] == 0, stats


def test_set_config_sent_while_the_bin_sleeps_is_applied_at_its_next_report(mosquitto: Mosquitto,
                                                                           make_fleet) -> None:
    fleet = make_fleet(1, kind="smart_bin", speed=600)   # an hour of simulated time in 6 s
    dev = fleet.devices["bin-0001"]
    stop = threading.Event()
    runner = threading.Thread(target=fleet.run, args=(3 * 86_400_000, stop), daemon=True)
    runner.start()
    try:
        deadline = time.monotonic() + 20
        while dev.sleeps < 2 and time.monotonic() < deadline:
            time.sleep(0.02)   # the power-up report is over: the bin now reads every 5 min, reports hourly
        assert dev.sleeps >= 2 and dev.sup is not None and dev.sup.cfg["app"]["full_pct"] == 85
        result = CliRunner().invoke(app, ["command", "bin-0001", "set_config", "-p", "full_pct=70",
                                          "--timeout", "30"], env={"CITYHUB_MQTT_URL": mosquitto.hub_url})
        assert result.exit_code == 0, result.output
        assert "set_config done" in result.output
    finally:
        stop.set()
        runner.join(30)
    assert dev.sup is not None and dev.sup.cfg["app"]["full_pct"] == 70
    assert dev.board is not None and dev.board.reset_cause() == "deep_sleep", "answered from a wake, not a reboot"
