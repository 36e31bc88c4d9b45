"""Shared CLI plumbing: settings from options/env/TOML, and domain errors turned into clean exits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from hub.buffer.store import Store, StoreError
from hub.devices.dynsec import DynsecError
from hub.services.process import ServiceError
from hub.settings import Settings, SettingsError, load_settings

ConfigOption = typer.Option(None, "--config", "-c", help="Hub TOML file (default: $CITYHUB_CONFIG).",
                            exists=False, dir_okay=False)
DataDirOption = typer.Option(None, "--data-dir", help="Hub data directory (default: $CITYHUB_DATA_DIR or .cityhub).")


def fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the library's errors into one clear line and exit code 1."""
    try:
        yield
    except (SettingsError, ServiceError, DynsecError, StoreError, ValueError) as exc:
        raise fail(str(exc)) from None


def settings_from(config: Path | None, data_dir: Path | None = None) -> Settings:
    with domain_errors():
        return load_settings(config, data_dir=data_dir)


@contextmanager
def open_store(config: Path | None, data_dir: Path | None) -> Iterator[Store]:
    """The hub's local store, for commands that read it; a clear error when there is none yet."""
    settings = settings_from(config, data_dir)
    if not settings.store_path.exists():
        raise fail(f"no hub data in {settings.data_dir} (run the hub first, or pass --data-dir)")
    with domain_errors():
        store = Store(settings.store_path)
    try:
        yield store
    finally:
        store.close()
