"""Provisioning on a secured mosquitto: how long `add`, `rotate` and `revoke` take, and how soon a revoked
board is cut off (CPython; needs mosquitto with the dynamic-security plugin).

    .venv/bin/python bench/provisioning.py [--devices 100]

Starts a private secured broker (hub/services/mosquitto.py), then through hub.devices.registry.Registry:
adds N water meters (each: a role and a client over the control API, a 0600 secrets-file write, a SQLite
commit), rotates and revokes N/10 of them while each is connected, and measures for each revoke the time
from the call until the board's paho client sees its session closed. Prints median and max per step.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from hub.devices.registry import Registry
from hub.services.mosquitto import Mosquitto
from hub.settings import parse_mqtt_url


def _connected(broker: Mosquitto, device_id: str, secret: str) -> tuple[mqtt.Client, threading.Event]:
    up, down = threading.Event(), threading.Event()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=device_id, protocol=mqtt.MQTTv311)
    client.username_pw_set(device_id, secret)
    client.on_connect = lambda c, u, f, rc, p: up.set()
    client.on_disconnect = lambda c, u, f, rc, p: down.set()
    client.connect(broker.host, broker.port)
    client.loop_start()
    if not up.wait(10):
        raise SystemExit(f"{device_id} did not connect")
    return client, down


def _line(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return f"{name:<34} n={len(ms):<4} median {statistics.median(ms):7.1f} ms   max {ms[-1]:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-prov-") as tmp, \
            Mosquitto(Path(tmp) / "mosquitto", secured=True) as broker, \
            Registry(Path(tmp) / "hub" / "devices.sqlite", admin=parse_mqtt_url(broker.admin_url)) as registry:
        adds, rotates, revokes, cutoffs = [], [], [], []
        for _ in range(args.devices):
            t0 = time.perf_counter()
            registry.add("water_meter", "esp32-devkitc", "bench")
            adds.append(time.perf_counter() - t0)
        for device in registry.list()[: max(1, args.devices // 10)]:
            client, down = _connected(broker, device.id, registry.secret(device.id))
            t0 = time.perf_counter()
            registry.rotate(device.id)
            rotates.append(time.perf_counter() - t0)
            down.wait(10)
            client.loop_stop()
            client, down = _connected(broker, device.id, registry.secret(device.id))
            t0 = time.perf_counter()
            registry.revoke(device.id)
            revokes.append(time.perf_counter() - t0)
            if not down.wait(10):
                raise SystemExit(f"{device.id} was not cut off within 10 s of its revoke")
            cutoffs.append(time.perf_counter() - t0)
            client.loop_stop()
        print(f"secured mosquitto, {args.devices} devices provisioned through the control API")
        for name, values in (("add (role + client + secrets file)", adds), ("rotate-credentials", rotates),
                             ("revoke", revokes), ("revoke call -> session closed", cutoffs)):
            print(_line(name, values))
        size = broker.dynsec_path.stat().st_size
        print(f"dynamic-security.json: {size} bytes ({size / args.devices:.0f} per device)")


if __name__ == "__main__":
    main()
