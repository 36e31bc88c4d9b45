"""The broker restarted mid-run: boards keep readings in their outbox, the hub's persistent session resumes."""

from __future__ import annotations

import time

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from tests.e2e.conftest import all_seqs, seqs, settle


def test_broker_restart_loses_nothing(hub: Hub, influxdb: InfluxDB1, mosquitto: Mosquitto, make_fleet) -> None:
    fleet = make_fleet(3)
    fleet.boot_all()
    for _ in range(6 * 60):
        fleet.step()
    mosquitto.restart()
    for _ in range(6 * 60):
        fleet.step()
    deadline = time.monotonic() + 30
    while not hub.source.connected.is_set() and time.monotonic() < deadline:
        time.sleep(0.1)
    fleet.drain()
    settle(hub)
    for device_id, dev in fleet.devices.items():
        assert len(seqs(influxdb, "water_meter", device_id)) == 12 * 4, device_id
        assert all_seqs(influxdb, device_id) == list(range(1, dev.sup.outbox.last_seq + 1)), device_id
        assert dev.sup.link.connects >= 2, "the board reconnected after the restart"
