"""A simulated board on a serial line: a pty that answers like an ESP32 running MicroPython.

    python -m simulators.serial_board --flash DIR [--board esp32-devkitc] [--speed 1]

prints the serial port (e.g. `/dev/pts/7`) on its first line of output and runs until stopped. Tools that talk
to a real board over USB serial (mpremote, `cityhub flash`, a terminal) talk to this one the same way.

What is real and what is simulated:

* **The REPL is real MicroPython** (the official WebAssembly port, `serial_board_repl.mjs`): friendly REPL,
  raw REPL, Ctrl-A/B/C/D, and every command mpremote sends (file writes, hashes, listings) run in MicroPython
  1.27 against the board's flash, which is the directory `--flash` (it survives resets and restarts).
  Raw-paste mode, `machine.reset()` and the chip name in `os.uname()` are supplied by the script around it.
* **After a reset the flashed firmware runs on CPython**, as in the fleet simulator: the firmware modules of
  this repository (the same code the bundle was compiled from: the board checks the flashed manifest against
  them first, and refuses to boot a bundle built from other sources) on a `SimBoard` with the kind's physics,
  in real time (`--speed` > 1 accelerates the board's clock). It reads the flashed `/config.json`, so it
  connects to the broker with the flashed credentials, and prints the firmware's console lines to the serial
  line. Ctrl-C stops it and drops to the REPL, as on a board.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
import tty
from pathlib import Path
from typing import Any

from cityfw.core import boot, config
from cityfw.core.console import Report

from simulators.board import DeepSleep, SimBoard, SimTime
from simulators.kinds import model_for

REPO = Path(__file__).resolve().parents[1]
FIRMWARE_DIR = REPO / "firmware"
REPL_SCRIPT = Path(__file__).resolve().with_name("serial_board_repl.mjs")
BOARDS_DIR = REPO / "boards"
EXIT_SOFT_RAW, EXIT_HARD, EXIT_SOFT_FRIENDLY = 10, 11, 12
LOOP_MS = 200          # the firmware's pass period (boot.run's loop_ms)
CRASH_PAUSE_S = 10.0   # main.py waits this long after a crash before it resets the board


class FlashMismatch(Exception):
    """The flashed bundle is not the firmware this simulator runs."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_flashed_firmware(flash: Path, fw_dir: Path = FIRMWARE_DIR) -> dict[str, Any]:
    """The flashed manifest, after checking every file it lists is on flash as listed and was built from the
    firmware sources in `fw_dir`; FlashMismatch saying what differs."""
    manifest_path = flash / "manifest.json"
    if not manifest_path.is_file():
        raise FlashMismatch("no /manifest.json on flash: not flashed with `cityhub flash`")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    for board_path, info in manifest.get("files", {}).items():
        local = flash / board_path.lstrip("/")
        if not local.is_file():
            raise FlashMismatch(f"{board_path} is missing on flash")
        if _sha256(local) != info["sha256"]:
            raise FlashMismatch(f"{board_path} on flash does not match the manifest")
        src = info.get("source")
        if src and (not (fw_dir / src).is_file() or _sha256(fw_dir / src) != info.get("source_sha256")):
            raise FlashMismatch(f"{board_path} was built from a {src} that differs from {fw_dir / src}; "
                                f"this simulator can only run the firmware it has")
    return manifest


