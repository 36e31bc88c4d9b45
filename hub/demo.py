"""The whole system on this machine: a local broker and InfluxDB, the hub, and a simulated fleet with one leak.

Used by `cityhub demo`. Services run as child processes on free loopback ports with their data under one
directory; everything stops cleanly when the run ends or on Ctrl-C.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.settings import load_settings
from simulators.fleet import BrokerAddress, Fleet

Printer = Callable[[str], None]


@dataclass
class DemoOptions:
    data_dir: Path
    count: int = 10
    speed: float = 3600.0
    leak_device: str = "wm-0003"
    leak: str = "toilet_leak"
    duration_ms: int | None = None
    database: str = "city"


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%a %Y-%m-%d %H:%M UTC")


def run_demo(opts: DemoOptions, out: Printer, stop: threading.Event) -> dict[str, int]:
    """Run until `stop` is set or the duration has passed; returns the final hub counters."""
    out(f"Data directory: {opts.data_dir}")
    broker = Mosquitto(opts.data_dir / "mosquitto")
    influx = InfluxDB1(opts.data_dir / "influxdb")
    out("Starting mosquitto (MQTT broker) ...")
    broker.start()
    try:
        out(f"  broker on {broker.url}")
        out("Starting InfluxDB 1.x ...")
        influx.start()
        out(f"  InfluxDB on {influx.url}, database '{opts.database}'")
        settings = load_settings(env={}, mqtt_url=broker.url, influx_url=influx.url, influx_db=opts.database,
                                 data_dir=opts.data_dir / "hub")
        with Hub(settings) as hub:
            out("Hub running: MQTT -> validate -> durable buffer -> InfluxDB")
            start_ms = int(time.time() * 1000) // 60_000 * 60_000
            fleet = Fleet("water_meter", opts.count, BrokerAddress(broker.host, broker.port),
                          opts.data_dir / "fleet", start_ms, speed=opts.speed)
            fleet.inject(opts.leak_device, opts.leak)
            out(f"Simulating {opts.count} water-leak meters at {opts.speed:g}x real time; "
                f"{opts.leak_device} has a {opts.leak.replace('_', ' ')} (expect a LEAK alarm after ~24 simulated hours)")
            duration = opts.duration_ms if opts.duration_ms is not None else 10 * 365 * 86_400_000
            runner = threading.Thread(target=fleet.run, args=(duration, stop), name="fleet", daemon=True)
            runner.start()
            try:
                _watch(hub, fleet, runner, out)
            except KeyboardInterrupt:
                out("Ctrl-C: stopping the fleet, then the hub, then the services ...")
            stop.set()
            runner.join(timeout=60)
            fleet.shutdown()
            _settle(hub)
            stats = hub.stats()
            out(f"Done: {stats.received} messages received, {stats.written} stored in InfluxDB, "
                f"{stats.quarantined} quarantined, {stats.buffered} still buffered.")
            for row in hub.store.alarms(limit=20):
                state = "open" if row.open else "cleared"
                loss = f", {row.loss_text}" if row.loss_text else ""
                out(f"  alarm {row.alarm} on {row.device_id}: {state}{loss}, since {_when(row.since_ms)}")
            out(f"The data stays in {opts.data_dir}; see the alarms again with: "
                f"cityhub alarms list --data-dir {opts.data_dir / 'hub'}")
            return hub.store.counters()
    finally:
        influx.stop()
        broker.stop()


def _watch(hub: Hub, fleet: Fleet, runner: threading.Thread, out: Printer) -> None:
    seen: set[tuple[str, str, int, bool]] = set()
    last_received, last_t = 0, time.monotonic()
    while runner.is_alive():
        runner.join(timeout=1.0)
        stats = hub.stats()
        now = time.monotonic()
        rate = (stats.received - last_received) / max(now - last_t, 1e-6)
        last_received, last_t = stats.received, now
        out(f"[{_when(fleet.sim.now_ms)}] {stats.devices_online}/{len(fleet.devices)} online | "
            f"{rate:7.1f} msg/s | stored {stats.written} | buffered {stats.buffered} | "
            f"quarantined {stats.quarantined} | open alarms {stats.open_alarms}")
        for row in hub.store.alarms(limit=50):
            key = (row.device_id, row.alarm, row.since_ms, row.open)
            if key in seen:
                continue
            seen.add(key)
            verb = "RAISED" if row.open else "cleared"
            loss = f", {row.loss_text}" if row.loss_text else ""
            out(f"  ALARM {row.alarm} {verb} on {row.device_id}{loss}, since {_when(row.since_ms)}")


def _settle(hub: Hub, timeout_s: float = 15.0) -> None:
    """Give the hub time to take in and store what the boards sent last."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if hub.source.queue.empty() and hub.store.buffered() == 0:
            return
        time.sleep(0.1)
