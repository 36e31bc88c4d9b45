"""The whole system on this machine: a local broker and InfluxDB, the hub, and a mixed simulated fleet (water-leak
meters, smart bins, pedestrian counters, park lights) with one injected fault per kind.

Used by `cityhub demo`. Services run as child processes on free loopback ports with their data under one
directory; everything stops cleanly when the run ends or on Ctrl-C.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from hub.devices.registry import Registry
from hub.pipeline import Hub
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.settings import load_settings
from simulators.fleet import BrokerAddress, Fleet
from simulators.options import FaultOption, parse_fault

Printer = Callable[[str], None]

DEFAULT_FLEET = {"water_meter": 5, "smart_bin": 4, "pedestrian_counter": 2, "park_light": 8}
DEFAULT_FAULTS = ("wm-0003=toilet_leak", "bin-0002=fire@4h", "ped-0002=blocked_beam@1h", "light-0003=lamp_failure@2h")
WHAT = {"water_meter": "water-leak meters", "smart_bin": "smart bins", "pedestrian_counter": "pedestrian counters",
        "park_light": "park lights"}
EXPECT = {"toilet_leak": "LEAK after ~24 simulated hours", "drip": "LEAK after ~24 simulated hours",
          "large_leak": "LEAK after ~1 simulated hour", "fire": "FIRE", "tilt": "TILT",
          "stuck_sensor": "a sensor alarm", "blocked_beam": "BEAM_BLOCKED", "lamp_failure": "LAMP_FAILURE at night"}


@dataclass
class DemoOptions:
    data_dir: Path
    fleet: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_FLEET))
    speed: float = 600.0
    faults: list[FaultOption] = field(default_factory=lambda: [parse_fault(f) for f in DEFAULT_FAULTS])
    duration_ms: int | None = None
    start_ms: int | None = None
    database: str = "city"


def default_start_ms(now_ms: int) -> int:
    """15:00 UTC today (16:00 or 17:00 in Brussels): the evening rush, dusk for the park lights, then a night."""
    return now_ms // 86_400_000 * 86_400_000 + 15 * 3_600_000


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%a %Y-%m-%d %H:%M UTC")


def run_demo(opts: DemoOptions, out: Printer, stop: threading.Event) -> dict[str, int]:
    """Run until `stop` is set or the duration has passed; returns the final hub counters."""
    out(f"Data directory: {opts.data_dir}")
    broker = Mosquitto(opts.data_dir / "mosquitto", secured=True)
    influx = InfluxDB1(opts.data_dir / "influxdb")
    out("Starting mosquitto (MQTT broker: no anonymous access, every board its own login) ...")
    broker.start()
    try:
        out(f"  broker on {broker.url}; logins in {broker.credentials_path} (0600)")
        out("Starting InfluxDB 1.x ...")
        influx.start()
        out(f"  InfluxDB on {influx.url}, database '{opts.database}'")
        settings = load_settings(env={}, mqtt_url=broker.hub_url, influx_url=influx.url, influx_db=opts.database,
                                 data_dir=opts.data_dir / "hub", mqtt_admin_url=broker.admin_url)
        with Registry(settings.registry_path, admin=settings.mqtt_admin) as registry, Hub(settings) as hub:
            out("Hub running: MQTT -> validate -> durable buffer -> InfluxDB")
            start_ms = opts.start_ms if opts.start_ms is not None else default_start_ms(int(time.time() * 1000))
            fleet = Fleet({k: n for k, n in opts.fleet.items() if n > 0}, None,
                          BrokerAddress(broker.host, broker.port), opts.data_dir / "fleet", start_ms,
                          speed=opts.speed, credentials=registry.fleet_credentials("demo"))
            out(f"  {len(fleet.devices)} boards registered in {settings.registry_path}, each with its own broker login")
            for f in opts.faults:
                fleet.inject(f.device_id, f.fault, f.after_ms)
            kinds = ", ".join(f"{n} {WHAT.get(k, k)}" for k, n in opts.fleet.items() if n > 0)
            pace = (f"at {opts.speed:g}x real time (as fast as this machine allows if that is too fast)"
                    if opts.speed > 0 else "as fast as this machine allows")
            out(f"Simulating {kinds} from {_when(start_ms)} {pace}")
            for f in opts.faults:
                after = f" after {f.after_ms / 3_600_000:g} h" if f.after_ms else ""
                expect = EXPECT.get(f.fault, "an alarm")
                out(f"  injected: {f.fault.replace('_', ' ')} on {f.device_id}{after} (expect {expect})")
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
            out(f"  and the registered boards with: cityhub device list --data-dir {opts.data_dir / 'hub'}")
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
        asleep = f" ({stats.devices_asleep} asleep)" if stats.devices_asleep else ""
        out(f"[{_when(fleet.sim.now_ms)}] {stats.devices_online}/{len(fleet.devices)} online{asleep} | "
            f"{rate:7.1f} msg/s | stored {stats.written} | buffered {stats.buffered} | "
            f"quarantined {stats.quarantined} | open alarms {stats.open_alarms}")
        for row in reversed(hub.store.alarms(limit=50)):
            loss = f", {row.loss_text}" if row.loss_text else ""
            # an alarm raised and cleared within one second is shown raised, then cleared
            for is_open in (True, False) if not row.open else (True,):
                key = (row.device_id, row.alarm, row.since_ms, is_open)
                if key in seen:
                    continue
                seen.add(key)
                verb = "RAISED" if is_open else "cleared"
                out(f"  ALARM {row.alarm} {verb} on {row.device_id}{loss}, since {_when(row.since_ms)}")


def _settle(hub: Hub, timeout_s: float = 15.0) -> None:
    """Give the hub time to take in and store what the boards sent last (the summary says what is left)."""
    hub.settled(timeout_s)
