"""Contract examples of the smart bin, produced by the REAL firmware on a simulated board that deep-sleeps.

Loaded by tests/contract/generate.py (every `generate_*.py` beside it contributes its kind's examples). The
board is `cityfw.core.boot.build` on a `simulators.board.SimBoard` with no broker (so every message built
after the power-up's failed connection carries `backfilled`), wired to the smart bin physics of simulators/bin.py. Time advances a second at a time;
when the firmware asks for deep sleep the board is not run until it wakes, then it boots again with reset
cause `deep_sleep` and its RTC still on time, as the fleet runner does.

Scenario, from Monday 2024-01-01 00:00 UTC: power-up; at 01:00 the bin is 90 % full (FULL after two
readings); at 02:00 it is collected (EMPTIED, FULL cleared); 03:00-03:30 knocked over (TILT raised and
cleared); 04:00-04:40 lid jammed open (LID_OPEN); 05:00-05:30 the echo line stuck (SENSOR_FAULT); at 06:00
a `ping` and a refused `set_config`; 07:00-07:30 a fire (FIRE raised, cleared once it is out).
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import Any

from cityfw.core import boot, message
from cityfw.core.supervisor import Supervisor
from offline_board import Example, collect_examples, example_name, no_broker, read_outbox

from simulators.bin import SmartBinModel
from simulators.board import DeepSleep, SimBoard, SimTime

START_MS = 1_704_067_200_000   # 2024-01-01T00:00:00Z, a Monday
HOUR_MS = 3_600_000
STEP_MS = 1_000
SEED = 5
KIND = "smart_bin"
DEVICE_ID = "bin-0001"
CONFIG: dict[str, Any] = {
    "device_id": DEVICE_ID,
    "kind": KIND,
    "wifi": {"ssid": "city-iot", "password": "secret"},
    "mqtt": {"host": "broker.invalid", "port": 1883},
    "pins": {"us_trig": 26, "us_echo": 25, "temp": 35, "i2c_sda": 21, "i2c_scl": 22, "lid": 27, "compactor": 14,
             "battery": 33},
    "app": {"retry_s": 86400},   # no broker: do not keep retrying the connection
}
EXPECTED = tuple(f"{KIND}.{name}" for name in (
    "tele", "evt.FULL.raised", "evt.FULL.cleared", "evt.EMPTIED.event", "evt.TILT.raised", "evt.TILT.cleared",
    "evt.LID_OPEN.raised", "evt.LID_OPEN.cleared", "evt.SENSOR_FAULT.raised", "evt.SENSOR_FAULT.cleared",
    "evt.FIRE.raised", "evt.FIRE.cleared", "health", "status.online", "status.offline", "status.asleep",
    "ack", "ack.refused"))


class Scenario:
    def __init__(self, flash: Path) -> None:
        self.sim = SimTime(START_MS)
        self.flash = flash
        self.model = SmartBinModel(random.Random(SEED))
        self.model.setup(DEVICE_ID, 1, 1)
        self.model.physics.packed_l = 0.2 * self.model.physics.geo.capacity_l
        self.board: SimBoard | None = None
        self.boots = 0
        self.asleep_until: int | None = None
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.sup: Supervisor = self._boot("power_on")

    def _boot(self, cause: str) -> Supervisor:
        synced = self.board is not None and self.board.rtc.synced
        self.board = SimBoard(self.sim, self.flash, SEED + self.boots, cause)
        self.board.open_socket = no_broker   # type: ignore[method-assign]
        if cause == "deep_sleep":
            self.board.rtc.synced = synced
        self.boots += 1
        self.model.attach(self.board)
        self.sup = boot.build(self.board, json.loads(json.dumps(CONFIG)))
        return self.sup

    def run_until(self, at_ms: int) -> None:
        while self.sim.now_ms < at_ms:
            t0 = self.sim.now_ms
            self.sim.now_ms += STEP_MS
            self.model.advance(t0, self.sim.now_ms)
            if self.asleep_until is not None:
                if self.sim.now_ms >= self.asleep_until:
                    self.asleep_until = None
                    self._boot("deep_sleep")
                continue
            try:
                self.sup.run_once()
            except DeepSleep as sleep:
                self.asleep_until = self.sim.now_ms + sleep.ms
            self._read_outbox()

    def _read_outbox(self) -> None:
        read_outbox(self.sup, self.sent)

    def at(self, hours: float) -> int:
        return START_MS + int(hours * HOUR_MS)

    def fault(self, name: str, on: bool) -> None:
        if on:
            self.model.inject(name, self.sim.now_ms)
        else:
            del self.model.physics.faults[name]

    def command(self, cmd: dict[str, Any]) -> None:
        # delivered to the board as the MQTT callback does; answered at the board's next pass
        self.run_until_awake()
        self.sup.link.on_command(json.dumps(cmd).encode())
        self.run_until(self.sim.now_ms + STEP_MS)

    def run_until_awake(self) -> None:
        while self.asleep_until is not None:
            self.run_until(self.sim.now_ms + STEP_MS)


def build_examples() -> dict[str, Example]:
    with tempfile.TemporaryDirectory(prefix="cityfw-contract-bin-") as tmp:
        s = Scenario(Path(tmp) / "flash")
        online = json.loads(s.sup._status("online"))
        s.run_until(s.at(1))
        s.model.physics.packed_l = 0.9 * s.model.physics.geo.capacity_l
        s.run_until(s.at(2))
        s.model.physics.collect(s.sim.now_ms)
        s.run_until(s.at(3))
        for name, start, end in (("tilt", 3, 3.5), ("lid_open", 4, 4.7), ("stuck_sensor", 5, 5.5)):
            s.run_until(s.at(start))
            s.fault(name, True)
            s.run_until(s.at(end))
            s.fault(name, False)
        s.run_until(s.at(6))
        s.command({"id": "cmd-0001", "op": "ping"})
        s.command({"id": "cmd-0002", "op": "set_config", "params": {"full_pct": 50, "full_clear_pct": 60}})
        s.run_until(s.at(7))
        s.fault("fire", True)
        s.run_until(s.at(7.5))
        s.fault("fire", False)
        s.run_until(s.at(8))
        s.run_until_awake()
        offline = json.loads(s.sup._status("offline"))
        asleep = json.loads(s.sup._status("asleep"))

    chosen: dict[str, tuple[str, dict[str, Any]]] = {}
    for channel, payload in s.sent:
        name = example_name(channel, payload)
        # health: the last; telemetry: the last one after a few sleeps with a level
        latest = channel == message.HEALTH or (channel == message.TELE and payload["data"]["wakes"] > 0
                                               and payload["data"]["fill_pct"] is not None)
        if latest or name not in chosen:
            chosen[name] = (channel, payload)
    return collect_examples("smart bin", DEVICE_ID, chosen, {"online": online, "offline": offline, "asleep": asleep},
                            EXPECTED)


if __name__ == "__main__":
    for example_name, example in build_examples().items():
        print(example_name, json.dumps(example["payload"]))
