"""`cityhub firmware build`: compile the firmware for one device kind and board into a flashable bundle."""

from __future__ import annotations

from pathlib import Path

import typer

from hub.cli.common import fail
from hub.provision.boards import BoardError, load_board
from hub.provision.bundle import BundleError, build_bundle, default_bundle_dir, source_files

app = typer.Typer(help="Firmware bundles for flashing boards.", no_args_is_help=True)


@app.command("build")
def build(
    kind: str = typer.Option(..., help="Device kind: water_meter, smart_bin, pedestrian_counter, park_light."),
    board: str = typer.Option(..., help="Board definition in boards/, e.g. esp32-devkitc or esp32-c3-devkitm-1."),
    out: Path | None = typer.Option(None, help="Bundle directory (default: build/firmware/<kind>-<board>)."),
) -> None:
    """Compile the firmware with mpy-cross into a bundle with a manifest of file hashes."""
    target = out or default_bundle_dir(kind, board)
    try:
        board_def = load_board(board)
        typer.echo(f"Checking {board}: capabilities and default wiring for {kind} ...")
        typer.echo(f"Compiling {len(source_files(kind))} firmware modules with mpy-cross ...")
        bundle = build_bundle(kind, board_def, target)
    except (BoardError, BundleError) as exc:
        raise fail(str(exc)) from None
    apps = sorted(p.rsplit("/", 1)[1] for p in bundle.files if "/apps/" in p and "__init__" not in p)
    typer.echo(f"Built {target}: {kind} firmware {bundle.fw_version} for {board} ({board_def.chip}), "
               f"{len(bundle.files)} files, {bundle.manifest['total_bytes']:,} bytes, "
               f".mpy version {bundle.manifest['mpy_version']}; app modules: {', '.join(apps)}")
