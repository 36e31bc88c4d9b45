"""Scale-out: two hub processes share the load through a shared subscription; every message stored once."""

from __future__ import annotations

from pathlib import Path

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.settings import load_settings
from tests.e2e.conftest import DB, all_seqs, seqs, settle


def test_two_hubs_in_one_shared_group_split_the_fleet_and_store_everything_once(
        mosquitto: Mosquitto, influxdb: InfluxDB1, make_fleet, tmp_path: Path) -> None:
    hubs = [Hub(load_settings(env={}, mqtt_url=mosquitto.hub_url, influx_url=influxdb.url, influx_db=DB,
                              data_dir=tmp_path / f"hub{i}", mqtt_client_id=f"cityhub-{i}", shared_group="hubs"))
            for i in (1, 2)]
    for hub in hubs:
        hub.start()
    try:
        for hub in hubs:
            assert hub.source.connected.wait(10)
        fleet = make_fleet(6)
        fleet.run(24 * 3_600_000)
        for hub in hubs:
            settle(hub)
        received = [hub.stats().received for hub in hubs]
        assert all(r > 0 for r in received), f"both hubs took a share: {received}"
        for device_id, dev in fleet.devices.items():
            assert all_seqs(influxdb, device_id) == list(range(1, dev.sup.outbox.last_seq + 1)), device_id
        telemetry = sum(len(seqs(influxdb, "water_meter", d)) for d in fleet.devices)
        assert telemetry == 6 * 96
    finally:
        for hub in hubs:
            hub.stop()
