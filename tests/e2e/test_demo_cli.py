"""The demo command, run as a user would: services, hub and a mixed fleet with one fault per kind, then a clean stop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_demo_raises_one_alarm_per_kind_on_the_faulty_boards_and_stops_cleanly(tmp_path: Path) -> None:
    cityhub = Path(sys.executable).parent / "cityhub"
    result = subprocess.run(
        [str(cityhub), "demo", "--meters", "3", "--bins", "2", "--counters", "2", "--lights", "3",
         "--speed", "0", "--duration", "27h", "--start", "2026-11-17T15:00", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for alarm, device in [("LEAK", "wm-0003"), ("FIRE", "bin-0002"), ("BEAM_BLOCKED", "ped-0002"),
                          ("LAMP_FAILURE", "light-0003")]:
        assert f"ALARM {alarm} RAISED on {device}" in out, out
    assert "0 quarantined, 0 still buffered" in out, out
    assert "Traceback" not in result.stderr, result.stderr
    listing = subprocess.run([str(cityhub), "alarms", "list", "--data-dir", str(tmp_path / "hub")],
                             capture_output=True, text=True, timeout=30, check=False)
    assert listing.returncode == 0
    rows = sorted(tuple(line.split()[:2]) for line in listing.stdout.splitlines()
                  if line.split() and line.split()[0][:3] in ("wm-", "bin", "ped", "lig"))
    assert rows == [("bin-0002", "FIRE"), ("light-0003", "LAMP_FAILURE"), ("ped-0002", "BEAM_BLOCKED"),
                    ("wm-0003", "LEAK")], listing.stdout
    devices = subprocess.run([str(cityhub), "device", "list", "--data-dir", str(tmp_path / "hub")],
                             capture_output=True, text=True, timeout=30, check=False)
    assert devices.returncode == 0, devices.stderr
    for did in ("wm-0001", "bin-0002", "ped-0001", "light-0003"):
        assert did in devices.stdout, devices.stdout
