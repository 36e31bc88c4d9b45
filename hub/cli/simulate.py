"""`cityhub simulate`: a fleet of simulated boards running the real firmware against a broker."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import typer

from hub.cli.common import ConfigOption, domain_errors, settings_from
from hub.devices.registry import Registry
from simulators.durations import parse_duration_ms
from simulators.fleet import BrokerAddress, Fleet
from simulators.kinds import MODELS
from simulators.options import parse_fault, parse_offline


def _fault_help() -> str:
    """The --fault help, listing each kind's faults from the simulator's registry."""
    per_kind = "; ".join(f"{name} ({model.prefix}-0001, ...): {', '.join(model.faults)}"
                         for name, model in MODELS.items())
    return ("Inject a fault: <device_id>=<fault>\\[@<after>], e.g. wm-0003=toilet_leak or bin-0002=fire@6h. "
            f"Faults per kind: {per_kind}.")


def _utc_ms(text: str) -> int:
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp() * 1000)


def simulate(
    kind: str = typer.Option("water_meter", help="Device kind to simulate."),
    count: int = typer.Option(10, min=1, help="Number of boards (ids wm-0001, wm-0002, ...)."),
    speed: float = typer.Option(3600.0, min=0, help="Simulated seconds per real second (0 = as fast as possible)."),
    duration: str = typer.Option("48h", help="Simulated time to run, e.g. 30m, 48h, 7d."),
    fault: list[str] = typer.Option([], help=_fault_help()),
    offline: list[str] = typer.Option([], help="Take a board's WiFi down: <device_id>=<after>+<for>, e.g. wm-0002=10h+6h."),
    start: str = typer.Option("", help="Simulated start time, ISO 8601 UTC (default: now)."),
    seed: int = typer.Option(1, help="Random seed (same seed, same water use)."),
    data_dir: Path = typer.Option(Path(".cityhub/fleet"), help="Where the boards keep their flash files."),
    config: Path | None = ConfigOption,
) -> None:
    """Run simulated boards against the broker in CITYHUB_MQTT_URL, in accelerated time.

    With CITYHUB_MQTT_ADMIN_URL set (a secured broker), each board is registered in the hub's device registry
    if new and logs in as itself, as a real board does."""
    settings = settings_from(config)
    with domain_errors():
        duration_ms = parse_duration_ms(duration)
        start_ms = (_utc_ms(start) if start
                    else int(time.time() * 1000) // 60_000 * 60_000)
        mq = settings.mqtt
        registry = Registry(settings.registry_path, admin=settings.mqtt_admin) if settings.mqtt_admin else None
        credentials = registry.fleet_credentials("simulated") if registry is not None else None
        fleet = Fleet(kind, count, BrokerAddress(mq.host, mq.port, mq.user, mq.password), data_dir, start_ms,
                      speed=speed, seed=seed, credentials=credentials)
        for text in fault:
            f = parse_fault(text)
            fleet.inject(f.device_id, f.fault, f.after_ms)
        for text in offline:
            o = parse_offline(text)
            fleet.offline(o.device_id, o.after_ms, o.duration_ms)
    if registry is not None:
        registry.close()
        typer.echo(f"Each board logs in as itself (registered in {settings.registry_path} if new).")
    else:
        typer.echo("CITYHUB_MQTT_ADMIN_URL is not set: every board uses the login of CITYHUB_MQTT_URL "
                   "(a secured broker refuses that; set the admin URL so each board gets its own login).")
    typer.echo(f"Simulating {count} {kind} boards for {duration} at {speed:g}x against "
               f"mqtt://{mq.host}:{mq.port}")

    def progress(f: Fleet) -> None:
        s = f.stats()
        when = datetime.fromtimestamp(f.sim.now_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")
        typer.echo(f"[{when} UTC] online {s['online']}/{s['devices']} | sent {s['sent']} | "
                   f"queued {s['queued']} | dropped {s['dropped']} | crashes {s['crashes']}")

    stop = threading.Event()
    try:
        fleet.run(duration_ms, stop, progress)
    except KeyboardInterrupt:
        stop.set()
    finally:
        fleet.shutdown()
    s = fleet.stats()
    typer.echo(f"Done: {s['sent']} messages delivered, {s['queued']} still queued on boards, "
               f"{s['dropped']} dropped, {s['crashes']} crashes.")
