"""`cityhub run`: the ingestion hub as a long-running service."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path

import typer

from hub.cli.common import ConfigOption, DataDirOption, domain_errors, settings_from
from hub.pipeline import Hub
from hub.settings import redacted_url


def run(config: Path | None = ConfigOption, data_dir: Path | None = DataDirOption,
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Log every stage.")) -> None:
    """Subscribe to the broker, validate, buffer durably and write to InfluxDB until stopped (Ctrl-C)."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings_from(config, data_dir)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with domain_errors():
        hub = Hub(settings)
    typer.echo(f"cityhub: {redacted_url(settings.mqtt_url)} -> {settings.writer_kind} at {settings.influx_url}; "
               f"buffer in {settings.store_path}")
    hub.start()
    try:
        while not stop.wait(10):
            s = hub.stats()
            logging.getLogger("cityhub").info(
                "received %d, stored %d, buffered %d, quarantined %d, open alarms %d",
                s.received, s.written, s.buffered, s.quarantined, s.open_alarms)
    except KeyboardInterrupt:
        pass
    finally:
        typer.echo("cityhub: stopping (committing and acknowledging what was received) ...")
        hub.stop()
