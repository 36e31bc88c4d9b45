"""Nothing lost, nothing duplicated: 20 meters over 48 simulated hours; InfluxDB down for a while."""

from __future__ import annotations

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from tests.e2e.conftest import all_seqs, seqs, settle

HOUR = 3_600_000


def test_twenty_meters_over_48_hours_store_every_message_without_gaps(hub: Hub, influxdb: InfluxDB1,
                                                                      make_fleet) -> None:
    fleet = make_fleet(20)
    fleet.run(48 * HOUR)
    settle(hub)
    for device_id, dev in fleet.devices.items():
        tele = seqs(influxdb, "water_meter", device_id)
        assert len(tele) == 48 * 4, f"{device_id}: {len(tele)} telemetry points stored, expected 192"
        every = all_seqs(influxdb, device_id)
        assert every == list(range(1, dev.sup.outbox.last_seq + 1)), f"{device_id}: gaps or duplicates in seq"
    assert hub.stats().quarantined == 0


def test_influxdb_down_then_back_loses_and_duplicates_nothing(hub: Hub, influxdb: InfluxDB1, make_fleet) -> None:
    fleet = make_fleet(5)
    fleet.boot_all()
    for _ in range(6 * 60):
        fleet.step()
    influxdb.stop()
    for _ in range(12 * 60):
        fleet.step()
    fleet.drain()
    stats = hub.stats()
    assert stats.buffered > 0, "with InfluxDB down, messages wait in the hub's buffer"
    assert stats.write_retries > 0
    influxdb.start()
    for _ in range(6 * 60):
        fleet.step()
    fleet.drain()
    settle(hub)
    for device_id, dev in fleet.devices.items():
        assert len(seqs(influxdb, "water_meter", device_id)) == 24 * 4
        assert all_seqs(influxdb, device_id) == list(range(1, dev.sup.outbox.last_seq + 1)), device_id
    assert hub.stats().buffered == 0
