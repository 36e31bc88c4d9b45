"""`cityhub demo`: broker, InfluxDB, hub and a mixed simulated fleet with one fault per kind, all on this machine."""

from __future__ import annotations

import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import typer

from hub.cli.common import domain_errors
from hub.demo import DEFAULT_FAULTS, DEFAULT_FLEET, DemoOptions, run_demo
from simulators.durations import parse_duration_ms
from simulators.kinds import model_for
from simulators.options import parse_fault


def _default_faults(fleet: dict[str, int]) -> list[str]:
    """The default faults of the boards this fleet has (none for a kind left out with e.g. --bins 0)."""
    present: set[str] = set()
    for kind, count in fleet.items():
        prefix = model_for(kind).prefix
        present.update(f"{prefix}-{n:04d}" for n in range(1, count + 1))
    return [text for text in DEFAULT_FAULTS if text.partition("=")[0] in present]


def demo(
    meters: int = typer.Option(DEFAULT_FLEET["water_meter"], min=0, help="Simulated water-leak meters (wm-0001...)."),
    bins: int = typer.Option(DEFAULT_FLEET["smart_bin"], min=0, help="Simulated smart bins (bin-0001...)."),
    counters: int = typer.Option(DEFAULT_FLEET["pedestrian_counter"], min=0,
                                 help="Simulated pedestrian counters (ped-0001...)."),
    lights: int = typer.Option(DEFAULT_FLEET["park_light"], min=0,
                               help="Simulated park lights (light-0001..., poles along park paths)."),
    speed: float = typer.Option(600.0, min=0, help="Simulated seconds per real second (600: ten minutes a second; "
                                                   "0: as fast as possible)."),
    duration: str = typer.Option("", help="Stop after this much simulated time, e.g. 30h (default: until Ctrl-C)."),
    start: str = typer.Option("", help="Simulated start, ISO 8601 UTC (default: 15:00 UTC today, so the park "
                                       "lights soon see dusk)."),
    fault: list[str] = typer.Option([], help="Inject a fault, <device_id>=<fault>\\[@<after>]; repeat for several. "
                                             "Given at least once, it replaces the default set: "
                                             + ", ".join(DEFAULT_FAULTS) + ". Use --fault none for none."),
    data_dir: Path | None = typer.Option(None, help="Keep the demo's data here (default: a temporary directory)."),
) -> None:
    """Show the whole system working: a live summary every second and each alarm as it is raised; Ctrl-C stops."""
    with domain_errors():
        duration_ms = parse_duration_ms(duration) if duration else None
        start_ms = None
        if start:
            when = datetime.fromisoformat(start)
            start_ms = int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp() * 1000)
        fleet = {"water_meter": meters, "smart_bin": bins, "pedestrian_counter": counters, "park_light": lights}
        texts = _default_faults(fleet) if not fault else [] if fault == ["none"] else fault
        faults = [parse_fault(text) for text in texts]
    if not any(fleet.values()):
        typer.echo("error: nothing to simulate: give at least one of --meters, --bins, --counters, --lights",
                   err=True)
        raise typer.Exit(2)
    root = data_dir or Path(tempfile.mkdtemp(prefix="cityhub-demo-"))
    opts = DemoOptions(root, fleet, speed, faults, duration_ms, start_ms)
    stop = threading.Event()
    try:
        with domain_errors():
            run_demo(opts, typer.echo, stop)
    except KeyboardInterrupt:
        stop.set()
        typer.echo("Stopped.")
