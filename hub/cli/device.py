"""`cityhub device`: register boards, list and show them, revoke them, rotate their broker passwords."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import typer

from hub.cli.common import ConfigOption, DataDirOption, domain_errors, settings_from
from hub.devices.registry import KIND_PREFIXES, STATES, Device, Registry
from hub.settings import Settings

BOARDS_DIR = Path(__file__).resolve().parents[2] / "boards"

app = typer.Typer(
    help="The device registry: add boards (each gets its own broker login), list, show, revoke, rotate "
         "credentials. Needs CITYHUB_MQTT_ADMIN_URL (the broker's provisioning login) to change anything.",
    no_args_is_help=True)


@contextmanager
def open_registry(config: Path | None, data_dir: Path | None) -> Iterator[tuple[Registry, Settings]]:
    settings = settings_from(config, data_dir)
    with domain_errors():
        registry = Registry(settings.registry_path, admin=settings.mqtt_admin, boards_dir=BOARDS_DIR,
                            tls_ca=settings.mqtt_ca_file)
    try:
        with domain_errors():
            yield registry, settings
    finally:
        registry.close()


def _hub_seen(settings: Settings) -> list[tuple[str, str | None, int]]:
    """What the hub has seen of each device (firmware, last seen), read-only from its store; [] if none."""
    if not settings.store_path.exists():
        return []
    try:
        db = sqlite3.connect(f"file:{settings.store_path}?mode=ro", uri=True, timeout=5)
        try:
            rows = db.execute("SELECT device_id, fw, last_seen_ms FROM devices").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return []
    return [(str(r[0]), r[1], int(r[2])) for r in rows]


def _hub_presence(settings: Settings) -> dict[str, str]:
    """What the hub last heard each board say of itself: online, offline (last will), asleep (a battery board
    between readings) or removed (revoked); read-only from its store; {} if the hub has none."""
    if not settings.store_path.exists():
        return {}
    try:
        db = sqlite3.connect(f"file:{settings.store_path}?mode=ro", uri=True, timeout=5)
        try:
            rows = db.execute("SELECT device_id, COALESCE(state, CASE online WHEN 1 THEN 'online' "
                              "ELSE 'offline' END) FROM devices").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return {}
    return {str(r[0]): str(r[1]) for r in rows}


def _when(ms: int | None) -> str:
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M")


def _position(d: Device) -> str:
    return "-" if d.lat is None or d.lon is None else f"{d.lat:.5f},{d.lon:.5f}"


@app.command("add")
def add(
    kind: str = typer.Option(..., help=f"Device kind: {', '.join(KIND_PREFIXES)}."),
    board: str = typer.Option(..., help="Board, e.g. esp32-devkitc or esp32-c3-devkitm-1."),
    site: str = typer.Option(..., help="Where it is installed: street, building, park."),
    lat: float | None = typer.Option(None, help="Latitude, decimal degrees (WGS 84)."),
    lon: float | None = typer.Option(None, help="Longitude, decimal degrees (WGS 84)."),
    group: str | None = typer.Option(
        None, help="Park lights (required): the group of lights that share presence. Pedestrian counters "
                   "(optional): the group of park lights it tells of each passage."),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Register a device: next free id of its kind, its own broker login and topic rules."""
    with open_registry(config, data_dir) as (registry, _):
        device = registry.add(kind, board, site, lat, lon, group)
    typer.echo(f"Added {device.id} ({device.kind} on {device.board}) at {device.site}; state {device.state}.")
    typer.echo(f"Its broker login is {device.id}; the password is kept in {registry.secrets.path} (0600) "
               f"for flashing: cityhub flash {device.id} --port <serial port>")


@app.command("list")
def list_devices(
    kind: str | None = typer.Option(None, help="Only this kind."),
    state: str | None = typer.Option(None, help=f"Only this state: {', '.join(STATES)}."),
    site: str | None = typer.Option(None, help="Only sites containing this text."),
    board: str | None = typer.Option(None, help="Only this board."),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """The registered devices as a table. NOW is what the hub last heard the board say of itself (online,
    offline, asleep, removed); last seen and firmware as the hub saw them."""
    with open_registry(config, data_dir) as (registry, settings):
        registry.note_seen(_hub_seen(settings))
        devices = registry.list(kind=kind, state=state, site=site, board=board)
        presence = _hub_presence(settings)
    if not devices:
        typer.echo("No devices." if not (kind or state or site or board) else "No devices match.")
        return
    site_w = max(4, min(32, max(len(d.site) for d in devices)))
    typer.echo(f"{'ID':<11} {'KIND':<18} {'BOARD':<19} {'STATE':<11} {'NOW':<8} {'SITE':<{site_w}} "
               f"{'POSITION':<20} {'FIRMWARE':<9} {'LAST SEEN (UTC)':<16}")
    for d in devices:
        typer.echo(f"{d.id:<11} {d.kind:<18} {d.board:<19} {d.state:<11} {presence.get(d.id, '-'):<8} "
                   f"{d.site[:site_w]:<{site_w}} {_position(d):<20} {d.firmware or '-':<9} "
                   f"{_when(d.last_seen_ms):<16}")
    typer.echo(f"{len(devices)} device(s).")


@app.command("show")
def show(
    device_id: str = typer.Argument(..., help="Device id, e.g. wm-0001."),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Everything the registry knows about one device (never its password)."""
    with open_registry(config, data_dir) as (registry, settings):
        registry.note_seen(_hub_seen(settings))
        d = registry.get(device_id)
        now = _hub_presence(settings).get(device_id, "-")
    rows = [("id", d.id), ("kind", d.kind), ("board", d.board), ("site", d.site), ("position", _position(d)),
            ("group", d.group or "-"), ("state", d.state), ("now (hub)", now), ("firmware", d.firmware or "-"),
            ("created (UTC)", _when(d.created_ms)), ("last seen (UTC)", _when(d.last_seen_ms)),
            ("credentials set (UTC)", _when(d.credentials_ms)), ("broker login", d.id), ("broker role", d.role)]
    for name, value in rows:
        typer.echo(f"{name + ':':<22} {value}")


@app.command("revoke")
def revoke(
    device_id: str = typer.Argument(..., help="Device id, e.g. wm-0001."),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Cut a device off at once: its broker login is disabled and a connected board is disconnected."""
    with open_registry(config, data_dir) as (registry, _):
        registry.revoke(device_id)
    typer.echo(f"Revoked {device_id}: the broker refuses its login from now on; its password was deleted.")


@app.command("rotate-credentials")
def rotate_credentials(
    device_id: str = typer.Argument(..., help="Device id, e.g. wm-0001."),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Give a device a new broker password; the old one stops working (re-flash the board's config)."""
    with open_registry(config, data_dir) as (registry, _):
        registry.rotate(device_id)
    typer.echo(f"New password for {device_id}; the old one no longer works and its session was cut. "
               f"Flash the board again so it gets the new one: cityhub flash {device_id} --port <serial port>")
