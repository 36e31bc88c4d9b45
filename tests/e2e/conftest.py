"""End-to-end fixtures: real mosquitto + real InfluxDB 1.x + the hub pipeline + simulated fleets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest

from hub.devices.registry import Registry
from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.settings import load_settings, parse_mqtt_url
from simulators.fleet import BrokerAddress, Fleet

DB = "city"
# Tuesday 2026-11-17, 00:00 UTC: simulated weeks start on a working day
START_MS = 1795132800000 - 3 * 86_400_000


@pytest.fixture
def hub(mosquitto: Mosquitto, influxdb: InfluxDB1, tmp_path: Path) -> Iterator[Hub]:
    settings = load_settings(env={}, mqtt_url=mosquitto.hub_url, influx_url=influxdb.url, influx_db=DB,
                             data_dir=tmp_path / "hub")
    with Hub(settings) as h:
        assert h.source.connected.wait(10), "hub did not connect to the broker"
        yield h


def registry_of(mosquitto: Mosquitto) -> Registry:
    """The test's device registry (beside the broker's data directory), provisioning on that broker."""
    return Registry(mosquitto.data_dir.parent / "registry" / "devices.sqlite",
                    admin=parse_mqtt_url(mosquitto.admin_url))


@pytest.fixture
def registry(mosquitto: Mosquitto) -> Iterator[Registry]:
    with registry_of(mosquitto) as reg:
        yield reg


def device_client(mosquitto: Mosquitto, device_id: str, kind: str = "water_meter") -> mqtt.Client:
    """A paho client (not yet connected) that logs in as the device, provisioned on first use: the broker
    only lets it publish under the device's own topics."""
    with registry_of(mosquitto) as reg:
        password = reg.ensure(device_id, kind, site="test site")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=device_id)
    client.username_pw_set(device_id, password)
    return client


@pytest.fixture
def make_fleet(mosquitto: Mosquitto, registry: Registry, tmp_path: Path) -> Iterator[Callable[..., Fleet]]:
    fleets: list[Fleet] = []

    def make(count: int, **kwargs: Any) -> Fleet:
        kwargs.setdefault("speed", 0)
        kwargs.setdefault("credentials", registry.fleet_credentials("test site"))
        fleet = Fleet(kwargs.pop("kind", "water_meter"), count, BrokerAddress(mosquitto.host, mosquitto.port),
                      tmp_path / f"fleet{len(fleets)}", kwargs.pop("start_ms", START_MS), **kwargs)
        fleets.append(fleet)
        return fleet

    yield make
    for fleet in fleets:
        fleet.shutdown()


def settle(hub: Hub, timeout_s: float = 30.0) -> None:
    """Wait until the hub has taken in everything the broker delivered and written its buffer."""
    if not hub.settled(timeout_s):
        raise AssertionError(f"hub did not settle: {hub.stats()}")


def seqs(influxdb: InfluxDB1, measurement: str, device_id: str) -> list[int]:
    rows = influxdb.points(f"SELECT seq FROM {measurement} WHERE device_id = '{device_id}'", db=DB)
    return [int(r["seq"]) for r in rows]


def all_seqs(influxdb: InfluxDB1, device_id: str) -> list[int]:
    """Every stored seq of a device, sorted: its telemetry, alarm events and health share one counter."""
    return sorted(seqs(influxdb, "water_meter", device_id) + seqs(influxdb, "alarm", device_id)
                  + seqs(influxdb, "device_health", device_id))
