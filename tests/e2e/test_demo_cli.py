"""The demo command, run as a user would: services, hub and a fleet with one leak, then a clean stop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_demo_shows_the_leak_alarm_and_stops_cleanly(tmp_path: Path) -> None:
    cityhub = Path(sys.executable).parent / "cityhub"
    result = subprocess.run(
        [str(cityhub), "demo", "--count", "4", "--speed", "0", "--duration", "27h",
         "--leak", "wm-0002=toilet_leak", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "ALARM LEAK RAISED on wm-0002" in out, out
    assert "0 quarantined, 0 still buffered" in out, out
    assert "4/4 online" in out, out
    listing = subprocess.run([str(cityhub), "alarms", "list", "--data-dir", str(tmp_path / "hub")],
                             capture_output=True, text=True, timeout=30, check=False)
    assert listing.returncode == 0
    lines = [line for line in listing.stdout.splitlines() if line.startswith("wm-")]
    assert len(lines) == 1 and lines[0].split()[:3] == ["wm-0002", "LEAK", "open"], listing.stdout
