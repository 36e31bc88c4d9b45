"""The hub writing through the InfluxDB v2 API (influxdb-client) to VictoriaMetrics, a real v2-write server."""

from __future__ import annotations

from pathlib import Path

from hub.pipeline import Hub
from hub.services.mosquitto import Mosquitto
from hub.services.victoria import VictoriaMetrics
from hub.settings import load_settings
from tests.e2e.conftest import settle


def test_hub_stores_telemetry_through_the_v2_write_api(mosquitto: Mosquitto, victoria: VictoriaMetrics,
                                                       make_fleet, tmp_path: Path) -> None:
    import time
    start = (int(time.time() * 1000) - 30 * 3_600_000) // 86_400_000 * 86_400_000
    settings = load_settings(env={}, mqtt_url=mosquitto.hub_url, influx_url=victoria.url, influx_org="city",
                             influx_bucket="sensors", influx_token="t0ken", data_dir=tmp_path / "hub2")
    assert settings.writer_kind == "influx_v2"
    with Hub(settings) as hub:
        assert hub.source.connected.wait(10)
        fleet = make_fleet(2, start_ms=start)
        fleet.inject("wm-0001", "toilet_leak")
        fleet.run(26 * 3_600_000)
        settle(hub)
        assert hub.stats().written == hub.stats().accepted
    series = {(s["metric"]["__name__"], s["metric"].get("device_id")): s for s in victoria.export()}
    for device_id in ("wm-0001", "wm-0002"):
        seq = series[("water_meter_seq", device_id)]
        assert sorted(seq["values"]) == sorted(set(seq["values"])), "no duplicated samples"
        assert len(seq["values"]) == 26 * 4
    leak = [s for s in victoria.export() if s["metric"]["__name__"] == "alarm_active"]
    assert [(s["metric"]["device_id"], s["metric"]["alarm"], s["values"]) for s in leak] == [("wm-0001", "LEAK", [1])]
