"""Revoking a board that is online: the broker cuts it off, its retained "online" is removed, and the hub stops
counting it as present (a revoked board sends no last will, so nothing else would tell)."""

from __future__ import annotations

import queue
import time

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from hub.devices.registry import Registry
from hub.pipeline import Hub
from hub.services.mosquitto import Mosquitto
from hub.settings import parse_mqtt_url
from tests.e2e.conftest import settle


def _retained_status(mosquitto: Mosquitto, device_id: str) -> bytes | None:
    """What a new subscriber gets on the device's status topic: its retained message, if any."""
    login = parse_mqtt_url(mosquitto.hub_url)
    got: queue.Queue[bytes] = queue.Queue()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"probe-{time.monotonic_ns()}")
    client.username_pw_set(login.user, login.password)
    client.on_connect = lambda c, u, f, rc, p: c.subscribe(f"city/v1/{device_id}/status", qos=1)
    client.on_message = lambda c, u, m: got.put(m.payload) if m.retain else None
    client.connect(mosquitto.host, mosquitto.port, keepalive=10)
    client.loop_start()
    try:
        return got.get(timeout=2)
    except queue.Empty:
        return None
    finally:
        client.disconnect()
        client.loop_stop()


def test_revoking_an_online_board_removes_its_presence_everywhere(hub: Hub, make_fleet, registry: Registry,
                                                                  mosquitto: Mosquitto) -> None:
    fleet = make_fleet(2)
    fleet.boot_all()
    for _ in range(5):
        fleet.step()
    settle(hub)
    assert hub.store.devices_online() == 2
    assert b'"online"' in (_retained_status(mosquitto, "wm-0001") or b"")

    registry.revoke("wm-0001")
    for _ in range(5):
        fleet.step()     # the revoked board tries to reconnect and is refused; the other goes on
    settle(hub)
    assert _retained_status(mosquitto, "wm-0001") is None, "no retained 'online' left for a revoked board"
    states = {d: online for d, _, online, _, _ in hub.store.iter_devices()}
    assert states == {"wm-0001": False, "wm-0002": True}, states
    assert hub.store.counters().get("status_removed") == 1
    assert hub.stats().quarantined == 0, "the removal is not a bad message"
    assert not fleet.devices["wm-0001"].sup.link.connected
    assert fleet.devices["wm-0002"].sup.link.connected
