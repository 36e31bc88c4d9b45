"""`cityhub alarms`: the alarms the hub has seen, for the energy cell."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from hub.cli.common import ConfigOption, DataDirOption, open_store

app = typer.Typer(help="Alarms raised by the boards (open and recent).", no_args_is_help=True)


def _when(ms: int | None) -> str:
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


@app.command("list")
def list_alarms(
    open_only: bool = typer.Option(False, "--open", help="Only alarms that are still open."),
    device: str | None = typer.Option(None, help="Only this device."),
    limit: int = typer.Option(50, min=1, help="At most this many rows."),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """List open and recent alarms: where, what, since when, and how much water is lost (L/h)."""
    with open_store(config, data_dir) as store:
        rows = store.alarms(open_only=open_only, device_id=device, limit=limit)
    if not rows:
        typer.echo("No alarms.")
        return
    typer.echo(f"{'DEVICE':<12} {'ALARM':<15} {'STATE':<8} {'SINCE (UTC)':<17} {'RAISED':<17} "
               f"{'CLEARED':<17} {'LOSS L/h':>9}")
    for r in rows:
        typer.echo(f"{r.device_id:<12} {r.alarm:<15} {'open' if r.open else 'cleared':<8} {_when(r.since_ms):<17} "
                   f"{_when(r.raised_ms):<17} {_when(r.cleared_ms):<17} {_loss(r.loss_lph):>9}")


def _loss(loss_lph: float | None) -> str:
    return "-" if loss_lph is None else f"{loss_lph:.1f}"
