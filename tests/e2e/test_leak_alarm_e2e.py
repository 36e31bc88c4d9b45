"""Simulated meters -> real mosquitto -> hub -> real InfluxDB: one injected leak, exactly one LEAK alarm."""

from __future__ import annotations

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from tests.e2e.conftest import DB, START_MS, settle


def test_one_toilet_leak_raises_exactly_one_leak_alarm_on_that_meter_only(hub: Hub, influxdb: InfluxDB1,
                                                                          make_fleet) -> None:
    fleet = make_fleet(5)
    fleet.inject("wm-0003", "toilet_leak")
    fleet.run(30 * 3_600_000)
    settle(hub)

    alarms = hub.store.alarms(limit=100)
    assert [(a.device_id, a.alarm) for a in alarms] == [("wm-0003", "LEAK")]
    assert alarms[0].open
    assert 20 <= alarms[0].loss_lph <= 35, f"a 25 L/h toilet leak, estimated {alarms[0].loss_lph} L/h"

    stored = influxdb.points("SELECT * FROM alarm", db=DB)
    assert [(r["device_id"], r["alarm"], r["state"]) for r in stored] == [("wm-0003", "LEAK", "raised")]
    assert fleet.stats()["crashes"] == 0


def test_toilet_leak_raised_during_working_hours_is_estimated_at_the_leak_not_the_use(
        hub: Hub, make_fleet) -> None:
    # from 15:00 UTC the 24 h window ends at 15:00 the next day (16:00 in Brussels, a working Wednesday):
    # every recent hour holds the building's use (~150 L/h), the leak is read from the pulse spacing
    fleet = make_fleet(5, start_ms=START_MS + 15 * 3_600_000)
    fleet.inject("wm-0003", "toilet_leak")
    fleet.run(25 * 3_600_000)
    settle(hub)

    alarms = hub.store.alarms(limit=100)
    assert [(a.device_id, a.alarm) for a in alarms] == [("wm-0003", "LEAK")]
    assert 20 <= alarms[0].loss_lph <= 35, f"a 25 L/h toilet leak, estimated {alarms[0].loss_lph} L/h"
    assert fleet.stats()["crashes"] == 0
