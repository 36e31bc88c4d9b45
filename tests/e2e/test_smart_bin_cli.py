"""`cityhub simulate --kind smart_bin` as an operator runs it: five bins, a fire in one of them after 6 hours."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hub.pipeline import Hub
from hub.services.mosquitto import Mosquitto
from tests.e2e.conftest import settle

CITYHUB = str(Path(sys.executable).parent / "cityhub")


def test_simulate_smart_bins_with_a_fire(hub: Hub, mosquitto: Mosquitto, tmp_path: Path) -> None:
    env = dict(os.environ, CITYHUB_MQTT_URL=hub.settings.mqtt_url, CITYHUB_MQTT_ADMIN_URL=mosquitto.admin_url,
               CITYHUB_DATA_DIR=str(tmp_path / "operator"))
    result = subprocess.run(
        [CITYHUB, "simulate", "--kind", "smart_bin", "--count", "5", "--speed", "0", "--duration", "8h",
         "--fault", "bin-0002=fire@6h", "--start", "2026-11-17T00:00:00Z", "--data-dir", str(tmp_path / "fleet")],
        capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 still queued on boards, 0 dropped, 0 crashes" in result.stdout, result.stdout
    settle(hub)
    alarms = [(a.device_id, a.alarm, a.since_ms >= 1_794_873_600_000 + 6 * 3_600_000) for a in hub.store.alarms()]
    assert alarms == [("bin-0002", "FIRE", True)], alarms
    assert hub.stats().written >= 5 * 8 * 2, "hourly telemetry and health from every bin"


def test_simulate_help_lists_the_faults_of_every_kind() -> None:
    result = subprocess.run([CITYHUB, "simulate", "--help"], capture_output=True, text=True, timeout=60,
                            check=False, env=dict(os.environ, COLUMNS="200"))
    text = " ".join(result.stdout.replace("│", " ").split())
    assert "smart_bin (bin-0001, ...): fire, tilt, stuck_sensor" in text, text
    assert "water_meter (wm-0001, ...): drip, toilet_leak" in text, text
