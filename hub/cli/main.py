"""The `cityhub` command: one sub-command per job; each file in hub/cli/ is one command or group."""

from __future__ import annotations

import typer

from hub.cli import alarms, device, firmware, quarantine
from hub.cli.command import command
from hub.cli.demo import demo
from hub.cli.flash import flash_command
from hub.cli.run import run
from hub.cli.simulate import simulate

app = typer.Typer(help="City sensor hub: ingest, store and watch the city's sensor boards.",
                  no_args_is_help=True, add_completion=False)
app.command()(run)
app.command()(simulate)
app.command()(demo)
app.command()(command)
app.add_typer(alarms.app, name="alarms")
app.add_typer(quarantine.app, name="quarantine")
app.add_typer(device.app, name="device")
app.add_typer(firmware.app, name="firmware")
app.command("flash")(flash_command)

if __name__ == "__main__":
    app()
