"""`cityhub simulate` as an operator runs it: a fleet against the broker in CITYHUB_MQTT_URL, with a fault."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hub.pipeline import Hub
from hub.services.mosquitto import Mosquitto
from tests.e2e.conftest import settle


def test_simulate_command_runs_a_fleet_with_a_fault_against_the_broker(hub: Hub, mosquitto: Mosquitto,
                                                                       tmp_path: Path) -> None:
    env = dict(os.environ, CITYHUB_MQTT_URL=hub.settings.mqtt_url, CITYHUB_MQTT_ADMIN_URL=mosquitto.admin_url,
               CITYHUB_DATA_DIR=str(tmp_path / "operator"))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cityhub"), "simulate", "--count", "3", "--speed", "0",
         "--duration", "26h", "--fault", "wm-0002=large_leak", "--start", "2026-11-16T00:00:00Z",
         "--data-dir", str(tmp_path / "fleet")],
        capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 dropped, 0 crashes" in result.stdout, result.stdout
    assert mosquitto.admin_url.rpartition("@")[0] not in result.stdout + result.stderr, "a password was shown"
    settle(hub)
    alarms = [(a.device_id, a.alarm) for a in hub.store.alarms()]
    assert alarms == [("wm-0002", "LEAK")], alarms
    assert hub.stats().written >= 3 * 26 * 4


def test_simulate_refuses_an_unknown_fault_with_a_clear_message(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cityhub"), "simulate", "--fault", "wm-0002=flood",
         "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=60, check=False,
        env=dict(os.environ, CITYHUB_MQTT_URL="mqtt://127.0.0.1:9"))
    assert result.returncode == 1
    assert "unknown fault 'flood'" in result.stderr and "toilet_leak" in result.stderr, result.stderr
