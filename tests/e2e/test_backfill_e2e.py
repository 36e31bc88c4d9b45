"""A board offline for 6 simulated hours delivers its readings afterwards, in order, marked backfilled."""

from __future__ import annotations

import json
import threading

import paho.mqtt.client as mqtt

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.settings import parse_mqtt_url
from tests.e2e.conftest import DB, START_MS, settle

HOUR = 3_600_000


def test_board_offline_for_six_hours_backfills_in_order(hub: Hub, influxdb: InfluxDB1, mosquitto: Mosquitto,
                                                        make_fleet) -> None:
    watch = parse_mqtt_url(mosquitto.hub_url)   # watches with the hub's login (reads every device's channels)
    arrivals: list[int] = []
    ready = threading.Event()
    watcher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="order-watcher")
    watcher.on_connect = lambda c, *_: (c.subscribe("city/v1/wm-0002/tele", 1), ready.set())
    watcher.on_message = lambda c, u, m: arrivals.append(json.loads(m.payload)["seq"])
    watcher.username_pw_set(watch.user, watch.password)
    watcher.connect(mosquitto.host, mosquitto.port)
    watcher.loop_start()
    assert ready.wait(5)
    try:
        fleet = make_fleet(2)
        fleet.offline("wm-0002", 10 * HOUR, 6 * HOUR)
        fleet.run(24 * HOUR)
        settle(hub)
    finally:
        watcher.loop_stop()
        watcher.disconnect()

    assert arrivals == sorted(arrivals), "telemetry reached the broker out of order"
    rows = influxdb.points("SELECT seq, backfilled FROM water_meter WHERE device_id = 'wm-0002'", db=DB,
                           epoch="ms")
    assert len(rows) == 24 * 4, "every 15-minute reading was stored"
    offline = [r for r in rows if START_MS + 10 * HOUR <= r["time"] < START_MS + 16 * HOUR]
    online = [r for r in rows if r not in offline]
    assert len(offline) >= 23 and all(r["backfilled"] == 1 for r in offline), "readings taken offline are marked"
    late = [r for r in online if r["backfilled"] != 0]
    assert not late, f"live readings marked backfilled: {late}"
    other = influxdb.points("SELECT backfilled FROM water_meter WHERE device_id = 'wm-0001'", db=DB)
    assert len(other) == 96 and all(r["backfilled"] == 0 for r in other)
