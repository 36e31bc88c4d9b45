"""The hub acknowledges a message only after committing it: killed mid-burst (SIGKILL), nothing is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.services.process import ServiceError
from tests.e2e.conftest import DB, device_client

COUNT = 3000


def _tele(seq: int) -> bytes:
    return json.dumps({"v": 1, "kind": "water_meter", "id": "wm-0042", "ts": 1795132800000 + seq * 900_000,
                       "seq": seq, "q": [], "data": {"total_l": float(seq), "pulses": 1, "litres": 1.0,
                                                     "flow_min_lph": 0.0, "flow_max_lph": 60.0,
                                                     "night_min_lph": None, "period_s": 900, "bounces": 0}}).encode()


def _stored(influxdb: InfluxDB1) -> int:
    try:
        rows = influxdb.points("SELECT count(seq) FROM water_meter", db=DB)
    except ServiceError:  # the database appears with the hub's first write
        return 0
    return int(rows[0]["count"]) if rows else 0


def _start_hub(mosquitto: Mosquitto, influxdb: InfluxDB1, data_dir: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CITYHUB_MQTT_URL=mosquitto.hub_url, CITYHUB_INFLUX_URL=influxdb.url, CITYHUB_INFLUX_DB=DB,
               CITYHUB_DATA_DIR=str(data_dir))
    return subprocess.Popen([str(Path(sys.executable).parent / "cityhub"), "run"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_hub_killed_during_a_burst_loses_nothing_after_restart(mosquitto: Mosquitto, influxdb: InfluxDB1,
                                                               tmp_path: Path) -> None:
    hub = _start_hub(mosquitto, influxdb, tmp_path / "hub")
    try:
        publisher = device_client(mosquitto, "wm-0042")
        publisher.max_inflight_messages_set(100)
        publisher.connect(mosquitto.host, mosquitto.port)
        publisher.loop_start()
        deadline = time.monotonic() + 20
        while not _stored(influxdb) and time.monotonic() < deadline:   # the hub's session is up and writing
            publisher.publish("city/v1/wm-0042/tele", _tele(1), qos=1).wait_for_publish(5)
            time.sleep(0.2)
        infos = [publisher.publish("city/v1/wm-0042/tele", _tele(seq), qos=1) for seq in range(2, COUNT + 1)]
        while _stored(influxdb) < 300 and time.monotonic() < deadline + 20:
            time.sleep(0.01)
        hub.send_signal(signal.SIGKILL)
        hub.wait(10)
        killed_at = _stored(influxdb)
        for info in infos:
            info.wait_for_publish(10)
        publisher.loop_stop()
        publisher.disconnect()
        assert killed_at < COUNT, "the hub was killed before it had everything"

        hub = _start_hub(mosquitto, influxdb, tmp_path / "hub")
        deadline = time.monotonic() + 60
        while _stored(influxdb) < COUNT and time.monotonic() < deadline:
            time.sleep(0.2)
        rows = influxdb.points("SELECT seq FROM water_meter", db=DB)
        assert sorted(int(r["seq"]) for r in rows) == list(range(1, COUNT + 1))
    finally:
        hub.send_signal(signal.SIGTERM)
        hub.wait(30)
