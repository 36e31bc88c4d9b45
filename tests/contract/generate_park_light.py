"""Contract examples of the park light, produced by the REAL firmware on a simulated board.

Loaded by tests/contract/generate.py (every `generate_*.py` beside it contributes its kind's examples), the
same way: `cityfw.core.boot.build` on a `simulators.board.SimBoard` with no broker, so every queued message
carries `backfilled`. The board gets the simulator's lamp, motion sensor and lamp current sense
(simulators/park.py) and its supervisor's loop runs every simulated second. The app is told whether it has
contact through a stand-in for the link (the supervisor's own link stays offline), so it runs in dynamic mode
and can lose and regain contact.

Scenario, from Monday 2024-01-01 16:00 UTC (after sunset in Brussels): passers-by seen by the motion sensor; the
LED module fails and is repaired (LAMP_FAILURE raised, cleared); the motion sensor sticks for 11 minutes
(SENSOR_STUCK raised, cleared); contact is lost for 16 minutes (COMMS_LOST raised, cleared); an `override` to
0 % is accepted while the driver is stuck at full power (DAY_BURNER raised) and an override to 250 % refused;
the hourly health report, both status messages.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import Any

from cityfw.core import boot, message
from cityfw.core.supervisor import Supervisor
from offline_board import Example, OfflineScenario, collect_examples, example_name, no_broker

from simulators.board import SimBoard, SimTime
from simulators.park import SimLamp, SimLampCurrent, SimMotionSensor

START_MS = 1_704_124_800_000   # 2024-01-01T16:00:00Z, a Monday, after sunset in Brussels
STEP_MS = 1_000
MIN_MS = 60_000
KIND = "park_light"
DEVICE_ID = "light-0001"
CONFIG: dict[str, Any] = {
    "device_id": DEVICE_ID,
    "kind": KIND,
    "wifi": {"ssid": "city-iot", "password": "secret"},
    "mqtt": {"host": "broker.invalid", "port": 1883},
    "pins": {"lamp": 25, "pir": 27, "lamp_current": 34},
    "app": {"group": "parc-royal-north", "pole": 3},
}
ALARMS = ("LAMP_FAILURE", "SENSOR_STUCK", "COMMS_LOST")
EXPECTED = ((f"{KIND}.tele", f"{KIND}.health", f"{KIND}.status.online", f"{KIND}.status.offline", f"{KIND}.ack",
             f"{KIND}.ack.refused", f"{KIND}.evt.DAY_BURNER.raised")
            + tuple(f"{KIND}.evt.{a}.{s}" for a in ALARMS for s in ("raised", "cleared")))


class Contact:
    """What the app reads of the link: whether a broker session is up; presence is not sent anywhere."""

    def __init__(self) -> None:
        self.connected = True

    def send_now(self, topic: str, payload: str) -> bool:
        return False


class Scenario(OfflineScenario):
    def __init__(self, flash: Path) -> None:
        self.sim = SimTime(START_MS)
        self.board = SimBoard(self.sim, flash, 5)
        self.board.open_socket = no_broker   # type: ignore[method-assign]
        self.lamp = SimLamp(self.sim)
        self.sensor = SimMotionSensor()
        self.board.lamp = self.lamp   # type: ignore[attr-defined]
        self.board.pir = self.sensor   # type: ignore[attr-defined]
        self.board.lamp_current = SimLampCurrent(self.lamp, random.Random(3))   # type: ignore[attr-defined]
        self.sup: Supervisor = boot.build(self.board, json.loads(json.dumps(CONFIG)))
        self.contact = Contact()
        self.sup.app.link = self.contact
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self._pass()
        if not self.sup.clock.synced:
            raise RuntimeError("the simulated board's clock did not sync")

    def run(self, minutes: float, passers_per_min: int = 0) -> None:
        for i in range(round(minutes * MIN_MS / STEP_MS)):
            self.sim.now_ms += STEP_MS
            if passers_per_min and i % (60 // passers_per_min) == 0:
                self.sensor.edges += 1
            self._pass()


def build_examples() -> dict[str, Example]:
    with tempfile.TemporaryDirectory(prefix="cityfw-contract-light-") as tmp:
        s = Scenario(Path(tmp) / "flash")
        online = s.status("online")
        s.run(16, passers_per_min=1)          # the 16:15 report with detections
        s.lamp.failed = True
        s.run(2)                              # LAMP_FAILURE after 60 s
        s.lamp.failed = False
        s.run(2)                              # cleared after 60 s of normal current
        s.sensor.stuck = True
        s.run(11)                             # SENSOR_STUCK after 10 min
        s.sensor.stuck = False
        s.run(2)
        s.contact.connected = False
        s.run(16)                             # COMMS_LOST after 15 min (fail-safe at full)
        s.contact.connected = True
        s.run(1)
        s.lamp.stuck_full = True
        s.command({"id": "cmd-0001", "op": "override", "params": {"level": 0, "duration_s": 900}})
        s.run(6)                              # DAY_BURNER: driven off, current flows for 5 min
        s.command({"id": "cmd-0002", "op": "override", "params": {"level": 250, "duration_s": 60}})
        s.run(5)                              # past the hourly health report
        offline = s.status("offline")
    chosen: dict[str, tuple[str, dict[str, Any]]] = {}
    for channel, payload in s.sent:
        name = example_name(channel, payload)
        # health: the last one; telemetry: the first with detections (dynamic mode); events: the first
        latest = channel == message.HEALTH
        if latest or name not in chosen:
            if channel == message.TELE and not payload["data"]["detections"]:
                continue
            chosen[name] = (channel, payload)
    return collect_examples("park light", DEVICE_ID, chosen, {"online": online, "offline": offline}, EXPECTED)
