"""Installing a board from a clean registry to data in InfluxDB, through the real tools:

`cityhub device add` -> `cityhub firmware build` -> `cityhub flash` over a serial line to a simulated board
(simulators/serial_board.py: real MicroPython behind a pty, mpremote's raw REPL) -> the board boots the
flashed firmware, logs in to the secured broker with its own flashed credentials -> the hub stores its
telemetry in InfluxDB. And each way it can go wrong gives a specific error and exit code 1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hub.cli.main import app
from hub.devices.registry import Registry
from hub.pipeline import Hub
from hub.provision.boards import load_board
from hub.provision.bundle import read_bundle
from hub.provision.flash import CredentialsRefused, Install, flash
from hub.services.influxdb import InfluxDB1
from hub.services.mosquitto import Mosquitto
from hub.services.process import free_port
from hub.settings import parse_mqtt_url
from tests.e2e.conftest import DB

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


@dataclass
class SerialBoard:
    port: str
    flash_dir: Path
    proc: subprocess.Popen[str]


@pytest.fixture
def serial_board(tmp_path: Path) -> Iterator[SerialBoard]:
    """A simulated ESP32-DevKitC on a pty, blank (MicroPython only), its clock 30x fast once it boots."""
    flash_dir = tmp_path / "board-flash"
    proc = subprocess.Popen([sys.executable, "-m", "simulators.serial_board", "--flash", str(flash_dir),
                             "--board", "esp32-devkitc", "--speed", "30"],
                            cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = proc.stdout.readline().strip()
    assert port.startswith("/dev/"), f"the serial board did not start: {port!r}"
    try:
        yield SerialBoard(port, flash_dir, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def cli_env(mosquitto: Mosquitto, tmp_path: Path) -> dict[str, str]:
    return {"CITYHUB_MQTT_URL": mosquitto.hub_url, "CITYHUB_MQTT_ADMIN_URL": mosquitto.admin_url,
            "CITYHUB_DATA_DIR": str(tmp_path / "ops"), "CITYHUB_WIFI_SSID": "CITY-IOT",
            "CITYHUB_WIFI_PASSWORD": "not-used-by-the-simulator"}


def cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def add_device(env: dict[str, str], kind: str = "water_meter") -> str:
    code, out, err = cli(env, "device", "add", "--kind", kind, "--board", "esp32-devkitc", "--site", "Test school")
    assert code == 0, out + err
    match = re.search(r"Added (\S+) ", out)
    assert match, out
    return match.group(1)


def build(env: dict[str, str], tmp_path: Path, kind: str = "water_meter") -> Path:
    out_dir = tmp_path / f"bundle-{kind}"
    code, out, err = cli(env, "firmware", "build", "--kind", kind, "--board", "esp32-devkitc", "--out", str(out_dir))
    assert code == 0, out + err
    return out_dir


def test_device_add_build_flash_then_online_with_own_login_and_telemetry_in_influxdb(
        hub: Hub, influxdb: InfluxDB1, mosquitto: Mosquitto, serial_board: SerialBoard, tmp_path: Path) -> None:
    env = cli_env(mosquitto, tmp_path)
    device_id = add_device(env)
    bundle_dir = build(env, tmp_path)

    code, out, err = cli(env, "flash", device_id, "--port", serial_board.port, "--bundle", str(bundle_dir),
                         "--set", "tele_s=60", "--timeout", "60")
    assert code == 0, out + err
    assert f"Done: {device_id} is online" in out
    assert "verified by SHA-256" in out and "board: online" in out

    # what is on the board's flash: the bundle as built, its board definition and its own config
    bundle = read_bundle(bundle_dir)
    for board_path in bundle.files:
        assert (serial_board.flash_dir / board_path.lstrip("/")).read_bytes() == bundle.local(board_path).read_bytes()
    flashed = json.loads((serial_board.flash_dir / "config.json").read_text())
    with Registry(tmp_path / "ops" / "devices.sqlite") as registry:
        secret = registry.secret(device_id)
    assert flashed["mqtt"]["user"] == device_id and flashed["mqtt"]["password"] == secret
    assert flashed["pins"] == load_board("esp32-devkitc").default_pins("water_meter")
    assert flashed["app"]["tele_s"] == 60

    # its telemetry reaches InfluxDB through the hub (the secured broker only lets it in with its own login)
    rows: list[dict[str, object]] = []
    deadline = time.monotonic() + 90
    while not rows and time.monotonic() < deadline:
        rows = influxdb.points(f"SELECT total_l, pulses FROM water_meter WHERE device_id = '{device_id}'", db=DB)
        time.sleep(0.5)
    assert rows, f"no telemetry of {device_id} in InfluxDB; hub: {hub.stats()}"


def test_wrong_wiring_wrong_bundle_and_missing_port_fail_before_touching_a_board(
        mosquitto: Mosquitto, tmp_path: Path) -> None:
    env = cli_env(mosquitto, tmp_path)
    device_id = add_device(env)
    bundle_dir = build(env, tmp_path)
    nowhere = str(tmp_path / "ttyUSB9")

    code, _, err = cli(env, "flash", device_id, "--port", nowhere, "--bundle", str(bundle_dir), "--pin", "pulse=35")
    assert code == 1 and "GPIO 35 has no internal pull-up" in err, err
    code, _, err = cli(env, "flash", device_id, "--port", nowhere, "--bundle", str(bundle_dir), "--pin", "sense=27")
    assert code == 1 and "cannot be read by the ADC" in err, err
    code, _, err = cli(env, "flash", device_id, "--port", nowhere, "--bundle", str(bundle_dir), "--pin", "pulse=6")
    assert code == 1 and "reserved: SPI flash" in err, err

    other = build(env, tmp_path, "pedestrian_counter")
    code, _, err = cli(env, "flash", device_id, "--port", nowhere, "--bundle", str(other))
    assert code == 1 and f"{device_id} is a water_meter, but the bundle" in err, err

    code, _, err = cli(env, "flash", device_id, "--port", nowhere, "--bundle", str(bundle_dir))
    assert code == 1 and f"no serial port {nowhere}" in err, err

    code, _, err = cli(env, "flash", "wm-0999", "--port", nowhere, "--bundle", str(bundle_dir))
    assert code == 1 and "wm-0999" in err, err

    for bad, needle in (("litres_per_pulse=-1", "may not be negative"), ("no_such_threshold=3", "unknown")):
        code, _, err = cli(env, "flash", device_id, "--port", nowhere, "--bundle", str(bundle_dir), "--set", bad)
        assert code == 1 and "firmware would refuse" in err and needle in err, err

    no_wifi = {k: v for k, v in env.items() if not k.startswith("CITYHUB_WIFI_")}
    code, _, err = cli(no_wifi, "flash", device_id, "--port", nowhere, "--bundle", str(bundle_dir))
    assert code == 1 and "no WiFi network for the board" in err, err


def test_a_port_with_no_micropython_behind_it_is_named(mosquitto: Mosquitto, tmp_path: Path) -> None:
    env = cli_env(mosquitto, tmp_path)
    device_id = add_device(env)
    bundle_dir = build(env, tmp_path)
    master, slave = os.openpty()   # a serial line with nothing answering on it
    try:
        code, _, err = cli(env, "flash", device_id, "--port", os.ttyname(slave), "--bundle", str(bundle_dir))
    finally:
        os.close(master)
        os.close(slave)
    assert code == 1 and "no MicroPython board answered" in err, err


def test_a_board_that_never_comes_online_or_is_refused_by_the_broker_is_reported(
        mosquitto: Mosquitto, serial_board: SerialBoard, tmp_path: Path) -> None:
    env = cli_env(mosquitto, tmp_path)
    device_id = add_device(env)
    bundle_dir = build(env, tmp_path)

    # a broker address the board cannot reach: flashed and verified, but never online
    code, out, err = cli(env, "flash", device_id, "--port", serial_board.port, "--bundle", str(bundle_dir),
                         "--broker-port", str(free_port()), "--timeout", "8")
    assert code == 1, out + err
    assert "verified by SHA-256" in out
    assert f"{device_id} did not come online within 8 s" in err
    assert "not connected: broker:" in err, err   # the board's own console line, quoted back

    # the same board, flashed again while its firmware runs, with a login the broker refuses
    with Registry(tmp_path / "ops" / "devices.sqlite") as registry:
        cfg = registry.device_config(device_id, "CITY-IOT", "x", mosquitto.host, mosquitto.port,
                                     extra={"pins": {"pulse": 27}})
    cfg["mqtt"]["password"] = "not-the-password"
    install = Install(read_bundle(bundle_dir), load_board("esp32-devkitc"), cfg)
    lines: list[str] = []
    with pytest.raises(CredentialsRefused) as refused:
        flash(install, serial_board.port, parse_mqtt_url(mosquitto.hub_url), lines.append, online_timeout_s=30)
    assert f"the broker refused {device_id}'s login" in str(refused.value)
    assert any("verified by SHA-256" in line for line in lines), lines


def test_without_the_broker_from_the_laptop_the_boards_own_console_confirms_online(
        mosquitto: Mosquitto, serial_board: SerialBoard, tmp_path: Path) -> None:
    env = cli_env(mosquitto, tmp_path)
    device_id = add_device(env)
    bundle_dir = build(env, tmp_path)
    env["CITYHUB_MQTT_URL"] = f"mqtt://127.0.0.1:{free_port()}"   # the laptop is not on the broker's network
    code, out, err = cli(env, "flash", device_id, "--port", serial_board.port, "--bundle", str(bundle_dir),
                         "--broker-host", mosquitto.host, "--broker-port", str(mosquitto.port), "--timeout", "60")
    assert code == 0, out + err
    assert "cannot reach the broker" in out
    assert f"Done: {device_id} is online: the board says so on its console" in out


def test_a_board_installed_as_another_kind_is_not_overwritten_without_force(
        mosquitto: Mosquitto, serial_board: SerialBoard, tmp_path: Path) -> None:
    env = cli_env(mosquitto, tmp_path)
    meter = add_device(env)
    code, out, err = cli(env, "flash", meter, "--port", serial_board.port, "--bundle", str(build(env, tmp_path)),
                         "--timeout", "60")
    assert code == 0, out + err
    counter = add_device(env, "pedestrian_counter")
    counter_bundle = build(env, tmp_path, "pedestrian_counter")
    code, out, err = cli(env, "flash", counter, "--port", serial_board.port, "--bundle", str(counter_bundle))
    assert code == 1, out + err
    assert f"is installed as a water_meter ({meter}), not a pedestrian_counter" in err and "--force" in err
    assert json.loads((serial_board.flash_dir / "config.json").read_text())["device_id"] == meter, \
        "the refused flash must leave the board as it was"
    assert (serial_board.flash_dir / "data" / "outbox").is_dir(), "the water meter ran and kept its outbox"

    code, out, err = cli(env, "flash", counter, "--port", serial_board.port, "--bundle", str(counter_bundle),
                         "--force", "--timeout", "60")
    assert code == 0, out + err
    assert f"The board was {meter}: removing its data" in out
    assert "Removed 3 old firmware files" in out   # the water meter's app modules: water_meter, water_alarms, leak_window
    flashed = json.loads((serial_board.flash_dir / "config.json").read_text())
    assert (flashed["device_id"], flashed["kind"]) == (counter, "pedestrian_counter")
    assert not (serial_board.flash_dir / "lib" / "cityfw" / "apps" / "water_meter.mpy").exists()
