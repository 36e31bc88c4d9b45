"""Simulated hardware layer: a board the real firmware runs on, in (optionally accelerated) simulated time.

It offers exactly what `firmware/hal/esp32.py` offers (rtc, wifi, sockets, watchdog, flash root, inputs),
but time comes from a shared `SimTime`, WiFi can be taken down, and sockets are real TCP connections to
the broker that fail while the simulated WiFi is down. Network timeouts run on real time.
"""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

UNSYNCED_EPOCH_MS = 946684800000  # an unsynced ESP32 clock starts at 2000-01-01


class DeepSleep(Exception):
    """Raised by `SimBoard.deep_sleep`: the fleet stops running the board until `ms` have passed, then boots it
    again with reset cause `deep_sleep` (an ESP32 in deep sleep keeps only its RTC memory and flash)."""

    def __init__(self, ms: int) -> None:
        super().__init__(ms)
        self.ms = ms


class SimTime:
    """The fleet's simulated wall clock (UTC epoch ms), advanced by the runner."""

    def __init__(self, start_ms: int) -> None:
        self.now_ms = start_ms


class SimRtc:
    def __init__(self, sim: SimTime, wifi: SimWifi, ntp_ok: Callable[[], bool] | None = None) -> None:
        self.sim = sim
        self.wifi = wifi
        self.boot_ms = sim.now_ms
        self.powered_ms = sim.now_ms   # when the unset RTC read 2000-01-01 (kept through deep sleep)
        self.synced = False
        self.ntp_ok = ntp_ok or (lambda: True)

    def now_ms(self) -> int:
        if self.synced:
            return self.sim.now_ms
        return UNSYNCED_EPOCH_MS + self.sim.now_ms - self.powered_ms

    def ticks_ms(self) -> int:
        return self.sim.now_ms - self.boot_ms

    def valid(self) -> bool:
        """The wall clock is right without NTP (it kept its time through deep sleep, see SimDevice.boot)."""
        return self.synced

    def ticks_diff(self, a: int, b: int) -> int:
        return a - b

    def sync(self) -> bool:
        if self.wifi.isconnected() and self.ntp_ok():
            self.synced = True
        return self.synced


class SimWifi:
    """An access point that can be switched off (`up = False`) to take the board offline."""

    def __init__(self, rng: random.Random) -> None:
        self.up = True
        self.associated = False
        self.attempts = 0
        self.rng = rng

    def connect(self, ssid: str, password: str) -> None:
        self.attempts += 1
        self.associated = self.up

    def isconnected(self) -> bool:
        if not self.up:
            self.associated = False
        return self.associated

    def rssi(self) -> int:
        return -55 - self.rng.randrange(20)


class SimSocket:
    """A real TCP socket to the broker that breaks when the simulated WiFi goes down."""

    def __init__(self, sock: socket.socket, wifi: SimWifi) -> None:
        self.sock = sock
        self.wifi = wifi

    def _check(self) -> None:
        if not self.wifi.up:
            self.close()
            raise OSError("wifi down")

    def send(self, data: bytes) -> int:
        self._check()
        return self.sock.send(data)

    def recv(self, n: int) -> bytes:
        self._check()
        return self.sock.recv(n)

    def settimeout(self, t: float | None) -> None:
        self.sock.settimeout(t)

    def close(self) -> None:
        self.sock.close()


class SimWatchdog:
    def __init__(self) -> None:
        self.feeds = 0

    def feed(self) -> None:
        self.feeds += 1


class SimPulseInput:
    """The meter's pulse contact and its cable-sense voltage (see firmware/drivers/pulse_line.py)."""

    IDLE_MV = 1650
    CLOSED_MV = 20
    CUT_MV = 3300

    def __init__(self) -> None:
        self.on_edge: Callable[[int, bool], None] | None = None
        self.stuck = False   # contact stuck closed: no edges, level active
        self.cut = False     # cable cut: no edges, sense at supply voltage
        self.edges = 0

    def attach(self, on_edge: Callable[[int, bool], None]) -> None:
        self.on_edge = on_edge

    PULSE_MS = 100   # how long the meter's contact stays closed per pulse

    def pulse(self, ticks_ms: int) -> None:
        if self.stuck or self.cut or self.on_edge is None:
            return
        self.edges += 1
        self.on_edge(ticks_ms, True)
        self.on_edge(ticks_ms + self.PULSE_MS, False)

    def level(self) -> int:
        return 1 if self.stuck else 0

    def sense_mv(self) -> int:
        if self.cut:
            return self.CUT_MV
        return self.CLOSED_MV if self.stuck else self.IDLE_MV


class SimBoard:
    """One simulated ESP32: the object the firmware's supervisor and apps receive as `board`."""

    def __init__(self, sim: SimTime, fs_root: Path, seed: int, reset_cause: str = "power_on") -> None:
        self.sim = sim
        self.fs_root = str(fs_root)
        fs_root.mkdir(parents=True, exist_ok=True)
        self.random = random.Random(seed)
        self.wifi = SimWifi(self.random)
        self.rtc = SimRtc(sim, self.wifi)
        self.watchdog = SimWatchdog()
        self.pulse_input = SimPulseInput()
        self.beams: Any = None   # pedestrian counter: its two break-beams (simulators/pedestrians.py SimBeams)
        self._reset_cause = reset_cause
        self.heap_free = 96000

    def net_ticks_ms(self) -> int:
        return int(time.monotonic() * 1000)

    def net_ticks_diff(self, a: int, b: int) -> int:
        return a - b

    def open_socket(self, host: str, port: int, timeout_ms: int) -> Any:
        if not self.wifi.isconnected():
            raise OSError("wifi down")
        sock = socket.create_connection((host, port), timeout=timeout_ms / 1000)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return SimSocket(sock, self.wifi)

    def rand(self, n: int) -> int:
        return self.random.randrange(n)

    def mem_free(self) -> int:
        return self.heap_free

    def reset_cause(self) -> str:
        return self._reset_cause

    def sleep_ms(self, ms: int) -> None:
        self.sim.now_ms += ms

    def deep_sleep(self, ms: int) -> None:
        raise DeepSleep(ms)
