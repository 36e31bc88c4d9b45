"""Generate the contract's example messages by running the REAL firmware on a simulated board.

Nothing here is a hand-written message: a water-meter board is built with `cityfw.core.boot.build` on a
`simulators.board.SimBoard`, water is fed to its pulse input minute by minute and the supervisor's main
loop (`Supervisor.run_once`) runs once per simulated minute: it syncs the clock, lets the app measure and
decide, emits health, answers commands, and stamps, encodes and queues every message in the durable
outbox. The examples are read back from that outbox (channel + encoded payload, exactly what
`Supervisor._send` would publish) and from the supervisor's status builder (birth / last will).

The simulated board has WiFi but no broker (its socket factory refuses), so the link never opens a session
and every queued message carries the `backfilled` quality flag, as a board that measured while its broker
was unreachable sends it. No network is used. The run is deterministic (fixed start time and seed).

Scenario, from Monday 2024-01-01 00:00 UTC (01:00 local, inside the night window):
  * 25 h at 25 L/h (a running toilet): water never stands still for an hour -> LEAK raised;
  * still until the LEAK clears (one still hour), then still until day 4's night;
  * that night 50 L/h for 4 h, well above the learned night baseline -> NIGHT_FLOW raised (with night_l);
  * then a `ping` and a refused `set_config` command (ack), the hourly health report, both status messages.

Other kinds: every `generate_<kind>.py` beside this file has its own scenario and a `build_examples()`;
`write_examples` adds their examples to these (e.g. generate_pedestrian_counter.py).

Usage: python tests/contract/generate.py [OUT_DIR]   (default: tests/contract/examples next to this file)
Writes one `<kind>.<channel>[.<alarm>.<state>].json` file per example: {"topic": ..., "payload": {...}}.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from cityfw.core import boot, message
from cityfw.core.supervisor import Supervisor
from offline_board import Example, OfflineScenario, collect_examples, example_name, no_broker

from simulators.board import SimBoard, SimTime
from simulators.water import PulseMeter

HERE = Path(__file__).resolve().parent
EXAMPLES_DIR = HERE / "examples"

START_MS = 1_704_067_200_000   # 2024-01-01T00:00:00Z, a Monday
MIN_MS = 60_000
HOUR_MS = 3_600_000
SEED = 7
DEVICE_ID = "wm-0001"
KIND = "water_meter"
CONFIG: dict[str, Any] = {
    "device_id": DEVICE_ID,
    "kind": KIND,
    "wifi": {"ssid": "city-iot", "password": "secret"},
    "mqtt": {"host": "broker.invalid", "port": 1883},
}

# example names this scenario must produce; the generator fails loudly when one is missing
EXPECTED = (
    f"{KIND}.tele",
    f"{KIND}.evt.LEAK.raised",
    f"{KIND}.evt.LEAK.cleared",
    f"{KIND}.evt.NIGHT_FLOW.raised",
    f"{KIND}.health",
    f"{KIND}.status.online",
    f"{KIND}.status.offline",
    f"{KIND}.ack",
    f"{KIND}.ack.refused",
)


class Scenario(OfflineScenario):
    """One simulated water-meter board, its pulse meter, and every message it has produced so far."""

    def __init__(self, flash: Path) -> None:
        self.sim = SimTime(START_MS)
        self.board = SimBoard(self.sim, flash, SEED)
        self.board.open_socket = no_broker   # type: ignore[method-assign]
        self.sup: Supervisor = boot.build(self.board, json.loads(json.dumps(CONFIG)))
        self.meter = PulseMeter(self.sup.cfg["app"]["litres_per_pulse"])
        self.sent: list[tuple[str, dict[str, Any]]] = []   # (channel, payload) in outbox order
        self._pass()   # first pass: WiFi up, clock synced, the app starts its minute on the wall clock
        if not self.sup.clock.synced:
            raise RuntimeError("the simulated board's clock did not sync")

    def run(self, hours: float, flow_lph: float) -> None:
        """Advance simulated time minute by minute with a constant flow through the meter."""
        for _ in range(round(hours * 60)):
            t0 = self.sim.now_ms
            t1 = t0 + MIN_MS
            for t in self.meter.pulses(t0, t1, flow_lph / 60):
                self.board.pulse_input.pulse(t - self.board.rtc.boot_ms)
            self.sim.now_ms = t1
            self._pass()

    def run_until(self, at_ms: int, flow_lph: float) -> None:
        self.run((at_ms - self.sim.now_ms) / HOUR_MS, flow_lph)


def build_examples() -> dict[str, Example]:
    """Run the scenario and return {example name: {"topic", "payload"}}."""
    with tempfile.TemporaryDirectory(prefix="cityfw-contract-") as tmp:
        s = Scenario(Path(tmp) / "flash")
        online = s.status("online")
        s.run(25, 25.0)                                     # running toilet: LEAK raised after 24 h
        s.run(2, 0.0)                                       # a still hour: LEAK cleared
        s.run_until(START_MS + 72 * HOUR_MS, 0.0)           # quiet days: the night baseline drops
        s.run(4, 50.0)                                      # night 4 (01-05 local): NIGHT_FLOW raised
        s.run(1, 0.0)
        s.command({"id": "cmd-0001", "op": "ping"})
        s.command({"id": "cmd-0002", "op": "set_config", "params": {"no_such_threshold": 1}})
        offline = s.status("offline")

    chosen: dict[str, tuple[str, dict[str, Any]]] = {}
    for channel, payload in s.sent:
        name = example_name(channel, payload)
        # events: the first of each (alarm, state); health: the last (longest uptime); telemetry: the last
        # one with water (the night minimum is learned by then)
        latest = channel == message.HEALTH or (channel == message.TELE and payload["data"]["pulses"] > 0)
        if latest or name not in chosen:
            chosen[name] = (channel, payload)
    return collect_examples("firmware", DEVICE_ID, chosen, {"online": online, "offline": offline}, EXPECTED)


def sibling_examples() -> dict[str, Example]:
    """The examples of the other kinds: each `generate_<kind>.py` beside this file has a `build_examples()`."""
    import importlib.util
    out: dict[str, Example] = {}
    for path in sorted(HERE.glob("generate_*.py")):
        spec = importlib.util.spec_from_file_location(f"cityhub_contract_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        out.update(module.build_examples())
    return out


def write_examples(out_dir: Path) -> dict[str, Example]:
    """Generate the examples into out_dir (stale *.json files there are removed first)."""
    examples = build_examples()
    examples.update(sibling_examples())
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.json"):
        old.unlink()
    for name, example in examples.items():
        text = json.dumps(example, indent=2, sort_keys=True) + "\n"
        (out_dir / f"{name}.json").write_text(text, encoding="utf-8")
    return examples


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else EXAMPLES_DIR
    examples = write_examples(out_dir)
    for name in examples:
        print(out_dir / f"{name}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
