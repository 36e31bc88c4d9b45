"""Fleet runner: many simulated boards in one process, each running the real firmware, in accelerated time.

Time advances in steps of `tick_ms` of simulated time (one minute by default). At `speed` S one real second
is S simulated seconds (speed 0 = as fast as possible). Each step delivers the physics of the step to every
board's simulated inputs, then runs one pass of the board's firmware supervisor. Network I/O is real.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cityfw.core import boot
from cityfw.core.supervisor import Supervisor

from simulators.board import SimBoard, SimTime
from simulators.kinds import WaterMeterModel, model_for

log = logging.getLogger("cityhub.simulate")


@dataclass
class BrokerAddress:
    host: str
    port: int
    user: str | None = None
    password: str | None = None


@dataclass
class SimDevice:
    device_id: str
    kind: str
    fs_root: Path
    model: WaterMeterModel
    config: dict[str, Any]
    seed: int
    board: SimBoard | None = None
    sup: Supervisor | None = None
    boots: int = 0
    crashes: int = 0
    offline: list[tuple[int, int]] = field(default_factory=list)

    def boot(self, sim: SimTime, reset_cause: str = "power_on") -> None:
        if self.sup is not None:
            self.sup.link.drop("reboot")
        self.board = SimBoard(sim, self.fs_root, self.seed + self.boots, reset_cause)
        self.model.attach(self.board)
        self.sup = boot.build(self.board, json.loads(json.dumps(self.config)))
        self.boots += 1

    def step(self, sim: SimTime, t0_ms: int, t1_ms: int) -> None:
        assert self.board is not None and self.sup is not None
        self.board.wifi.up = not any(a <= t1_ms < b for a, b in self.offline)
        self.model.advance(t0_ms, t1_ms)
        try:
            self.sup.run_once()
        except Exception:  # the board's main.py resets on any crash; so does the simulator
            self.crashes += 1
            log.exception("%s crashed; rebooting", self.device_id)
            self.boot(sim, "crash")


def device_id(prefix: str, n: int) -> str:
    return f"{prefix}-{n:04d}"


class Fleet:
    def __init__(self, kind: str, count: int, broker: BrokerAddress, data_dir: Path, start_ms: int,
                 speed: float = 3600.0, tick_ms: int = 60_000, seed: int = 1, fresh: bool = True) -> None:
        self.kind = kind
        self.sim = SimTime(start_ms)
        self.start_ms = start_ms
        self.speed = speed
        self.tick_ms = tick_ms
        self.data_dir = data_dir
        self.devices: dict[str, SimDevice] = {}
        model_cls = model_for(kind)
        for n in range(1, count + 1):
            did = device_id(model_cls.prefix, n)
            fs_root = data_dir / did
            if fresh and fs_root.exists():
                shutil.rmtree(fs_root)
            model = model_cls(random.Random(seed * 100_003 + n))
            cfg = {
                "device_id": did, "kind": kind,
                "wifi": {"ssid": "city-sim", "password": "", "backoff_base_ms": 200, "backoff_max_ms": 2000},
                "mqtt": {"host": broker.host, "port": broker.port, "user": broker.user,
                         "password": broker.password, "keepalive_s": 30, "timeout_ms": 5000,
                         "backoff_base_ms": 200, "backoff_max_ms": 2000},
                "app": model.app_config(),
            }
            self.devices[did] = SimDevice(did, kind, fs_root, model, cfg, seed * 1000 + n)

    def inject(self, did: str, fault: str, after_ms: int = 0) -> None:
        dev = self._device(did)
        if fault not in dev.model.faults:
            raise ValueError(f"unknown fault {fault!r} for {dev.kind}; known: {', '.join(dev.model.faults)}")
        dev.model.inject(fault, self.start_ms + after_ms)

    def offline(self, did: str, after_ms: int, duration_ms: int) -> None:
        """Take a board's WiFi down from start+after for duration (simulated time)."""
        self._device(did).offline.append((self.start_ms + after_ms, self.start_ms + after_ms + duration_ms))

    def _device(self, did: str) -> SimDevice:
        try:
            return self.devices[did]
        except KeyError:
            raise ValueError(f"no simulated device {did!r} in this fleet") from None

    def boot_all(self) -> None:
        for dev in self.devices.values():
            if dev.sup is None:
                dev.boot(self.sim)

    def step(self) -> None:
        t0 = self.sim.now_ms
        t1 = t0 + self.tick_ms
        self.sim.now_ms = t1
        for dev in self.devices.values():
            dev.step(self.sim, t0, t1)

    def idle_pass(self) -> None:
        """A firmware pass without advancing time: keeps MQTT sessions alive while waiting for real time."""
        for dev in self.devices.values():
            assert dev.sup is not None
            dev.sup.run_once()

    def run(self, duration_ms: int, stop: threading.Event | None = None,
            progress: Callable[[Fleet], None] | None = None, progress_every_s: float = 1.0) -> None:
        self.boot_all()
        end = self.sim.now_ms + duration_ms
        real0 = time.monotonic()
        sim0 = self.sim.now_ms
        last_progress = real0
        while self.sim.now_ms < end and not (stop and stop.is_set()):
            if self.speed > 0:
                target = sim0 + (time.monotonic() - real0) * self.speed * 1000
                if self.sim.now_ms + self.tick_ms > target:
                    self.idle_pass()
                    time.sleep(min(0.05, (self.sim.now_ms + self.tick_ms - target) / self.speed / 1000))
                    continue
            self.step()
            if progress and time.monotonic() - last_progress >= progress_every_s:
                last_progress = time.monotonic()
                progress(self)
        self.drain()
        if progress:
            progress(self)

    def drain(self, timeout_s: float = 30.0) -> None:
        """Let every connected board send what its outbox still holds (no simulated time passes)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            pending = 0
            for dev in self.devices.values():
                assert dev.sup is not None and dev.board is not None
                if dev.board.wifi.up:
                    dev.sup.run_once()
                    pending += dev.sup.outbox.depth()
            if pending == 0:
                return
            time.sleep(0.02)

    def shutdown(self) -> None:
        for dev in self.devices.values():
            if dev.sup is not None and dev.sup.link.client is not None:
                dev.sup.link.client.disconnect()

    def stats(self) -> dict[str, int]:
        sups = [d.sup for d in self.devices.values() if d.sup is not None]
        return {
            "devices": len(self.devices),
            "online": sum(1 for s in sups if s.link.connected),
            "sent": sum(s.sent for s in sups),
            "queued": sum(s.outbox.depth() for s in sups),
            "dropped": sum(s.outbox.dropped for s in sups),
            "crashes": sum(d.crashes for d in self.devices.values()),
        }
