"""Flashing a board: write a firmware bundle, the board definition and the device's configuration to an ESP32
running MicroPython, through its raw REPL (mpremote's serial transport), check every file by SHA-256, reset
the board, and wait until the device says `online` on the broker.

Every failure is a `FlashError` whose message says what is wrong and what to do; progress goes to a callback
(one line per step). Order on the board: the old manifest is removed first and the new one written last, so
a flash that is interrupted leaves a board without `/manifest.json` (flash it again).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as mqtt
import serial
from mpremote.transport import TransportError, TransportExecError
from mpremote.transport_serial import SerialTransport
from paho.mqtt.enums import CallbackAPIVersion

from hub.provision.boards import Board, check_pins
from hub.provision.bundle import MANIFEST, Bundle, sha256_bytes
from hub.settings import MqttAddress

Progress = Callable[[str], None]
CHUNK = 512   # bytes per write command
REPL_TIMEOUT_S = 10
STATUS_TOPIC = "city/v1/{}/status"


class FlashError(Exception):
    """Flashing failed; the message says why, for a technician."""


class NeverOnline(FlashError):
    """The board was flashed and reset but did not come online in time."""


class CredentialsRefused(FlashError):
    """The board reached the broker, which refused its login."""


@dataclass
class Install:
    """What goes on one board: the bundle, the checked wiring and the device's configuration."""

    bundle: Bundle
    board: Board
    config: dict[str, Any]

    @property
    def device_id(self) -> str:
        return str(self.config["device_id"])

    @property
    def kind(self) -> str:
        return str(self.config["kind"])

    def check(self) -> None:
        """Everything that can be checked without the board: bundle intact, kind, board, pins."""
        if self.bundle.kind != self.kind:
            raise FlashError(f"{self.device_id} is a {self.kind}, but the bundle in {self.bundle.path} is "
                             f"{self.bundle.kind} firmware; build the right one: "
                             f"cityhub firmware build --kind {self.kind} --board {self.board.name}")
        if self.bundle.board != self.board.name:
            raise FlashError(f"{self.device_id} is registered on a {self.board.name}, but the bundle in "
                             f"{self.bundle.path} was built for {self.bundle.board}")
        self.bundle.verify()
        check_pins(self.board, self.kind, dict(self.config.get("pins") or {}))

    def files(self) -> list[tuple[str, bytes]]:
        """(board path, content) in writing order: firmware, board.json, config.json, manifest last."""
        out = [(path, self.bundle.local(path).read_bytes()) for path in sorted(self.bundle.files)]
        out.append(("/config.json", (json.dumps(self.config, indent=1, sort_keys=True) + "\n").encode()))
        out.append(("/" + MANIFEST, self.bundle.local("/" + MANIFEST).read_bytes()))
        return out


@dataclass
class Console:
    """Reads the board's serial console after the reset and keeps the last lines."""

    port: serial.Serial
    progress: Progress
    lines: deque[str] = field(default_factory=lambda: deque(maxlen=40))
    refused: str | None = None
    config_error: str | None = None
    at_prompt: bool = False   # the board came back to the MicroPython prompt instead of running main.py
    online: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        buf = b""
        while not self._stop.is_set():
            try:
                data = self.port.read(self.port.in_waiting or 1)   # returns at the first byte, or on timeout
            except (OSError, serial.SerialException):
                return   # a native-USB board drops off the bus while it resets: the broker still tells
            if not data:
                continue
            buf += data
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").strip("\r\x04> ")
                if line:
                    self._line(line)

    def _line(self, line: str) -> None:
        self.lines.append(line)
        self.progress(f"  board: {line}")
        if line == "online":
            self.online.set()
        elif "connack rc=4" in line or "connack rc=5" in line:
            self.refused = line
        elif line.startswith("MicroPython v"):
            self.at_prompt = True
        elif "ConfigError: " in line:
            self.config_error = line.split("ConfigError: ", 1)[1]

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)


