"""The simulated serial board behaves like a MicroPython board for the real mpremote: raw REPL, file
copies, hashes, listings, soft and hard resets; its flash survives resets and restarts; and after a reset it
boots only firmware whose flashed files match the manifest and the sources it runs."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.provision.boards import load_board
from hub.provision.bundle import build_bundle
from simulators.serial_board import FlashMismatch, check_flashed_firmware

REPO = Path(__file__).resolve().parents[2]
MPREMOTE = str(Path(sys.executable).with_name("mpremote"))


def start_board(flash: Path, board: str = "esp32-devkitc") -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "simulators.serial_board", "--flash", str(flash),
                             "--board", board], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def stop_board(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def board(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    flash = tmp_path / "flash"
    proc, port = start_board(flash)
    try:
        yield port, flash
    finally:
        stop_board(proc)


def mpremote(port: str, *args: str) -> str:
    proc = subprocess.run([MPREMOTE, "connect", port, *args], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_mpremote_copies_hashes_lists_and_removes_files_on_the_simulated_board(
        board: tuple[str, Path], tmp_path: Path) -> None:
    port, flash = board
    data = os.urandom(3000) + b"\x00\x04\x03\x01"   # binary, with the REPL's control characters in it
    (tmp_path / "blob.bin").write_bytes(data)
    out = mpremote(port, "fs", "mkdir", ":lib", "+", "fs", "cp", str(tmp_path / "blob.bin"), ":lib/blob.bin",
                   "+", "fs", "sha256sum", ":lib/blob.bin", "+", "fs", "ls", ":lib")
    assert hashlib.sha256(data).hexdigest() in out
    assert "3004 blob.bin" in out
    assert (flash / "lib" / "blob.bin").read_bytes() == data, "the board's flash is the --flash directory"
    out = mpremote(port, "exec", "import os; print(os.listdir('/'), os.uname().machine)")
    assert "['lib'] Generic ESP32 module with ESP32" in out
    mpremote(port, "fs", "rm", ":lib/blob.bin")
    assert not (flash / "lib" / "blob.bin").exists()
    missing = subprocess.run([MPREMOTE, "connect", port, "fs", "cat", ":nope.txt"], capture_output=True,
                             text=True, timeout=60, check=False)
    assert missing.returncode != 0 and "No such file" in missing.stdout + missing.stderr


def test_flash_survives_a_hard_reset_and_a_restart_of_the_simulator(tmp_path: Path) -> None:
    flash = tmp_path / "flash"
    proc, port = start_board(flash, "esp32-c3-devkitm-1")
    try:
        mpremote(port, "exec", "f = open('/kept.txt', 'w'); f.write('kept'); f.close()", "+", "reset")
        time.sleep(0.5)
        assert "kept ESP32C3 module with ESP32C3" in mpremote(
            port, "exec", "import os; print(open('/kept.txt').read(), os.uname().machine)")
    finally:
        stop_board(proc)
    proc, port = start_board(flash, "esp32-c3-devkitm-1")
    try:
        assert "kept" in mpremote(port, "exec", "print(open('/kept.txt').read())")
    finally:
        stop_board(proc)


def test_the_board_boots_only_firmware_that_matches_its_manifest(tmp_path: Path) -> None:
    bundle = build_bundle("water_meter", load_board("esp32-devkitc"), tmp_path / "flash")
    bundle.local("/config.json").write_text("{}")
    assert check_flashed_firmware(bundle.path)["kind"] == "water_meter"
    bundle.local("/lib/cityfw/core/outbox.mpy").write_bytes(b"M\x06tampered")
    with pytest.raises(FlashMismatch, match="outbox.mpy on flash does not match the manifest"):
        check_flashed_firmware(bundle.path)
    (bundle.path / "manifest.json").unlink()
    with pytest.raises(FlashMismatch, match="no /manifest.json"):
        check_flashed_firmware(bundle.path)
