"""`cityhub demo`: broker, InfluxDB, hub and a simulated fleet with one leak, all on this machine."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

import typer

from hub.cli.common import domain_errors
from hub.demo import DemoOptions, run_demo
from simulators.durations import parse_duration_ms


def demo(
    count: int = typer.Option(10, min=1, help="Number of simulated water-leak meters."),
    speed: float = typer.Option(3600.0, min=0, help="Simulated seconds per real second (3600: an hour a second)."),
    duration: str = typer.Option("", help="Stop after this much simulated time (default: run until Ctrl-C)."),
    leak: str = typer.Option("wm-0003=toilet_leak", help="The injected fault, <device_id>=<fault>."),
    data_dir: Path | None = typer.Option(None, help="Keep the demo's data here (default: a temporary directory)."),
) -> None:
    """Show the whole system working: a live summary every second; stop with Ctrl-C."""
    device, _, fault = leak.partition("=")
    with domain_errors():
        duration_ms = parse_duration_ms(duration) if duration else None
    root = data_dir or Path(tempfile.mkdtemp(prefix="cityhub-demo-"))
    opts = DemoOptions(root, count, speed, device, fault or "toilet_leak", duration_ms)
    stop = threading.Event()
    try:
        with domain_errors():
            run_demo(opts, typer.echo, stop)
    except KeyboardInterrupt:
        stop.set()
        typer.echo("Stopped.")