class BoardSession:
    """An open raw-REPL session with the board on `port`."""

    def __init__(self, port: str, progress: Progress) -> None:
        self.port = port
        self.progress = progress
        if not os.path.exists(port):
            raise FlashError(f"no serial port {port}: is the board plugged in, and is it this port? "
                             f"(USB serial ports are usually /dev/ttyUSB<n> or /dev/ttyACM<n>)")
        try:
            self.transport = SerialTransport(port, baudrate=115200, timeout=2)
        except (TransportError, OSError, serial.SerialException) as exc:
            raise FlashError(f"cannot open serial port {port}: {exc} (is another program, e.g. a terminal "
                             f"or Thonny, using it? are you in the 'dialout' group?)") from None
        try:
            self.transport.enter_raw_repl(soft_reset=True, timeout_overall=REPL_TIMEOUT_S)
        except (TransportError, OSError, serial.SerialException):
            self.close()
            raise FlashError(f"no MicroPython board answered on {port} within {REPL_TIMEOUT_S} s: is "
                             f"MicroPython installed on it, and is this the board's port?") from None

    def close(self) -> None:
        try:
            self.transport.close()
        except (OSError, serial.SerialException):
            pass

    def eval(self, expression: str) -> Any:
        try:
            return self.transport.eval(expression)
        except TransportExecError as exc:
            raise FlashError(f"the board on {self.port} failed running `{expression}`: "
                             f"{exc.error_output.strip().splitlines()[-1]}") from None
        except (TransportError, OSError, serial.SerialException) as exc:
            raise FlashError(f"lost the board on {self.port}: {exc}") from None

    def exec(self, code: str) -> bytes:
        try:
            out: bytes = self.transport.exec(code)
            return out
        except TransportExecError as exc:
            raise FlashError(f"the board on {self.port} reported an error: "
                             f"{exc.error_output.strip().splitlines()[-1]}") from None
        except (TransportError, OSError, serial.SerialException) as exc:
            raise FlashError(f"lost the board on {self.port}: {exc}") from None

    def read_file(self, path: str) -> bytes | None:
        try:
            data: bytes = self.transport.fs_readfile(path)
            return data
        except OSError:
            return None
        except (TransportError, serial.SerialException) as exc:
            raise FlashError(f"lost the board on {self.port}: {exc}") from None

    def write_file(self, path: str, data: bytes) -> None:
        try:
            self.transport.fs_writefile(path, data, chunk_size=CHUNK)
        except (TransportError, OSError, serial.SerialException) as exc:
            raise FlashError(f"writing {path} to the board on {self.port} failed: {exc}") from None

    def sha256(self, path: str) -> str:
        code = (f"import hashlib, binascii\nh = hashlib.sha256()\nf = open({path!r}, 'rb')\n"
                "while True:\n    b = f.read(512)\n    if not b:\n        break\n    h.update(b)\n"
                "f.close()\nprint(binascii.hexlify(h.digest()).decode())")
        return self.exec(code).decode().strip()

    def files_under(self, root: str) -> list[str]:
        code = ("import os\ndef _walk(d):\n    try:\n        entries = list(os.ilistdir(d))\n"
                "    except OSError:\n        return\n    for e in entries:\n        p = d + '/' + e[0]\n"
                "        if e[1] & 0x4000:\n            _walk(p)\n        else:\n            print(p)\n"
                f"_walk({root!r})")
        return [line for line in self.exec(code).decode().split() if line]

    def makedirs(self, path: str) -> None:
        self.exec("import os\np = ''\n"
                  f"for part in {path!r}.strip('/').split('/'):\n    p += '/' + part\n"
                  "    try:\n        os.mkdir(p)\n    except OSError:\n        pass")

    def reset(self) -> serial.Serial:
        """machine.reset(), without waiting for an answer; returns the open serial port for the console."""
        try:
            self.transport.exec_raw_no_follow("import machine\nmachine.reset()")
        except (TransportError, OSError, serial.SerialException) as exc:
            raise FlashError(f"could not reset the board on {self.port}: {exc}") from None
        port: serial.Serial = self.transport.serial
        return port


def _wipe_data(session: BoardSession) -> None:
    session.exec("import os\ndef _rm(d):\n    try:\n        entries = list(os.ilistdir(d))\n"
                 "    except OSError:\n        return\n    for e in entries:\n        p = d + '/' + e[0]\n"
                 "        if e[1] & 0x4000:\n            _rm(p)\n        else:\n            os.remove(p)\n"
                 "    os.rmdir(d)\n_rm('/data')")


