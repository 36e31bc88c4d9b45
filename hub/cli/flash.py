"""`cityhub flash`: install a registered device on a board over USB serial and wait until it is online."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from hub.cli.common import ConfigOption, DataDirOption, fail
from hub.cli.device import open_registry
from hub.commands import CommandError, parse_params
from hub.provision.boards import BoardError, check_pins, load_board, parse_pin_options
from hub.provision.bundle import BundleError, default_bundle_dir, read_bundle
from hub.provision.flash import FlashError, Install, flash


def _firmware_accepts(cfg: dict[str, Any]) -> None:
    """Run the firmware's own configuration check here first: a board given a setting its firmware refuses
    would only print the error on its console and reset, again and again."""
    from cityfw.core import boot as fw_boot
    from cityfw.core import config as fw_config

    module = fw_boot.app_module(cfg["kind"])
    try:
        fw_config.check(json.loads(json.dumps(cfg)), module.APP_DEFAULTS, getattr(module, "APP_CHECK", None),
                        getattr(module, "APP_SIGNED", ()))
    except fw_config.ConfigError as exc:
        raise fail(f"the board's firmware would refuse this configuration ({exc}); nothing was written") from None


def flash_command(
    device_id: str = typer.Argument(..., help="The registered device, e.g. wm-0042 (cityhub device add)."),
    port: str = typer.Option(..., "--port", "-p", help="The board's serial port, e.g. /dev/ttyUSB0."),
    wifi_ssid: str = typer.Option("", envvar="CITYHUB_WIFI_SSID", help="WiFi network the board joins."),
    wifi_password: str = typer.Option("", envvar="CITYHUB_WIFI_PASSWORD", help="Its password."),
    broker_host: str = typer.Option("", envvar="CITYHUB_BOARD_BROKER_HOST",
                                    help="Broker host as the board sees it (default: the hub's broker host)."),
    broker_port: int = typer.Option(0, envvar="CITYHUB_BOARD_BROKER_PORT",
                                    help="Broker port for the board (default: the hub's broker port)."),
    pin: list[str] = typer.Option([], "--pin", help="Wiring different from the board's default: role=gpio, "
                                                    "e.g. --pin pulse=26. Repeatable."),
    setting: list[str] = typer.Option([], "--set", help="A threshold in the board's config: key=value, "
                                                        "e.g. --set litres_per_pulse=10. Repeatable."),
    bundle: Path | None = typer.Option(None, help="Bundle directory (default: build/firmware/<kind>-<board>)."),
    force: bool = typer.Option(False, help="Flash even if the board is installed as another device kind."),
    timeout: float = typer.Option(120.0, min=1, help="Seconds to wait for the device to come online."),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
) -> None:
    """Write firmware, board definition and configuration to the board, verify, reset, wait until online."""
    with open_registry(config, data_dir) as (registry, settings):
        device = registry.get(device_id)
        if device.state == "revoked":
            raise fail(f"{device_id} is revoked: its broker login no longer works; add a new device instead")
        try:
            board = load_board(device.board)
            pins = board.default_pins(device.kind) if device.kind in board.pins else {}
            pins.update(parse_pin_options(pin))
            check_pins(board, device.kind, pins)
            app_settings = parse_params(setting)
            bundle_obj = read_bundle(bundle or default_bundle_dir(device.kind, device.board))
        except (BoardError, BundleError, CommandError) as exc:
            raise fail(str(exc)) from None
        stale = bundle_obj.stale_sources()
        if stale:
            typer.echo(f"warning: the bundle was built before these firmware files changed: {', '.join(stale)}; "
                       f"rebuild it with cityhub firmware build", err=True)
        if not wifi_ssid:
            raise fail("no WiFi network for the board: give --wifi-ssid (and --wifi-password) or set "
                       "CITYHUB_WIFI_SSID (and CITYHUB_WIFI_PASSWORD)")
        mq = settings.mqtt
        cfg = registry.device_config(device_id, wifi_ssid, wifi_password, broker_host or mq.host,
                                     broker_port or mq.port, app=app_settings, extra={"pins": pins})
        _firmware_accepts(cfg)
    typer.echo(f"Flashing {device_id} ({device.kind} on {device.board}) through {port}")
    try:
        result = flash(Install(bundle_obj, board, cfg), port, mq, typer.echo, force=force, online_timeout_s=timeout)
    except (FlashError, BoardError, BundleError) as exc:
        raise fail(str(exc)) from None
    seen = "the broker has its status" if result.confirmed_by == "broker" else \
        "the board says so on its console (the broker was not reachable from here to confirm)"
    typer.secho(f"Done: {device_id} is online: {seen}. {result.files} files ({result.bytes:,} bytes) written "
                f"and verified; {result.seconds:.1f} s in all.", fg=typer.colors.GREEN)
