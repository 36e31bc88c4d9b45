"""`cityhub quarantine`: messages the hub refused, with the reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from hub.cli.common import ConfigOption, DataDirOption, open_store

app = typer.Typer(help="Messages refused by validation or by the time-series store.", no_args_is_help=True)


@app.command("list")
def list_quarantine(
    limit: int = typer.Option(20, min=1, help="At most this many rows, newest first."),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Show quarantined messages: when, where they came from, why they were refused."""
    with open_store(config, data_dir) as store:
        rows = store.quarantined(limit)
        counters = store.counters()
    by_category = {k.removeprefix("quarantined_"): v for k, v in counters.items() if k.startswith("quarantined_")}
    summary = ", ".join(f"{k} {v}" for k, v in sorted(by_category.items())) or "none"
    typer.echo(f"Quarantined so far: {summary}")
    for r in rows:
        when = datetime.fromtimestamp(r.received_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
        preview = r.payload[:80].decode("utf-8", "replace")
        typer.echo(f"#{r.id} {when} [{r.stage}/{r.category}] {r.topic[:60]}\n    reason: {r.reason}\n"
                   f"    payload: {preview}")