def write_board(install: Install, port: str, progress: Progress, force: bool = False) -> BoardSession:
    """Write and check every file; returns the open session (the board is not reset yet)."""
    install.check()
    progress(f"Opening {port} ...")
    session = BoardSession(port, progress)
    try:
        _write(session, install, progress, force)
    except BaseException:
        session.close()
        raise
    return session


def _write(session: BoardSession, install: Install, progress: Progress, force: bool) -> None:
    machine, mpy = session.eval("(__import__('os').uname().machine, "
                                "getattr(__import__('sys').implementation, '_mpy', 0))")
    progress(f"Board answers: {machine}, MicroPython .mpy version {int(mpy) & 0xFF}")
    board = install.board
    if not board.matches_machine(str(machine)):
        raise FlashError(f"the board on {session.port} is a '{machine}', but {install.device_id} is registered "
                         f"as {board.name} ({board.chip}); connect the right board, or register the device "
                         f"on this kind of board")
    want = int(install.bundle.manifest["mpy_version"])
    if int(mpy) & 0xFF != want:
        raise FlashError(f"the MicroPython on the board loads .mpy version {int(mpy) & 0xFF}, the bundle needs "
                         f"{want}: install MicroPython 1.22 or newer on the board (esptool), then flash again")
    old_raw = session.read_file("/config.json")
    old: dict[str, Any] = {}
    if old_raw:
        try:
            loaded = json.loads(old_raw)
        except ValueError:
            loaded = None
        old = loaded if isinstance(loaded, dict) else {}
    if old.get("kind") and old.get("kind") != install.kind:
        if not force:
            raise FlashError(f"the board on {session.port} is installed as a {old.get('kind')} "
                             f"({old.get('device_id')}), not a {install.kind}: it is wired for another kind. "
                             f"Use --force only if it has been rewired for a {install.kind}")
        progress(f"The board was a {old.get('kind')} ({old.get('device_id')}); --force: replacing it")
    if old.get("device_id") and old.get("device_id") != install.device_id:
        progress(f"The board was {old.get('device_id')}: removing its data (/data: outbox, saved state)")
        _wipe_data(session)
    session.exec(f"import os\ntry:\n    os.remove({'/' + MANIFEST!r})\nexcept OSError:\n    pass")
    files = install.files()
    total = sum(len(data) for _, data in files)
    progress(f"Writing {len(files)} files ({total:,} bytes): firmware {install.bundle.fw_version} "
             f"({install.kind}), board {board.name}, config of {install.device_id}")
    made: set[str] = set()
    done = 0
    for n, (path, data) in enumerate(files, 1):
        parent = path.rsplit("/", 1)[0]
        if parent and parent not in made:
            session.makedirs(parent)
            made.add(parent)
        for attempt in (1, 2):
            session.write_file(path, data)
            if session.sha256(path) == sha256_bytes(data):
                break
            if attempt == 2:
                raise FlashError(f"{path} on the board does not match what was written (twice): the board's "
                                 f"flash may be failing, or the serial line is noisy; try another cable")
            progress(f"  {path}: hash mismatch, writing it again")
        done += len(data)
        progress(f"  [{n:>2}/{len(files)}] {path} ({len(data):,} bytes) ok  {100 * done // total}%")
    keep = {p for p, _ in files}
    stale = [p for p in session.files_under("/lib/cityfw") if p not in keep]
    for path in stale:
        session.exec(f"import os\nos.remove({path!r})")
    if stale:
        progress(f"Removed {len(stale)} old firmware files: {', '.join(stale)}")
    progress(f"All {len(files)} files verified by SHA-256")


