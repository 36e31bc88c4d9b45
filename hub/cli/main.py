"""The `cityhub` command: one sub-command per job; each file in hub/cli/ is one command or group."""

from __future__ import annotations

import typer

from hub.cli import alarms, quarantine
from hub.cli.command import command
from hub.cli.demo import demo
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

if __name__ == "__main__":
    app()
