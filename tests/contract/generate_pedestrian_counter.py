"""Contract examples of the pedestrian counter, produced by the REAL firmware on a simulated board.

Loaded by tests/contract/generate.py (every `generate_*.py` beside it contributes its kind's examples), the
same way: `cityfw.core.boot.build` on a `simulators.board.SimBoard` with no broker, so every queued message
carries `backfilled`. The board gets the simulator's two beams (simulators/pedestrians.py `SimBeams`) and
walkers are played on them as edge interrupts; the supervisor's loop runs every 10 simulated seconds.

The counter tells the park lights of group `park-north` of each passage; with no broker those presence
messages cannot go and are counted in the bins' `presence_unsent`.

Scenario, from Monday 2024-01-01 11:00 UTC: 12 people in and 9 out in the first quarter hour, then a bag in
beam a for 2 minutes (BEAM_BLOCKED raised, then cleared), then a `ping` and a refused `set_config`, the
hourly health report, and both status messages.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from cityfw.core import boot, message
from cityfw.core.supervisor import Supervisor
from offline_board import Example, OfflineScenario, collect_examples, example_name, no_broker

from simulators.board import SimBoard, SimTime
from simulators.pedestrians import SimBeams

START_MS = 1_704_106_800_000   # 2024-01-01T11:00:00Z, a Monday
STEP_MS = 10_000
KIND = "pedestrian_counter"
DEVICE_ID = "ped-0001"
CONFIG: dict[str, Any] = {
    "device_id": DEVICE_ID,
    "kind": KIND,
    "wifi": {"ssid": "city-iot", "password": "secret"},
    "mqtt": {"host": "broker.invalid", "port": 1883},
    "pins": {"beam_a": 32, "beam_b": 33},
    "app": {"light_group": "park-north", "light_pole": -1},   # tells a path's park lights (no broker: unsent)
}
EXPECTED = (
    f"{KIND}.tele",
    f"{KIND}.evt.BEAM_BLOCKED.raised",
    f"{KIND}.evt.BEAM_BLOCKED.cleared",
    f"{KIND}.health",
    f"{KIND}.status.online",
    f"{KIND}.status.offline",
    f"{KIND}.ack",
    f"{KIND}.ack.refused",
)


class Scenario(OfflineScenario):
    def __init__(self, flash: Path) -> None:
        self.sim = SimTime(START_MS)
        self.board = SimBoard(self.sim, flash, 11)
        self.board.open_socket = no_broker   # type: ignore[method-assign]
        self.beams = SimBeams()
        self.board.beams = self.beams
        self.sup: Supervisor = boot.build(self.board, json.loads(json.dumps(CONFIG)))
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self._pass()
        if not self.sup.clock.synced:
            raise RuntimeError("the simulated board's clock did not sync")

    def ticks(self) -> int:
        return self.sim.now_ms - self.board.rtc.boot_ms

    def step(self, n: int = 1) -> None:
        for _ in range(n):
            self.sim.now_ms += STEP_MS
            self._pass()

    def walk(self, inward: bool) -> None:
        first, second = (0, 1) if inward else (1, 0)
        t = self.ticks()
        for beam, broken, at in ((first, True, 0), (second, True, 110), (first, False, 280), (second, False, 390)):
            self.beams.edge(beam, broken, t + at)
        self.step()


def build_examples() -> dict[str, Example]:
    with tempfile.TemporaryDirectory(prefix="cityfw-contract-ped-") as tmp:
        s = Scenario(Path(tmp) / "flash")
        online = s.status("online")
        for i in range(21):
            s.walk(inward=i % 7 < 4)                        # 12 in, 9 out
        s.step((15 * 60_000 - 21 * STEP_MS) // STEP_MS)      # the 11:15 bin closes
        s.step(30)
        s.beams.edge(0, True, s.ticks())                     # a bag in beam a
        s.step(12)
        s.beams.edge(0, False, s.ticks())
        s.step(6)
        s.step((s.board.rtc.boot_ms + 3_600_000 - s.sim.now_ms) // STEP_MS + 1)   # the hourly health
        s.command({"id": "cmd-0001", "op": "ping"})
        s.command({"id": "cmd-0002", "op": "set_config", "params": {"window_ms": 0}})
        offline = s.status("offline")
    chosen: dict[str, tuple[str, dict[str, Any]]] = {}
    for channel, payload in s.sent:
        name = example_name(channel, payload)
        latest = channel == message.HEALTH or (channel == message.TELE and payload["data"]["count_in"] > 0)
        if latest or name not in chosen:
            chosen[name] = (channel, payload)
    return collect_examples("pedestrian counter", DEVICE_ID, chosen, {"online": online, "offline": offline},
                            EXPECTED)
