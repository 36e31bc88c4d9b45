"""InfluxV1Writer and write_batch against a real InfluxDB 1.x (influxd 1.6.7) on loopback.

The server comes from the `influxdb` fixture (tests/conftest.py, hub.services.influxdb): a fresh
influxd per test, so every test starts with no databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hub.services.influxdb import InfluxDB1
from hub.services.process import free_port
from hub.write.batch import write_batch
from hub.write.errors import BadData, Retryable
from hub.write.influx_v1 import InfluxV1Writer
from hub.write.point import FieldValue, Point

T0 = 1700000000123  # a device timestamp with a millisecond part


@pytest.fixture
def database() -> str:
    return "city sensors"  # a space and no quotes needed by the caller: ensure() quotes it


@pytest.fixture
def writer(influxdb: InfluxDB1, database: str) -> Iterator[InfluxV1Writer]:
    writer = InfluxV1Writer(influxdb.url, database, timeout_s=5)
    yield writer
    writer.close()


def databases(influxdb: InfluxDB1) -> list[str]:
    return [row[0] for series in influxdb.query("SHOW DATABASES") for row in series.get("values", [])]


def rows(influxdb: InfluxDB1, database: str, measurement: str) -> list[dict[str, Any]]:
    return influxdb.points(f'SELECT * FROM "{measurement}"', db=database, epoch="ms")


def air(device: str, i: int, **fields: FieldValue) -> Point:
    return Point("air", {"device_id": device, "site": "north gate"}, fields or {"temp_c": 20.0 + i}, T0 + i)


def test_database_is_created_on_first_write(
    influxdb: InfluxDB1, writer: InfluxV1Writer, database: str
) -> None:
    assert database not in databases(influxdb)
    writer.write([air("aq-01", 0)])
    assert database in databases(influxdb)
    writer.ensure()  # idempotent
    writer.ensure()
    assert databases(influxdb).count(database) == 1


def test_points_are_read_back_with_values_tags_and_ms_timestamps(
    influxdb: InfluxDB1, writer: InfluxV1Writer, database: str
) -> None:
    points = [
        Point(
            "air", {"device_id": "aq-01", "site": "north gate"}, {"temp_c": 21.5, "pm25": 12, "ok": True}, T0
        ),
        Point(
            "air", {"device_id": "aq-02", "site": "a,b=c"}, {"temp_c": -3.25, "pm25": 0, "ok": False}, T0 + 1
        ),
        Point("note", {"device_id": "aq-01"}, {"text": 'he said "hi" \\ bye'}, T0 + 2),
    ]
    writer.write(points)
    stored = sorted(rows(influxdb, database, "air"), key=lambda row: int(row["time"]))
    assert stored == [
        {"time": T0, "device_id": "aq-01", "site": "north gate", "temp_c": 21.5, "pm25": 12, "ok": True},
        {"time": T0 + 1, "device_id": "aq-02", "site": "a,b=c", "temp_c": -3.25, "pm25": 0, "ok": False},
    ]
    assert rows(influxdb, database, "note") == [
        {"time": T0 + 2, "device_id": "aq-01", "text": 'he said "hi" \\ bye'}
    ]


def test_writing_the_same_batch_twice_stores_each_point_once(
    influxdb: InfluxDB1, writer: InfluxV1Writer, database: str
) -> None:
    batch = [air("aq-01", i) for i in range(5)] + [air("aq-02", i) for i in range(5)]
    writer.write(batch)
    writer.write(batch)
    assert len(rows(influxdb, database, "air")) == 10


def test_field_type_conflict_is_bad_data_with_the_servers_reason(writer: InfluxV1Writer) -> None:
    writer.write([air("aq-01", 0, x=1)])
    with pytest.raises(BadData) as caught:
        writer.write([air("aq-01", 1, x="a")])
    assert "field type conflict" in caught.value.reason
    assert caught.value.status == 400


def test_write_batch_writes_the_good_points_and_returns_the_bad_one(
    influxdb: InfluxDB1, writer: InfluxV1Writer, database: str
) -> None:
    writer.write([air("aq-01", 0, x=0)])  # x is an integer field from now on
    batch = [air("aq-01", i, x=i) for i in range(1, 11)]
    bad = air("aq-01", 7, x="seven")
    batch[6] = bad
    rejected = write_batch(writer, batch)
    assert len(rejected) == 1
    assert rejected[0][0] == bad
    assert "field type conflict" in rejected[0][1]
    stored = {int(row["time"]) - T0: row["x"] for row in rows(influxdb, database, "air")}
    assert stored == {i: i for i in range(11) if i != 7}


def test_write_batch_with_nothing_wrong_returns_nothing(
    influxdb: InfluxDB1, writer: InfluxV1Writer, database: str
) -> None:
    assert write_batch(writer, [air("aq-01", i) for i in range(10)]) == []
    assert len(rows(influxdb, database, "air")) == 10


def test_database_dropped_behind_our_back_is_created_again(
    influxdb: InfluxDB1, writer: InfluxV1Writer, database: str
) -> None:
    writer.write([air("aq-01", 0)])
    influxdb.query(f'DROP DATABASE "{database}"')
    writer.write([air("aq-01", 1)])
    assert [int(row["time"]) for row in rows(influxdb, database, "air")] == [T0 + 1]


def test_closed_port_is_retryable() -> None:
    writer = InfluxV1Writer(f"http://127.0.0.1:{free_port()}", "hub", timeout_s=2)
    with pytest.raises(Retryable):
        writer.write([air("aq-01", 0)])
    writer.close()


def test_stopped_server_is_retryable_and_writes_resume_after_restart(
    influxdb: InfluxDB1, writer: InfluxV1Writer, database: str
) -> None:
    writer.write([air("aq-01", 0)])
    influxdb.stop()
    with pytest.raises(Retryable):
        writer.write([air("aq-01", 1)])
    influxdb.start()  # same port, same data directory
    writer.write([air("aq-01", 1)])
    assert len(rows(influxdb, database, "air")) == 2
