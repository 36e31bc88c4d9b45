"""Flashing a board over the serial line: how long writing + verifying the bundle takes, and how long from the
reset until the device is online on the broker (CPython; needs mosquitto with dynamic security, node).

    .venv/bin/python bench/flash_serial.py [--runs 5] [--kind water_meter]

Starts a private secured broker, registers one device, builds the bundle, starts the simulated serial board
(simulators/serial_board.py: real MicroPython REPL behind a pty) and flashes it `--runs` times through
hub.provision.flash (the code behind `cityhub flash`): the first time onto a blank board, then each time over
the firmware running from the previous flash (interrupted with Ctrl-C, as on a board). A pty has no baud
rate: the figures show the protocol's round trips and MicroPython's work, not a 115,200-baud UART.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hub.devices.registry import Registry
from hub.provision.boards import load_board
from hub.provision.bundle import build_bundle
from hub.provision.flash import Install, flash
from hub.services.mosquitto import Mosquitto
from hub.settings import parse_mqtt_url

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kind", default="water_meter")
    parser.add_argument("--board", default="esp32-devkitc")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with Mosquitto(tmp / "mosquitto", secured=True) as broker:
            board = load_board(args.board)
            t0 = time.monotonic()
            bundle = build_bundle(args.kind, board, tmp / "bundle")
            build_s = time.monotonic() - t0
            with Registry(tmp / "reg" / "devices.sqlite", admin=parse_mqtt_url(broker.admin_url)) as registry:
                device = registry.add(args.kind, args.board, "bench")
                cfg = registry.device_config(device.id, "CITY-IOT", "x", broker.host, broker.port,
                                             extra={"pins": board.default_pins(args.kind)})
            sim = subprocess.Popen([sys.executable, "-m", "simulators.serial_board", "--flash", str(tmp / "flash"),
                                    "--board", args.board], cwd=REPO, stdout=subprocess.PIPE, text=True)
            assert sim.stdout is not None
            port = sim.stdout.readline().strip()
            writes: list[float] = []
            onlines: list[float] = []
            try:
                for run in range(args.runs):
                    marks: dict[str, float] = {}
                    start = time.monotonic()

                    def progress(line: str, marks: dict[str, float] = marks) -> None:
                        if "verified by SHA-256" in line:
                            marks["written"] = time.monotonic()

                    result = flash(Install(bundle, board, cfg), port, parse_mqtt_url(broker.hub_url), progress)
                    end = time.monotonic()
                    writes.append(marks["written"] - start)
                    onlines.append(end - marks["written"])
                    print(f"run {run + 1}: {'blank board' if run == 0 else 'over running firmware'}: "
                          f"write+verify {writes[-1]:.2f} s, reset->online {onlines[-1]:.2f} s "
                          f"({result.files} files, {result.bytes:,} bytes)")
            finally:
                sim.terminate()
                sim.wait(10)
    print(f"bundle build ({args.kind}, {args.board}): {build_s:.2f} s, {bundle.manifest['total_bytes']:,} bytes")
    print(f"write+verify: median {statistics.median(writes):.2f} s, max {max(writes):.2f} s; "
          f"reset->online: median {statistics.median(onlines):.2f} s, max {max(onlines):.2f} s "
          f"over {args.runs} runs")


if __name__ == "__main__":
    main()
