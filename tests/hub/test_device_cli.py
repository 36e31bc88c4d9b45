"""`cityhub device ...` as an operator runs it, against a real secured mosquitto: tables, clear errors, exit codes,
and never a password on the screen."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion
from typer.testing import CliRunner

from hub.cli.main import app
from hub.devices.registry import Registry
from hub.services.mosquitto import Mosquitto
from hub.services.process import free_port
from hub.settings import parse_mqtt_url

runner = CliRunner()


@pytest.fixture
def env(mosquitto: Mosquitto, tmp_path: Path) -> Iterator[dict[str, str]]:
    yield {"CITYHUB_MQTT_ADMIN_URL": mosquitto.admin_url, "CITYHUB_DATA_DIR": str(tmp_path / "hub")}


def cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["device", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def secret_of(env: dict[str, str], device_id: str) -> str:
    with Registry(Path(env["CITYHUB_DATA_DIR"]) / "devices.sqlite") as reg:
        return reg.secret(device_id)


def broker_answer(broker: Mosquitto, device_id: str, password: str) -> str:
    """The broker's CONNACK for this login, as text ("Success", "Not authorized", ...)."""
    answer: queue.Queue[str] = queue.Queue()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=device_id, protocol=mqtt.MQTTv311)
    client.username_pw_set(device_id, password)
    client.on_connect = lambda c, u, f, rc, p: answer.put(str(rc))
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        return answer.get(timeout=10)
    finally:
        client.disconnect()
        client.loop_stop()


