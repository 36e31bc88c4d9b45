"""`cityhub command`: send a command to one board (ping, set_config) and show its reply."""

from __future__ import annotations

from pathlib import Path

import typer

from hub.cli.common import ConfigOption, fail, settings_from
from hub.commands import CommandError, parse_params, send_command


def command(
    device_id: str = typer.Argument(..., help="The board, e.g. wm-0003."),
    op: str = typer.Argument(..., help="ping, or set_config to change thresholds."),
    param: list[str] = typer.Option([], "--param", "-p", help="key=value, repeatable, e.g. -p leak_window_h=12."),
    timeout: float = typer.Option(30.0, min=0.1, help="Seconds to wait for the board's reply."),
    config: Path | None = ConfigOption,
) -> None:
    """Send a command to one board through the broker and wait for its reply (exit 1 if refused)."""
    settings = settings_from(config)
    try:
        reply = send_command(settings.mqtt, device_id, op, parse_params(param), timeout,
                             tls_ca=settings.mqtt_ca_file)
    except CommandError as exc:
        raise fail(str(exc)) from None
    if not reply.ok:
        raise fail(f"{device_id} refused {op}: {reply.reason}")
    typer.echo(f"{device_id}: {op} done")