class SerialBoard:
    """The pty, the REPL process, and the firmware thread; see the module docstring."""

    def __init__(self, flash: Path, machine: str, speed: float = 1.0, seed: int = 1) -> None:
        self.flash = flash
        self.flash.mkdir(parents=True, exist_ok=True)
        self.machine = machine
        self.speed = speed
        self.seed = seed
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)   # no echo, no line editing: bytes pass as on a UART
        self.port = os.ttyname(self.slave)
        self._lock = threading.Lock()
        self._repl: subprocess.Popen[bytes] | None = None
        self._pending = b""             # bytes for the REPL that arrived while it was (re)starting
        self._fw_thread: threading.Thread | None = None
        self._fw_stop = threading.Event()
        self._closed = threading.Event()
        self.boots = 0

    # -- the serial line ---------------------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        try:
            os.write(self.master, data)
        except OSError:
            pass

    def say(self, line: str) -> None:
        self.write(line.replace("\n", "\r\n").encode() + b"\r\n")

    def _read_loop(self) -> None:
        while not self._closed.is_set():
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if data:
                self._from_host(data)

    def _from_host(self, data: bytes) -> None:
        with self._lock:
            running = self._fw_thread is not None
            repl = self._repl
            if running:
                at = data.find(b"\x03")
                if at < 0:
                    return                       # main.py does not read the console
                self._pending += data[at + 1:]
            elif repl is None or repl.poll() is not None or repl.stdin is None:
                self._pending += data
                return
        if running:
            self._stop_firmware()
            self.say("Traceback (most recent call last):\n  File \"main.py\", line 1, in <module>\nKeyboardInterrupt: ")
            self._start_repl("friendly")
            return
        assert repl is not None and repl.stdin is not None
        try:
            repl.stdin.write(data)
            repl.stdin.flush()
        except OSError:
            with self._lock:
                self._pending += data

    # -- the REPL (real MicroPython) -----------------------------------------------------------------------
    def _start_repl(self, mode: str) -> None:
        node = shutil.which("node")
        if node is None:
            raise SystemExit("node is not on PATH: it runs the board's MicroPython (make setup)")
        proc = subprocess.Popen([node, str(REPL_SCRIPT), str(self.flash), mode, self.machine],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO)
        with self._lock:
            self._repl = proc
            pending, self._pending = self._pending, b""
        if pending and proc.stdin is not None:
            proc.stdin.write(pending)
            proc.stdin.flush()
        threading.Thread(target=self._pump_repl, args=(proc,), daemon=True).start()

    def _pump_repl(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        while True:
            data = os.read(proc.stdout.fileno(), 4096)
            if not data:
                break
            self.write(data)
        code = proc.wait()
        if self._closed.is_set():
            return
        with self._lock:
            if self._repl is not proc:
                return
            self._repl = None
        if code == EXIT_SOFT_RAW:
            self._start_repl("raw")            # soft reset in the raw REPL: main.py is not run
        elif code in (EXIT_HARD, EXIT_SOFT_FRIENDLY):
            self.boot("hard" if code == EXIT_HARD else "soft")
        else:
            self.say(f"(simulated board: MicroPython exited with code {code}; restarting it)")
            self._start_repl("friendly")

    # -- reset: run the flashed firmware -------------------------------------------------------------------
    def boot(self, cause: str = "power_on") -> None:
        self.boots += 1
        if cause == "hard":   # the first lines of the chip's ROM bootloader, as a real board prints them
            if self.machine.endswith("ESP32C3"):
                self.say("ESP-ROM:esp32c3-api1-20210207\nBuild:Feb  7 2021\nrst:0x3 (RTC_SW_SYS_RST),boot:0xc "
                         "(SPI_FAST_FLASH_BOOT)")
            else:
                self.say("\nets Jun  8 2016 00:22:57\n\nrst:0xc (SW_CPU_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)")
        if not (self.flash / "main.py").is_file():
            self._start_repl("friendly")     # nothing to run: MicroPython starts its REPL
            return
        try:
            check_flashed_firmware(self.flash)
        except FlashMismatch as exc:
            self.say(f"simulated board: cannot run the flashed firmware: {exc}")
            self._start_repl("friendly")
            return
        self._fw_stop.clear()
        thread = threading.Thread(target=self._run_firmware, args=(cause,), daemon=True)
        with self._lock:
            self._fw_thread = thread
        thread.start()

    def _stop_firmware(self) -> None:
        self._fw_stop.set()
        thread = self._fw_thread
        if thread is not None:
            thread.join(timeout=30)
        with self._lock:
            self._fw_thread = None

    def _run_firmware(self, cause: str) -> None:
        """main.py + boot.run: load config, build the app, run passes; crash -> message, wait, reset."""
        reset_cause = "power_on" if cause == "power_on" else ("soft" if cause == "soft" else "hard")
        sim = SimTime(int(time.time() * 1000))
        real0, sim0 = time.monotonic(), sim.now_ms
        boots = 0

        def catch_up() -> None:
            sim.now_ms = max(sim.now_ms, sim0 + int((time.monotonic() - real0) * self.speed * 1000))

        while not self._fw_stop.is_set():
            sup = None
            try:
                raw_cfg = config.read(str(self.flash / "config.json"))
                kind = str(raw_cfg.get("kind"))
                board = SimBoard(sim, self.flash / "data", self.seed + boots, reset_cause)
                boots += 1
                model = model_for(kind)(random.Random(self.seed)) if _has_model(kind) else None
                if model is not None:
                    model.setup(str(raw_cfg.get("device_id")), 1, 1)
                    model.attach(board)
                sup = boot.build(board, raw_cfg)
                report = Report(sup, self.say)
                last_physics = sim.now_ms
                while not self._fw_stop.is_set():
                    catch_up()
                    if model is not None and sim.now_ms - last_physics >= model.tick_ms:
                        model.advance(last_physics, sim.now_ms)
                        last_physics = sim.now_ms
                    sup.run_once()
                    report.step()
                    self._fw_stop.wait(LOOP_MS / 1000)   # real time; --speed only moves the clock faster
                sup.link.drop("interrupted")   # the session dies without DISCONNECT: the broker sends the will
                return
            except DeepSleep as sleep:
                if sup is not None:
                    sup.link.drop("deep sleep")
                self._fw_stop.wait(sleep.ms / 1000 / self.speed)
                catch_up()
                reset_cause = "deep_sleep"
            except Exception:  # noqa: BLE001  main.py: print the exception, wait 10 s, reset
                if sup is not None:
                    sup.link.drop("crash")
                self.say(traceback.format_exc().rstrip())
                self._fw_stop.wait(CRASH_PAUSE_S)
                catch_up()
                reset_cause = "hard"

    # -- life cycle ------------------------------------------------------------------------------------------
    def start(self) -> None:
        threading.Thread(target=self._read_loop, daemon=True).start()
        self.boot("power_on")

    def close(self) -> None:
        self._stop_firmware()
        self._closed.set()
        with self._lock:
            repl, self._repl = self._repl, None
        if repl is not None:
            repl.terminate()
            try:
                repl.wait(timeout=5)
            except subprocess.TimeoutExpired:
                repl.kill()
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


def _has_model(kind: str) -> bool:
    try:
        model_for(kind)
    except ValueError:
        return False
    return True


def machine_name(board_name: str, boards_dir: Path = BOARDS_DIR) -> str:
    """What MicroPython on that board reports as os.uname().machine."""
    data = json.loads((boards_dir / f"{board_name}.json").read_text(encoding="utf-8"))
    chip = str(data["chip"])
    return f"Generic {chip} module with {chip}" if chip == "ESP32" else f"{chip} module with {chip}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m simulators.serial_board", description=__doc__.split("\n")[0])
    parser.add_argument("--flash", type=Path, required=True, help="directory holding the board's flash")
    parser.add_argument("--board", default="esp32-devkitc", help="board definition it pretends to be")
    parser.add_argument("--machine", default=None, help="os.uname().machine (default: from the board)")
    parser.add_argument("--speed", type=float, default=1.0, help="board clock speed-up after boot (default 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--link", type=Path, default=None, help="also make this symlink to the port")
    args = parser.parse_args(argv)
    if args.speed <= 0:
        parser.error("--speed must be above 0 (1 = real time)")
    board = SerialBoard(args.flash, args.machine or machine_name(args.board), args.speed, args.seed)
    if args.link is not None:
        if args.link.is_symlink():
            args.link.unlink()
        args.link.symlink_to(board.port)
    print(board.port, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    board.start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        board.close()
        if args.link is not None and args.link.is_symlink():
            args.link.unlink()
    sys.exit(0)


if __name__ == "__main__":
    main()
