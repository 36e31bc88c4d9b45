"""Malformed, oversized, unknown-kind and spoofed messages are quarantined with a reason; ingestion goes on."""

from __future__ import annotations

import json
import time

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from tests.e2e.conftest import DB, device_client, settle


def _publish(broker: Mosquitto, messages: list[tuple[str, bytes]]) -> None:
    """Each message sent by the device whose topic it is (the broker refuses anything else)."""
    for topic, payload in messages:
        client = device_client(broker, topic.split("/")[2])
        client.connect(broker.host, broker.port)
        client.loop_start()
        client.publish(topic, payload, qos=1).wait_for_publish(5)
        client.loop_stop()
        client.disconnect()


def _envelope(**over: object) -> bytes:
    msg: dict[str, object] = {"v": 1, "kind": "water_meter", "id": "wm-0001", "ts": 1795132800000, "seq": 1,
                              "q": [], "data": {"total_l": 1.0, "pulses": 1, "litres": 1.0, "flow_min_lph": 0.0,
                                                "flow_max_lph": 60.0, "night_min_lph": None, "period_s": 900,
                                                "bounces": 0}}
    msg.update(over)
    return json.dumps(msg).encode()


def test_bad_messages_are_quarantined_with_reasons_and_good_ones_still_stored(
        hub: Hub, influxdb: InfluxDB1, mosquitto: Mosquitto) -> None:
    _publish(mosquitto, [
        ("city/v1/wm-0001/tele", b"{not json"),
        ("city/v1/wm-0001/tele", b"x" * 20_000),
        ("city/v1/wm-0001/tele", _envelope(kind="coffee_machine")),
        ("city/v1/wm-0002/tele", _envelope()),           # payload claims wm-0001 on wm-0002's topic
        ("city/v1/wm-0001/tele", _envelope(data={"total_l": -5})),
        ("city/v1/wm-0001/tele", _envelope(seq=7)),      # a good one, after all the bad ones
    ])
    settle(hub)
    counters = hub.store.counters()
    assert counters["quarantined_malformed"] == 1
    assert counters["quarantined_oversized"] == 1
    assert counters["quarantined_unknown_kind"] == 1
    assert counters["quarantined_mismatch"] == 1
    assert counters["quarantined_data"] == 1
    reasons = {q.category: q.reason for q in hub.store.quarantined()}
    assert "not JSON" in reasons["malformed"]
    assert "20000 bytes" in reasons["oversized"]
    assert "coffee_machine" in reasons["unknown_kind"]
    assert "wm-0002" in reasons["mismatch"] and "wm-0001" in reasons["mismatch"]
    assert "total_l" in reasons["data"]
    stored = influxdb.points("SELECT seq FROM water_meter", db=DB)
    assert [r["seq"] for r in stored] == [7], "the valid message after the bad ones was stored"


def test_a_message_the_store_cannot_take_is_quarantined_and_ingestion_goes_on(
        hub: Hub, influxdb: InfluxDB1, mosquitto: Mosquitto) -> None:
    original = hub.store.encode

    def failing_on_13(msg, received_ms):  # type: ignore[no-untyped-def]
        if msg.seq == 13:
            raise RuntimeError("disk on fire")
        return original(msg, received_ms)

    hub.store.encode = failing_on_13
    _publish(mosquitto, [("city/v1/wm-0001/tele", _envelope(seq=s, ts=1795132800000 + s)) for s in (12, 13, 14)])
    settle(hub)
    assert hub.store.counters()["quarantined_hub_error"] == 1
    [row] = [q for q in hub.store.quarantined() if q.category == "hub_error"]
    assert "disk on fire" in row.reason
    stored = influxdb.points("SELECT seq FROM water_meter", db=DB)
    assert sorted(r["seq"] for r in stored) == [12, 14], "the messages around the bad one were stored"


def test_retained_status_replayed_on_reconnect_is_not_stored_twice(
        hub: Hub, influxdb: InfluxDB1, mosquitto: Mosquitto) -> None:
    status = json.dumps({"v": 1, "kind": "water_meter", "id": "wm-0007", "ts": 1795132800000, "seq": 0, "q": [],
                         "data": {"state": "online", "fw": "0.1.0"}}).encode()
    client = device_client(mosquitto, "wm-0007")
    client.connect(mosquitto.host, mosquitto.port)
    client.loop_start()
    client.publish("city/v1/wm-0007/status", status, qos=1, retain=True).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()
    settle(hub)
    hub.source.client.reconnect()     # the broker replays retained messages on the new subscription
    deadline = time.monotonic() + 10
    while hub.source.connects < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    settle(hub)
    points = influxdb.points("SELECT online FROM device_status WHERE device_id = 'wm-0007'", db=DB)
    assert len(points) == 1, points
    assert {d: o for d, _, o, _, _ in hub.store.iter_devices()}["wm-0007"] is True