def test_add_list_show_rotate_revoke(env: dict[str, str], mosquitto: Mosquitto) -> None:
    code, out, _ = cli(env, "add", "--kind", "water_meter", "--board", "esp32-devkitc", "--site", "Town hall, basement",
                       "--lat", "48.20849", "--lon", "16.37208")
    assert code == 0 and "Added wm-0001 (water_meter on esp32-devkitc) at Town hall, basement" in out, out
    code, out, _ = cli(env, "add", "--kind", "park_light", "--board", "esp32-c3-devkitm-1", "--site", "City park",
                       "--group", "park-north")
    assert code == 0 and "Added light-0001" in out
    first = secret_of(env, "wm-0001")

    code, out, _ = cli(env, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["ID", "KIND", "BOARD", "STATE"]
    assert lines[1].split()[:4] == ["light-0001", "park_light", "esp32-c3-devkitm-1", "provisioned"]
    assert lines[2].split()[:4] == ["wm-0001", "water_meter", "esp32-devkitc", "provisioned"]
    assert "48.20849,16.37208" in lines[2] and lines[-1] == "2 device(s)."
    code, out, _ = cli(env, "list", "--kind", "park_light")
    assert code == 0 and "light-0001" in out and "wm-0001" not in out
    code, out, _ = cli(env, "list", "--site", "basement")
    assert code == 0 and "wm-0001" in out and "light-0001" not in out

    code, out, _ = cli(env, "show", "light-0001")
    assert code == 0 and "group:" in out and "park-north" in out and "broker role:" in out and "device-light-0001" in out

    code, out, _ = cli(env, "rotate-credentials", "wm-0001")
    assert code == 0 and "the old one no longer works" in out
    second = secret_of(env, "wm-0001")
    assert second != first
    assert broker_answer(mosquitto, "wm-0001", first) == "Not authorized"
    assert broker_answer(mosquitto, "wm-0001", second) == "Success"

    code, out, _ = cli(env, "revoke", "wm-0001")
    assert code == 0 and "Revoked wm-0001" in out
    assert broker_answer(mosquitto, "wm-0001", second) == "Not authorized"
    code, out, _ = cli(env, "list", "--state", "revoked")
    assert code == 0 and "wm-0001" in out and "light-0001" not in out

    everything = "".join(cli(env, *a)[1] for a in (["list"], ["show", "wm-0001"], ["show", "light-0001"]))
    for secret in (first, second, secret_of(env, "light-0001")):
        assert secret not in everything


@pytest.mark.parametrize(("args", "needle"), [
    (["show", "wm-0404"], "no device 'wm-0404' in the registry"),
    (["revoke", "wm-0404"], "no device 'wm-0404' in the registry"),
    (["rotate-credentials", "wm-0404"], "no device 'wm-0404' in the registry"),
    (["add", "--kind", "toaster", "--board", "esp32-devkitc", "--site", "x"], "unknown device kind 'toaster'"),
    (["add", "--kind", "smart_bin", "--board", "uno", "--site", "x"], "unknown board 'uno'"),
    (["add", "--kind", "park_light", "--board", "esp32-devkitc", "--site", "x"], "needs --group"),
    (["list", "--state", "sleeping"], "unknown state 'sleeping'"),
])
def test_errors_are_one_clear_line_and_exit_code_1(env: dict[str, str], args: list[str], needle: str) -> None:
    code, out, err = cli(env, *args)
    assert code == 1, out
    assert err.startswith("error: ") and needle in err, err
    assert "Traceback" not in out + err


def test_a_revoked_device_cannot_be_revoked_or_rotated_again(env: dict[str, str]) -> None:
    assert cli(env, "add", "--kind", "smart_bin", "--board", "esp32-devkitc", "--site", "Market")[0] == 0
    assert cli(env, "revoke", "bin-0001")[0] == 0
    code, _, err = cli(env, "revoke", "bin-0001")
    assert code == 1 and "already revoked" in err
    code, _, err = cli(env, "rotate-credentials", "bin-0001")
    assert code == 1 and "is revoked" in err


def test_without_the_admin_login_changes_are_refused_clearly(tmp_path: Path) -> None:
    env = {"CITYHUB_DATA_DIR": str(tmp_path / "hub")}
    code, _, err = cli(env, "add", "--kind", "water_meter", "--board", "esp32-devkitc", "--site", "x")
    assert code == 1 and "CITYHUB_MQTT_ADMIN_URL" in err
    code, out, _ = cli(env, "list")
    assert code == 0 and "No devices." in out


def test_wrong_admin_password_and_unreachable_broker_are_named(mosquitto: Mosquitto, tmp_path: Path) -> None:
    admin = parse_mqtt_url(mosquitto.admin_url)
    wrong = f"mqtt://{admin.user}:not-the-password@{admin.host}:{admin.port}"
    env = {"CITYHUB_MQTT_ADMIN_URL": wrong, "CITYHUB_DATA_DIR": str(tmp_path / "hub")}
    code, _, err = cli(env, "add", "--kind", "water_meter", "--board", "esp32-devkitc", "--site", "x")
    assert code == 1 and "refused the admin login 'cityhub-admin'" in err and "not-the-password" not in err, err
    env["CITYHUB_MQTT_ADMIN_URL"] = f"mqtt://a:b@127.0.0.1:{free_port()}"
    code, _, err = cli(env, "add", "--kind", "water_meter", "--board", "esp32-devkitc", "--site", "x")
    assert code == 1 and "cannot reach the broker at 127.0.0.1:" in err, err


def test_help_explains_each_command() -> None:
    result = runner.invoke(app, ["device", "--help"])
    assert result.exit_code == 0
    for name in ("add", "list", "show", "revoke", "rotate-credentials"):
        assert name in result.stdout
    result = runner.invoke(app, ["device", "add", "--help"])
    assert "--kind" in result.stdout and "water_meter" in result.stdout and "--group" in result.stdout


def test_an_admin_url_with_an_unencoded_slash_in_the_password_is_refused_without_showing_it(tmp_path: Path) -> None:
    # an operator pastes a password with "/" or "#" without percent-encoding it: the URL parser takes the rest
    # for a path, and the error must still not print the password
    for url in ("mqtt://cityhub-admin:Pa55/w0rd@broker.city:1883", "mqtt://cityhub-admin:Pa55#w0rd@broker.city:1883"):
        env = {"CITYHUB_MQTT_ADMIN_URL": url, "CITYHUB_DATA_DIR": str(tmp_path / "hub")}
        code, out, err = cli(env, "list")
        assert code == 1 and "mqtt_admin_url" in err, err
        assert "w0rd" not in out + err and "Pa55" not in out + err, err
        assert "cityhub-admin:***@broker.city:1883" in err and "percent-encoded" in err, err


def test_list_and_show_say_what_the_hub_last_heard_each_board_say(env: dict[str, str]) -> None:
    import json

    from hub.buffer.store import Store
    from hub.validate.validator import validate

    assert cli(env, "add", "--kind", "smart_bin", "--board", "esp32-devkitc", "--site", "Market")[0] == 0
    assert cli(env, "add", "--kind", "smart_bin", "--board", "esp32-devkitc", "--site", "Station")[0] == 0
    status = {"v": 1, "kind": "smart_bin", "id": "bin-0001", "ts": 1_795_132_800_000, "seq": 3, "q": [],
              "data": {"state": "asleep", "fw": "0.1.0"}}
    topic = "city/v1/bin-0001/status"
    payload = json.dumps(status).encode()
    store = Store(Path(env["CITYHUB_DATA_DIR"]) / "hub.sqlite3")
    try:
        store.commit_batch([(topic, payload, validate(topic, payload))])
    finally:
        store.close()
    code, out, _ = cli(env, "list")
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("bin-")}
    assert code == 0 and "NOW" in out.splitlines()[0], out
    assert rows["bin-0001"][4] == "asleep" and rows["bin-0002"][4] == "-", out
    code, out, _ = cli(env, "show", "bin-0001")
    assert code == 0 and "now (hub):" in out and "asleep" in out, out
