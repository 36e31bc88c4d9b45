"""Shared pytest fixtures: real mosquitto, InfluxDB 1.x and VictoriaMetrics servers.

Each fixture is function-scoped: the server runs on free loopback ports with its data directory
under the test's tmp_path, and is stopped at teardown, also when the test fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.services.victoria import VictoriaMetrics


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[Mosquitto]:
    """A secured broker: no anonymous clients; the hub logs in with `mosquitto.hub_url`, devices with their own
    login from the registry (`registry` fixture in tests/e2e/conftest.py)."""
    with Mosquitto(tmp_path / "mosquitto", secured=True) as broker:
        yield broker


@pytest.fixture
def influxdb(tmp_path: Path) -> Iterator[InfluxDB1]:
    with InfluxDB1(tmp_path / "influxdb") as server:
        yield server


@pytest.fixture
def victoria(tmp_path: Path) -> Iterator[VictoriaMetrics]:
    with VictoriaMetrics(tmp_path / "victoria") as server:
        yield server
