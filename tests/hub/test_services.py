"""Tests for hub.services: the real servers start, answer, stop, and keep their data on restart."""

from __future__ import annotations

import queue
import uuid
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
import requests

from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.services.process import ServiceError, ServiceProcess, free_port, owns_listener
from hub.services.victoria import VictoriaMetrics
from hub.settings import parse_mqtt_url

TIMEOUT = 10.0


def _login_as_hub(client: mqtt.Client, broker: Mosquitto) -> None:
    """The broker is secured (no anonymous clients): these checks use the hub's login (reads device
    channels, publishes commands)."""
    hub = parse_mqtt_url(broker.hub_url)
    client.username_pw_set(hub.user, hub.password)


class _Subscriber:
    """A paho client that records every message it receives."""

    def __init__(self, broker: Mosquitto, client_id: str, clean_session: bool = True) -> None:
        self.messages: queue.Queue[mqtt.MQTTMessage] = queue.Queue()
        self.connected: queue.Queue[bool] = queue.Queue()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean_session
        )
        self.client.on_message = lambda _c, _u, msg: self.messages.put(msg)
        self.client.on_connect = lambda _c, _u, flags, rc, _p: self.connected.put(flags.session_present)
        _login_as_hub(self.client, broker)
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        self.session_present = self.connected.get(timeout=TIMEOUT)

    def subscribe(self, topic: str, qos: int = 1) -> None:
        result, _mid = self.client.subscribe(topic, qos)
        assert result == mqtt.MQTT_ERR_SUCCESS

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def _publish(broker: Mosquitto, topic: str, payload: bytes, qos: int = 1) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}")
    _login_as_hub(client, broker)
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        client.publish(topic, payload, qos=qos).wait_for_publish(timeout=TIMEOUT)
    finally:
        client.disconnect()
        client.loop_stop()


# -- process basics -------------------------------------------------------------------------
def test_free_port_is_bindable() -> None:
    port = free_port()
    assert 1024 <= port <= 65535


def test_missing_binary_tells_how_to_install(tmp_path: Path) -> None:
    class Missing(ServiceProcess):
        name = "missing"
        binary = "no-such-binary-cityhub"

    with pytest.raises(ServiceError, match="make setup"):
        Missing(tmp_path).start()


def test_early_exit_reports_log_tail(tmp_path: Path) -> None:
    broker = Mosquitto(tmp_path / "bad", extra_conf="no_such_option_xyz true\n")
    with pytest.raises(ServiceError, match="no_such_option_xyz"):
        broker.start()
    assert not broker.running


def test_not_ready_in_time_stops_the_child(tmp_path: Path) -> None:
    class NeverReady(Mosquitto):
        ready_timeout = 0.5

        def is_ready(self) -> bool:
            return False

    broker = NeverReady(tmp_path / "never")
    with pytest.raises(ServiceError, match=r"(?s)not ready on port \d+ after 0.5 s.*mosquitto version"):
        broker.start()
    assert not broker.running and broker.pid is None


# -- mosquitto ------------------------------------------------------------------------------
def test_mosquitto_publish_and_receive(mosquitto: Mosquitto) -> None:
    assert mosquitto.running and mosquitto.url == f"mqtt://127.0.0.1:{mosquitto.port}"
    assert mosquitto.pid is not None and owns_listener(mosquitto.pid, mosquitto.port)
    sub = _Subscriber(mosquitto, "sub-basic")
    try:
        sub.subscribe("city/v1/+/+")
        _publish(mosquitto, "city/v1/wm-0001/cmd", b"hi")
        msg = sub.messages.get(timeout=TIMEOUT)
        assert (msg.topic, msg.payload) == ("city/v1/wm-0001/cmd", b"hi")
    finally:
        sub.close()


