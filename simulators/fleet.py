"""Fleet runner: many simulated boards in one process, each running the real firmware, in accelerated time.

A fleet may mix device kinds (`{"water_meter": 5, "park_light": 12}`). Time advances in steps of simulated
time; each kind's physics model says how often its boards run (`tick_ms`: one minute for a water meter, a
second for a park light), and the fleet's step is the shortest of them. At `speed` S one real second is S
simulated seconds (speed 0 = as fast as possible). When a board's turn comes, the physics since its last turn
is delivered to its simulated inputs, then one pass of its firmware supervisor runs. Network I/O is real.

A board that asks for deep sleep (`board.deep_sleep(ms)`) is not run until it wakes; it then boots again
with reset cause `deep_sleep`, as an ESP32 does. Its physics keeps running meanwhile.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cityfw.core import boot
from cityfw.core.supervisor import Supervisor

from simulators.board import DeepSleep, SimBoard, SimTime
from simulators.kinds import PhysicsModel, model_for

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
    model: PhysicsModel
    config: dict[str, Any]
    seed: int
    period_ms: int
    last_ms: int
    board: SimBoard | None = None
    sup: Supervisor | None = None
    boots: int = 0
    crashes: int = 0
    sleeps: int = 0
    asleep_until_ms: int | None = None
    sent_before: int = 0   # messages delivered by the board's earlier boots (each boot has a new supervisor)
    offline: list[tuple[int, int]] = field(default_factory=list)

    def boot(self, sim: SimTime, reset_cause: str = "power_on") -> None:
        if self.sup is not None:
            self.sup.link.drop("reboot")
            self.sent_before += self.sup.sent
        before = self.board.rtc if self.board is not None else None
        self.board = SimBoard(sim, self.fs_root, self.seed + self.boots, reset_cause)
        if reset_cause == "deep_sleep" and before is not None:
            # an ESP32's RTC keeps counting through deep sleep: NTP-set or still running from its power-up
            self.board.rtc.synced = before.synced
            self.board.rtc.powered_ms = before.powered_ms
        self.model.attach(self.board)
        self.sup = boot.build(self.board, json.loads(json.dumps(self.config)))
        self.boots += 1

    def due(self, now_ms: int) -> bool:
        return now_ms - self.last_ms >= self.period_ms

    def step(self, sim: SimTime) -> None:
        """The physics since the board's last turn, then one firmware pass (or a wake-up from deep sleep)."""
        t0_ms, t1_ms = self.last_ms, sim.now_ms
        self.last_ms = t1_ms
        if self.asleep_until_ms is not None:
            self.model.advance(t0_ms, t1_ms)
            if t1_ms < self.asleep_until_ms:
                return
            self.asleep_until_ms = None
            self.sent_before += self.sup.sent if self.sup is not None else 0
            self.sup = None   # the sleeping board kept no session: it boots afresh
            self.boot(sim, "deep_sleep")
            return
        assert self.board is not None and self.sup is not None
        self.board.wifi.up = not any(a <= t1_ms < b for a, b in self.offline)
        self.model.advance(t0_ms, t1_ms)
        self.run_pass(sim)

    def run_pass(self, sim: SimTime) -> None:
        assert self.sup is not None
        try:
            self.sup.run_once()
        except DeepSleep as sleep:
            self.sleeps += 1
            self.asleep_until_ms = sim.now_ms + sleep.ms
            self.sup.link.drop("deep_sleep")   # the radio is off while asleep: the TCP session goes too
        except Exception:  # the board's main.py resets on any crash; so does the simulator
            self.crashes += 1
            log.exception("%s crashed; rebooting", self.device_id)
            self.boot(sim, "crash")

    @property
    def awake(self) -> bool:
        return self.asleep_until_ms is None and self.sup is not None


def device_id(prefix: str, n: int) -> str:
    return f"{prefix}-{n:04d}"


Credentials = Callable[[dict[str, Any]], tuple[str, str]]
"""Given a board's configuration (device_id, kind, app, ...), the MQTT (username, password) it connects with."""


class Fleet:
    """Simulated boards of one or several kinds: `Fleet("water_meter", 5, ...)` or `Fleet({"smart_bin": 3,
    "park_light": 8}, None, ...)`. Ids are `<prefix>-0001`, ... per kind. `credentials`, when given, is asked
    for each board's MQTT username and password (the secured broker gives every device its own). `app` adds
    app settings per device id (`{"ped-0001": {"light_group": "path-01", "light_pole": -1}}`) to what its
    physics model sets."""

    def __init__(self, kind: str | Mapping[str, int], count: int | None, broker: BrokerAddress, data_dir: Path,
                 start_ms: int, speed: float = 3600.0, tick_ms: int | None = None, seed: int = 1,
                 fresh: bool = True, credentials: Credentials | None = None,
                 app: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        kinds = {kind: count or 0} if isinstance(kind, str) else dict(kind)
        self.kinds = kinds
        self.kind = next(iter(kinds))
        self.sim = SimTime(start_ms)
        self.start_ms = start_ms
        self.speed = speed
        self.data_dir = data_dir
        self.devices: dict[str, SimDevice] = {}
        periods: list[int] = []
        for kind_name, n_boards in kinds.items():
            model_cls = model_for(kind_name)
            period = int(tick_ms or model_cls.tick_ms)
            periods.append(period)
            for n in range(1, n_boards + 1):
                did = device_id(model_cls.prefix, n)
                fs_root = data_dir / did
                if fresh and fs_root.exists():
                    shutil.rmtree(fs_root)
                model = model_cls(random.Random(seed * 100_003 + n + 7919 * len(periods)))
                model.setup(did, n, n_boards)
                cfg: dict[str, Any] = {
                    "device_id": did, "kind": kind_name,
                    "wifi": {"ssid": "city-sim", "password": "", "backoff_base_ms": 200, "backoff_max_ms": 2000},
                    "mqtt": {"host": broker.host, "port": broker.port, "user": broker.user,
                             "password": broker.password, "keepalive_s": 30, "timeout_ms": 5000,
                             "backoff_base_ms": 200, "backoff_max_ms": 2000},
                    "app": {**model.app_config(), **(app or {}).get(did, {})},
                }
                if credentials is not None:
                    cfg["mqtt"]["user"], cfg["mqtt"]["password"] = credentials(cfg)
                self.devices[did] = SimDevice(did, kind_name, fs_root, model, cfg, seed * 1000 + n,
                                              period, start_ms)
        self.tick_ms = min(periods) if periods else 60_000

    def of_kind(self, kind: str) -> list[SimDevice]:
        return [d for d in self.devices.values() if d.kind == kind]

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
        self.sim.now_ms += self.tick_ms
        for dev in self.devices.values():
            if dev.due(self.sim.now_ms):
                dev.step(self.sim)

    def idle_pass(self) -> None:
        """A firmware pass without advancing time: keeps MQTT sessions alive while waiting for real time."""
        for dev in self.devices.values():
            if dev.awake:
                dev.run_pass(self.sim)

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
                if dev.awake and dev.board is not None and dev.board.wifi.up:
                    dev.run_pass(self.sim)
                    if dev.sup is not None and dev.awake:
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
            "sent": sum(s.sent for s in sups) + sum(d.sent_before for d in self.devices.values()),
            "queued": sum(s.outbox.depth() for s in sups),
            "dropped": sum(s.outbox.dropped for s in sups),
            "crashes": sum(d.crashes for d in self.devices.values()),
            "asleep": sum(1 for d in self.devices.values() if d.asleep_until_ms is not None),
        }
