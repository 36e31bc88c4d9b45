"""InfluxV2Writer against a real VictoriaMetrics (1.79.5) speaking the InfluxDB v2 write API.

The server comes from the `victoria` fixture (tests/conftest.py, hub.services.victoria): a fresh
instance per test, with -dedup.minScrapeInterval=1ms (without it a replay stores duplicates).
VictoriaMetrics names a series `<measurement>_<field>`, keeps numeric fields (bools as 1/0)
and is read back through /api/v1/export.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from hub.services.process import free_port
from hub.services.victoria import VictoriaMetrics
from hub.write.batch import write_batch
from hub.write.errors import Retryable
from hub.write.influx_v2 import InfluxV2Writer
from hub.write.point import Point

T0 = 1700000000123


@pytest.fixture
def writer(victoria: VictoriaMetrics) -> Iterator[InfluxV2Writer]:
    writer = InfluxV2Writer(victoria.url, org="city", bucket="sensors", token="unused", timeout_s=5)
    yield writer
    writer.close()


@pytest.fixture
def measurement() -> str:
    return "air_" + uuid.uuid4().hex[:10]


def series(victoria: VictoriaMetrics, measurement: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Exported series of one measurement, keyed by (metric name, device_id)."""
    exported = victoria.export(f'{{__name__=~"{measurement}_.*"}}')
    return {(s["metric"]["__name__"], s["metric"].get("device_id", "")): s for s in exported}


def test_points_appear_in_export_with_values_and_timestamps(
    victoria: VictoriaMetrics, writer: InfluxV2Writer, measurement: str
) -> None:
    writer.write(
        [
            Point(
                measurement,
                {"device_id": "aq-01", "site": "north gate"},
                {"temp_c": 21.5, "pm25": 12, "ok": True},
                T0,
            ),
            Point(
                measurement,
                {"device_id": "aq-01", "site": "north gate"},
                {"temp_c": 22.25, "pm25": 13, "ok": False},
                T0 + 1000,
            ),
            Point(measurement, {"device_id": "aq-02", "site": "a,b=c"}, {"temp_c": -3.5}, T0 + 7),
        ]
    )
    got = series(victoria, measurement)
    assert set(got) == {
        (f"{measurement}_temp_c", "aq-01"),
        (f"{measurement}_pm25", "aq-01"),
        (f"{measurement}_ok", "aq-01"),
        (f"{measurement}_temp_c", "aq-02"),
    }
    temp = got[(f"{measurement}_temp_c", "aq-01")]
    assert temp["metric"]["site"] == "north gate"
    assert temp["values"] == [21.5, 22.25]
    assert temp["timestamps"] == [T0, T0 + 1000]
    assert got[(f"{measurement}_pm25", "aq-01")]["values"] == [12, 13]
    assert got[(f"{measurement}_ok", "aq-01")]["values"] == [1, 0]
    other = got[(f"{measurement}_temp_c", "aq-02")]
    assert (other["metric"]["site"], other["values"], other["timestamps"]) == ("a,b=c", [-3.5], [T0 + 7])


def test_replaying_a_batch_does_not_duplicate_samples(
    victoria: VictoriaMetrics, writer: InfluxV2Writer, measurement: str
) -> None:
    batch = [
        Point(measurement, {"device_id": "aq-01"}, {"temp_c": 20.0 + i}, T0 + i * 1000) for i in range(10)
    ]
    writer.write(batch)
    writer.write(batch)
    assert write_batch(writer, batch) == []
    temp = series(victoria, measurement)[(f"{measurement}_temp_c", "aq-01")]
    assert temp["timestamps"] == [T0 + i * 1000 for i in range(10)]
    assert temp["values"] == [20.0 + i for i in range(10)]


def test_closed_port_is_retryable() -> None:
    writer = InfluxV2Writer(
        f"http://127.0.0.1:{free_port()}", org="city", bucket="sensors", token="t", timeout_s=2
    )
    with pytest.raises(Retryable):
        writer.write([Point("air", {}, {"v": 1.0}, T0)])
    writer.close()


def test_stopped_server_is_retryable_and_writes_resume_after_restart(
    victoria: VictoriaMetrics, writer: InfluxV2Writer, measurement: str
) -> None:
    writer.write([Point(measurement, {"device_id": "aq-01"}, {"v": 1.0}, T0)])
    victoria.stop()
    with pytest.raises(Retryable):
        writer.write([Point(measurement, {"device_id": "aq-01"}, {"v": 2.0}, T0 + 1)])
    victoria.start()  # same port, same data directory
    writer.write([Point(measurement, {"device_id": "aq-01"}, {"v": 2.0}, T0 + 1)])
    assert series(victoria, measurement)[(f"{measurement}_v", "aq-01")]["values"] == [1.0, 2.0]
