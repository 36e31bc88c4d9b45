"""Smart bin: a simulated week of deep-sleeping bins against a real broker: wakes, awake time, messages, events.

    .venv/bin/python bench/smart_bin_week.py [--bins 10] [--days 7] [--seed 1]

Starts a private mosquitto (temporary directory, free loopback port) and one fleet of simulated smart bins
running the real firmware at full speed (speed 0), from Monday 00:00 UTC. A listener on the broker counts
every message by channel and its payload bytes. Per bin and day it prints: readings (wakes), reports (wakes
with the radio on), the simulated awake time (the bins' own `awake_ms` telemetry, and the passes of the main
loop: the fleet runs a bin once per simulated second), messages and bytes; then FULL/EMPTIED events,
compactions and collections over the run, and the host CPU time per wake (CPython, not an ESP32). Nothing is
asserted: figures go to docs/smart-bin.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import paho.mqtt.client as mqtt

from hub.services.mosquitto import Mosquitto
from simulators.bin import SmartBinModel
from simulators.fleet import BrokerAddress, Fleet

START_MS = 1_794_787_200_000   # Monday 2026-11-16 00:00 UTC
DAY_MS = 86_400_000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bins", type=int, default=10)
    ap.add_argument("--days", type=float, default=7)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-bin-") as tmp, \
            Mosquitto(Path(tmp) / "mosquitto", secured=False) as broker:
        got: list[tuple[str, bytes]] = []
        lock = threading.Lock()

        def on_message(_c: Any, _u: Any, m: mqtt.MQTTMessage) -> None:
            with lock:
                got.append((m.topic, m.payload))

        spy = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-spy")
        spy.on_message = on_message
        spy.connect(broker.host, broker.port)
        spy.subscribe("city/v1/#", 1)
        spy.loop_start()
        fleet = Fleet("smart_bin", args.bins, BrokerAddress(broker.host, broker.port), Path(tmp) / "fleet",
                      START_MS, speed=0, seed=args.seed)
        fleet.boot_all()
        end = START_MS + int(args.days * DAY_MS)
        passes = 0
        cpu_awake = 0.0
        real0 = time.monotonic()
        while fleet.sim.now_ms < end:
            fleet.sim.now_ms += fleet.tick_ms
            for dev in fleet.devices.values():
                if not dev.due(fleet.sim.now_ms):
                    continue
                awake = dev.asleep_until_ms is None
                t0 = time.process_time()
                dev.step(fleet.sim)
                if awake:
                    passes += 1
                    cpu_awake += time.process_time() - t0
        fleet.drain()
        real_s = time.monotonic() - real0
        time.sleep(1.0)
        spy.loop_stop()
        fleet.shutdown()

    days = args.days
    n = args.bins
    by_channel: collections.Counter[str] = collections.Counter()
    bytes_total = 0
    awake_ms = 0
    wakes = 0
    events: collections.Counter[str] = collections.Counter()
    for topic, payload in got:
        channel = topic.rsplit("/", 1)[1]
        by_channel[channel] += 1
        bytes_total += len(payload)
        msg = json.loads(payload)
        if channel == "tele":
            awake_ms += msg["data"]["awake_ms"]
            wakes += msg["data"]["wakes"]
        if channel == "evt":
            events[f"{msg['data']['alarm']} {msg['data']['state']}"] += 1
    total_wakes = sum(d.sleeps for d in fleet.devices.values())
    reports = by_channel["status"] / 2
    models = [d.model for d in fleet.devices.values() if isinstance(d.model, SmartBinModel)]
    print(f"{n} bins, {days:g} simulated days from Monday 00:00 UTC, {real_s:.1f} s real time")
    print(f"per bin and day: {total_wakes / n / days:.0f} wakes (readings), {reports / n / days:.1f} reports "
          f"(radio on), {passes / n / days:.0f} main-loop passes")
    print(f"awake time per bin and day (the bins' awake_ms): {awake_ms / 1000 / n / days:.0f} s over "
          f"{wakes / n / days:.0f} reported wakes = {awake_ms / max(wakes, 1):.0f} ms per wake on average")
    print(f"passes per wake: {passes / max(total_wakes, 1):.2f}; host CPU per pass {cpu_awake / passes * 1000:.2f} ms "
          f"(CPython, firmware + simulated sensors)")
    print("messages per bin and day: " + ", ".join(f"{c} {by_channel[c] / n / days:.1f}" for c in sorted(by_channel))
          + f"; total {sum(by_channel.values()) / n / days:.1f}, {bytes_total / n / days / 1000:.1f} kB of payload")
    print("events over the run: " + (", ".join(f"{k} {v}" for k, v in sorted(events.items())) or "none"))
    print(f"compactions per bin and day: {sum(m.physics.compactions for m in models) / n / days:.1f}; "
          f"collections over the run: {sum(len(m.physics.collections) for m in models)}")
    print(f"fleet: {fleet.stats()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