def wait_online(mqtt_address: MqttAddress, device_id: str, start: Callable[[], Console | None],
                timeout_s: float, progress: Progress) -> str:
    """Subscribe to the device's status, call `start` (the reset), then wait for a new `online`.

    Returns what confirmed it: "broker" (the device's own status message, published after the reset), or
    "console" (the board's console line `online`) when the broker cannot be reached from this machine."""
    online = threading.Event()
    subscribed = threading.Event()
    errors: list[str] = []

    def on_connect(client: mqtt.Client, u: object, flags: object, reason: Any, props: object) -> None:
        if reason.is_failure:
            errors.append(f"the broker refused the hub's own login ({reason}): check CITYHUB_MQTT_URL")
            subscribed.set()
            return
        client.subscribe(STATUS_TOPIC.format(device_id), qos=1)

    def on_subscribe(client: mqtt.Client, u: object, mid: int, codes: object, props: object) -> None:
        subscribed.set()

    def on_message(client: mqtt.Client, u: object, msg: mqtt.MQTTMessage) -> None:
        if msg.retain:
            return   # kept by the broker from before this flash
        try:
            data = json.loads(msg.payload)["data"]
        except (ValueError, KeyError, TypeError):
            return
        if data.get("state") == "online":
            online.set()

    watcher = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"cityhub-flash-{os.getpid()}-{device_id}")
    if mqtt_address.user:
        watcher.username_pw_set(mqtt_address.user, mqtt_address.password)
    watcher.on_connect, watcher.on_subscribe, watcher.on_message = on_connect, on_subscribe, on_message
    client: mqtt.Client | None = watcher
    try:
        watcher.connect(mqtt_address.host, mqtt_address.port, keepalive=30)
    except OSError as exc:
        progress(f"warning: cannot reach the broker at {mqtt_address.host}:{mqtt_address.port} from here ({exc}); "
                 f"relying on the board's console line 'online' instead")
        client = None
    console: Console | None = None
    try:
        if client is not None:
            client.loop_start()
            if not subscribed.wait(10) or errors:
                raise FlashError(errors[0] if errors else "the broker did not confirm the status subscription")
        console = start()
        where = f"on {mqtt_address.host}:{mqtt_address.port}" if client is not None else "on the board's console"
        progress(f"Board reset; waiting up to {timeout_s:g} s for {device_id} to come online {where} ...")
        done = online if client is not None else (console.online if console is not None else online)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and not done.is_set():
            if console is not None and console.refused:
                raise CredentialsRefused(
                    f"the broker refused {device_id}'s login ({console.refused.split(': ')[-1]}): its "
                    f"credentials are wrong or revoked. Check `cityhub device show {device_id}`; after "
                    f"`cityhub device rotate-credentials {device_id}`, flash the board again")
            if console is not None and console.config_error:
                raise FlashError(f"the board refused its configuration: {console.config_error}")
            if console is not None and console.at_prompt:
                raise NeverOnline(f"{device_id} did not start its firmware after the reset: the board is at the "
                                  f"MicroPython prompt. Its console said: {' | '.join(list(console.lines)[-4:])}")
            done.wait(0.2)
        if not done.is_set():
            said = [ln for ln in (console.lines if console else []) if ln]
            hint = f"; the board's last console lines: {' | '.join(list(said)[-4:])}" if said else \
                "; nothing was read from the board's console"
            raise NeverOnline(f"{device_id} did not come online within {timeout_s:g} s{hint}. Check the WiFi "
                              f"name and password, that the broker host is reachable from where the board is, "
                              f"and its power")
        if console is not None:
            console.online.wait(2)   # let the technician see the board's own "online" line too
        return "broker" if client is not None else "console"
    finally:
        if console is not None:
            console.stop()
        if client is not None:
            client.loop_stop()
            client.disconnect()


@dataclass
class FlashResult:
    device_id: str
    files: int
    bytes: int
    seconds: float
    confirmed_by: str   # "broker" or "console"


def flash(install: Install, port: str, mqtt_address: MqttAddress, progress: Progress, force: bool = False,
          online_timeout_s: float = 120.0) -> FlashResult:
    """The whole job: write and verify, reset, and wait until the device is online on the broker."""
    t0 = time.monotonic()
    session = write_board(install, port, progress, force)
    files = install.files()

    def reset() -> Console:
        console = Console(session.reset(), progress)
        console.start()
        return console

    try:
        by = wait_online(mqtt_address, install.device_id, reset, online_timeout_s, progress)
    finally:
        session.close()
    return FlashResult(install.device_id, len(files), sum(len(d) for _, d in files), time.monotonic() - t0, by)