def test_mosquitto_persistent_session_survives_restart(mosquitto: Mosquitto) -> None:
    port, data_dir = mosquitto.port, mosquitto.data_dir
    sub = _Subscriber(mosquitto, "hub-persistent", clean_session=False)
    sub.subscribe("city/v1/+/cmd", qos=1)
    sub.close()  # the hub goes away; the broker keeps its session and queues for it

    _publish(mosquitto, "city/v1/wm-0001/cmd", b"while-away")
    mosquitto.restart()
    assert (mosquitto.port, mosquitto.data_dir) == (port, data_dir)
    assert (data_dir / "mosquitto.db").exists()

    sub = _Subscriber(mosquitto, "hub-persistent", clean_session=False)
    try:
        assert sub.session_present
        msg = sub.messages.get(timeout=TIMEOUT)
        assert (msg.topic, msg.payload, msg.qos) == ("city/v1/wm-0001/cmd", b"while-away", 1)
    finally:
        sub.close()


def test_mosquitto_conf_never_drops_queued_messages(mosquitto: Mosquitto) -> None:
    conf = mosquitto.conf_path.read_text()
    for line in ("max_queued_messages 0", "max_queued_bytes 0", "persistence true"):
        assert line in conf.splitlines()
    assert f"persistence_location {mosquitto.data_dir}/" in conf
    assert mosquitto.log_path.parent == mosquitto.data_dir


# -- influxdb 1.x ---------------------------------------------------------------------------
def test_influxdb_write_and_query(influxdb: InfluxDB1) -> None:
    assert requests.get(f"{influxdb.url}/ping", timeout=TIMEOUT).status_code == 204
    influxdb.create_database("city")
    resp = requests.post(
        f"{influxdb.url}/write",
        params={"db": "city", "precision": "ms"},
        data="water_meter,device_id=wm-0001 total_l=12.5,seq=3i 1700000000000",
        timeout=TIMEOUT,
    )
    assert resp.status_code == 204, resp.text
    rows = influxdb.points("SELECT * FROM water_meter", db="city", epoch="ms")
    assert rows == [{"time": 1700000000000, "device_id": "wm-0001", "total_l": 12.5, "seq": 3}]
    grouped = influxdb.points("SELECT last(total_l) FROM water_meter GROUP BY device_id", db="city")
    assert grouped == [{"device_id": "wm-0001", "time": "2023-11-14T22:13:20Z", "last": 12.5}]
    assert influxdb.query("SELECT * FROM nothing_here", db="city") == []
    with pytest.raises(ServiceError, match="database not found"):
        influxdb.query("SELECT * FROM m", db="no_such_db")


def test_influxdb_restart_keeps_data(influxdb: InfluxDB1) -> None:
    influxdb.create_database("city")
    influxdb.write("city", "air,device_id=aq-0001 pm25=7.25 1700000000000")
    port = influxdb.port
    influxdb.restart()
    assert influxdb.running and influxdb.port == port
    rows = influxdb.points("SELECT pm25 FROM air", db="city", epoch="ms")
    assert rows == [{"time": 1700000000000, "pm25": 7.25}]


# -- victoria-metrics -----------------------------------------------------------------------
def test_victoria_v2_write_and_export(victoria: VictoriaMetrics) -> None:
    assert requests.get(f"{victoria.url}/health", timeout=TIMEOUT).status_code == 200
    resp = requests.post(
        f"{victoria.url}/api/v2/write",
        params={"org": "city", "bucket": "sensors", "precision": "ms"},
        data="water_meter,device_id=wm-0001 total_l=12.5,seq=3i 1700000000000",
        timeout=TIMEOUT,
    )
    assert resp.status_code == 204, resp.text
    series = {s["metric"]["__name__"]: s for s in victoria.export()}
    assert set(series) == {"water_meter_total_l", "water_meter_seq"}
    total = series["water_meter_total_l"]
    assert total["metric"] == {"__name__": "water_meter_total_l", "device_id": "wm-0001"}
    assert (total["values"], total["timestamps"]) == ([12.5], [1700000000000])
    assert series["water_meter_seq"]["values"] == [3]


def test_victoria_restart_keeps_data(victoria: VictoriaMetrics) -> None:
    requests.post(
        f"{victoria.url}/api/v2/write",
        params={"org": "city", "bucket": "sensors", "precision": "ms"},
        data="noise,device_id=nz-0001 db_a=41.5 1700000000000",
        timeout=TIMEOUT,
    ).raise_for_status()
    port = victoria.port
    victoria.restart()
    assert victoria.port == port
    [only] = victoria.export("noise_db_a")
    assert (only["values"], only["timestamps"]) == ([41.5], [1700000000000])
