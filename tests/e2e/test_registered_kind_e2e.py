"""A registered board must speak as the kind it was registered as: its broker login proves its id, not its kind.
A water meter's login sending smart-bin data is quarantined as a mismatch; its own water data is stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.settings import load_settings
from tests.e2e.conftest import DB, device_client, registry_of, settle

EXAMPLES = Path(__file__).resolve().parents[1] / "contract" / "examples"


def _as(device_id: str, example: str) -> tuple[str, str]:
    payload = json.loads((EXAMPLES / f"{example}.json").read_text())["payload"]
    payload["id"] = device_id
    channel = example.split(".")[1]
    return f"city/v1/{device_id}/{channel}", json.dumps(payload)


@pytest.fixture
def registry_hub(mosquitto: Mosquitto, influxdb: InfluxDB1) -> Iterator[Hub]:
    # the hub and `cityhub device` share a data directory: the hub reads the registry beside its store
    with registry_of(mosquitto) as reg:
        data_dir = reg.path.parent
    settings = load_settings(env={}, mqtt_url=mosquitto.hub_url, influx_url=influxdb.url, influx_db=DB,
                             data_dir=data_dir)
    with Hub(settings) as h:
        assert h.source.connected.wait(10)
        yield h


def test_a_board_speaking_as_another_kind_is_quarantined(registry_hub: Hub, mosquitto: Mosquitto) -> None:
    board = device_client(mosquitto, "wm-0001", kind="water_meter")
    board.connect(mosquitto.host, mosquitto.port, keepalive=10)
    board.loop_start()
    try:
        for topic, payload in (_as("wm-0001", "smart_bin.tele"), _as("wm-0001", "water_meter.tele")):
            board.publish(topic, payload, qos=1).wait_for_publish(10)
        settle(registry_hub)
    finally:
        board.disconnect()
        board.loop_stop()
    rows = registry_hub.store.quarantined()
    assert [(r.category, r.topic) for r in rows] == [("mismatch", "city/v1/wm-0001/tele")], rows
    assert "registered as a water_meter" in rows[0].reason and "smart_bin" in rows[0].reason, rows[0].reason
    assert registry_hub.stats().accepted == 1, "its water telemetry is stored"
