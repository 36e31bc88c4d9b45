# test_mqtt_client_real_broker.py: the firmware MQTT client (run on CPython) against a real mosquitto + paho-mqtt
from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

import paho.mqtt.client as paho
import pytest
from cityfw.core.mqtt import MQTTClient
from paho.mqtt.enums import CallbackAPIVersion

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"

pytestmark = pytest.mark.skipif(not os.path.exists(MOSQUITTO), reason="mosquitto not installed")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def broker_port() -> Iterator[int]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
        log_path = os.path.join(tmp, "mosquitto.log")
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([MOSQUITTO, "-c", conf], stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
            try:
                deadline = time.monotonic() + 10
                while True:
                    if proc.poll() is not None:
                        with open(log_path) as f:
                            raise RuntimeError("mosquitto exited: " + f.read())
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                        break
                    except OSError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.05)
                yield port
            finally:
                proc.kill()
                proc.wait(timeout=5)


def ticks_ms() -> int:
    return time.monotonic_ns() // 1_000_000


def ticks_diff(a: int, b: int) -> int:
    return a - b


def make_client(port: int, client_id: str, timeout_ms: int = 3000) -> MQTTClient:
    def open_socket() -> socket.socket:
        return socket.create_connection(("127.0.0.1", port), timeout=timeout_ms / 1000)

    return MQTTClient(open_socket, client_id, keepalive_s=30, ticks_ms=ticks_ms, ticks_diff=ticks_diff,
                      timeout_ms=timeout_ms)


class Subscriber:
    # a paho-mqtt client collecting every message into a queue
    def __init__(self, port: int, topic: str) -> None:
        self.messages: queue.Queue[paho.MQTTMessage] = queue.Queue()
        self.subscribed = queue.Queue[int]()
        self.client = paho.Client(CallbackAPIVersion.VERSION2, client_id="paho-sub-" + str(time.time_ns()))
        self.client.on_message = lambda c, u, msg: self.messages.put(msg)
        self.client.on_subscribe = lambda c, u, mid, rcs, props: self.subscribed.put(mid)
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        self.client.subscribe(topic, qos=1)
        self.subscribed.get(timeout=5)

    def get(self, timeout: float = 5) -> paho.MQTTMessage:
        return self.messages.get(timeout=timeout)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def wait_for(cond: Callable[[], Any], poll: Callable[[], None], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        poll()
        time.sleep(0.02)


def test_connect_and_qos1_publish(broker_port: int) -> None:
    c = make_client(broker_port, "fw-pub")
    assert c.connect() is False
    assert c.connected
    sub = Subscriber(broker_port, "city/v1/fw-pub/#")
    try:
        assert c.publish("city/v1/fw-pub/tele", b'{"t":21.5}', qos=1) == 1
        msg = sub.get()
        assert msg.topic == "city/v1/fw-pub/tele"
        assert msg.payload == b'{"t":21.5}'
        assert msg.qos == 1
        assert not msg.retain
        assert c.publish("city/v1/fw-pub/status", "online", retain=True, qos=1) == 2
        msg = sub.get()
        assert msg.payload == b"online"
    finally:
        sub.stop()
    # a late subscriber gets the retained message with the retain flag set
    late = Subscriber(broker_port, "city/v1/fw-pub/status")
    try:
        msg = late.get()
        assert msg.payload == b"online"
        assert msg.retain
    finally:
        late.stop()
    # clear the retained message, then disconnect cleanly
    c.publish("city/v1/fw-pub/status", b"", retain=True, qos=1)
    c.disconnect()
    assert not c.connected


def test_will_published_on_close(broker_port: int) -> None:
    sub = Subscriber(broker_port, "city/v1/fw-will/status")
    try:
        c = make_client(broker_port, "fw-will")
        c.connect(will=("city/v1/fw-will/status", b"offline", False, 1))
        c.publish("city/v1/fw-will/status", b"online", qos=1)
        assert sub.get().payload == b"online"
        c.close()
        assert not c.connected
        msg = sub.get()
        assert msg.payload == b"offline"
        assert msg.topic == "city/v1/fw-will/status"
    finally:
        sub.stop()


def test_no_will_on_disconnect(broker_port: int) -> None:
    sub = Subscriber(broker_port, "city/v1/fw-nowill/status")
    try:
        c = make_client(broker_port, "fw-nowill")
        c.connect(will=("city/v1/fw-nowill/status", b"offline", False, 0))
        c.disconnect()
        with pytest.raises(queue.Empty):
            sub.get(timeout=0.5)
    finally:
        sub.stop()


def test_subscribe_and_receive(broker_port: int) -> None:
    got: list[tuple[str, bytes]] = []
    c = make_client(broker_port, "fw-sub")
    c.set_callback(lambda topic, payload: got.append((topic, payload)))
    c.connect()
    assert c.subscribe("city/v1/fw-sub/cmd/#", qos=1) == 1
    pub = paho.Client(CallbackAPIVersion.VERSION2, client_id="paho-pub")
    pub.connect("127.0.0.1", broker_port)
    pub.loop_start()
    try:
        pub.publish("city/v1/fw-sub/cmd/reboot", b"now", qos=1).wait_for_publish(5)
        pub.publish("city/v1/fw-sub/cmd/led", "on", qos=0).wait_for_publish(5)
        wait_for(lambda: len(got) >= 2, c.poll)
        assert got == [("city/v1/fw-sub/cmd/reboot", b"now"), ("city/v1/fw-sub/cmd/led", b"on")]
        # the connection is still usable afterwards (the qos1 delivery was PUBACKed)
        c.poll()
        assert c.connected
        assert c.publish("city/v1/fw-sub/ack", b"ok", qos=1) == 2
    finally:
        pub.disconnect()
        pub.loop_stop()
        c.disconnect()


def test_connect_refused_quickly() -> None:
    c = make_client(free_port(), "fw-nobody")
    t0 = time.monotonic()
    with pytest.raises(OSError):
        c.connect()
    assert time.monotonic() - t0 < 2
    assert not c.connected
