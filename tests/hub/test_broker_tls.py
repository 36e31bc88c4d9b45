"""TLS on the broker's listener, as docs/operations.md describes it: a generated test CA, a TLS listener, and
clients that trust that CA connect (provisioning too); clients that do not trust it, or talk plain MQTT, fail."""

from __future__ import annotations

import queue
import ssl
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hub.devices.dynsec import Dynsec
from hub.devices.registry import Registry
from hub.services.mosquitto import Mosquitto
from hub.services.process import free_port
from hub.settings import MqttAddress, parse_mqtt_url

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make-test-ca.sh"


@pytest.fixture
def tls_broker(tmp_path: Path) -> Iterator[tuple[Mosquitto, int, Path]]:
    ca = tmp_path / "ca"
    subprocess.run(["sh", str(SCRIPT), str(ca), "127.0.0.1"], check=True, capture_output=True, timeout=60)
    tls_port = free_port()
    extra = (f"listener {tls_port} 127.0.0.1\ncafile {ca}/ca.crt\ncertfile {ca}/server.crt\n"
             f"keyfile {ca}/server.key\ntls_version tlsv1.2\n")
    with Mosquitto(tmp_path / "mosquitto", secured=True, extra_conf=extra) as broker:
        yield broker, tls_port, ca


def _connect(port: int, user: str | None, password: str | None, client_id: str, ca: Path | None) -> str:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311)
    if user:
        client.username_pw_set(user, password)
    if ca is not None:
        client.tls_set(ca_certs=str(ca), tls_version=ssl.PROTOCOL_TLS_CLIENT)
    answer: queue.Queue[str] = queue.Queue()
    client.on_connect = lambda c, u, f, rc, p: answer.put(str(rc))
    try:
        client.connect("127.0.0.1", port, keepalive=10)
    except (OSError, ssl.SSLError) as exc:
        return f"failed: {type(exc).__name__}: {exc}"
    client.loop_start()
    try:
        return answer.get(timeout=10)
    except queue.Empty:
        return "failed: no CONNACK"
    finally:
        client.disconnect()
        client.loop_stop()


def test_clients_trusting_the_test_ca_connect_over_tls_and_provision(tls_broker: tuple[Mosquitto, int, Path],
                                                                     tmp_path: Path) -> None:
    broker, tls_port, ca = tls_broker
    admin = parse_mqtt_url(broker.admin_url)
    over_tls = MqttAddress("127.0.0.1", tls_port, admin.user, admin.password)
    with Dynsec(over_tls, tls_ca=str(ca / "ca.crt")) as control:
        assert control.get_client("cityhub")["username"] == "cityhub"
    with Registry(tmp_path / "hub" / "devices.sqlite", admin=admin) as registry:
        registry.add("water_meter", "esp32-devkitc", "Town hall")
        secret = registry.secret("wm-0001")
    assert _connect(tls_port, "wm-0001", secret, "wm-0001", ca / "ca.crt") == "Success"
    # the TLS listener is as strict as the plain one: no anonymous clients, no wrong passwords
    assert "authori" in _connect(tls_port, None, None, "anon", ca / "ca.crt").lower()
    assert "authori" in _connect(tls_port, "wm-0001", "wrong", "wm-0001", ca / "ca.crt").lower()


def test_a_client_that_does_not_trust_the_ca_or_speaks_plain_mqtt_is_not_let_in(
        tls_broker: tuple[Mosquitto, int, Path], tmp_path: Path) -> None:
    broker, tls_port, _ = tls_broker
    hub = parse_mqtt_url(broker.hub_url)
    other = tmp_path / "other-ca"
    subprocess.run(["sh", str(SCRIPT), str(other)], check=True, capture_output=True, timeout=60)
    result = _connect(tls_port, hub.user, hub.password, "hub-wrong-ca", other / "ca.crt")
    assert result.startswith("failed: SSL") and "CERTIFICATE_VERIFY_FAILED" in result, result
    plain = _connect(tls_port, hub.user, hub.password, "hub-plain", None)
    assert plain.startswith("failed"), plain


def test_cityhub_device_provisions_over_tls_with_an_mqtts_admin_url(tls_broker: tuple[Mosquitto, int, Path],
                                                                   tmp_path: Path) -> None:
    # the control API carries every new device password: `cityhub device` must be able to use the TLS listener
    from typer.testing import CliRunner

    from hub.cli.main import app
    broker, tls_port, ca = tls_broker
    admin = parse_mqtt_url(broker.admin_url)
    url = broker.admin_url.replace("mqtt://", "mqtts://").replace(f":{broker.port}", f":{tls_port}")
    env = {"CITYHUB_MQTT_ADMIN_URL": url, "CITYHUB_MQTT_CA_FILE": str(ca / "ca.crt"),
           "CITYHUB_DATA_DIR": str(tmp_path / "hub")}
    result = CliRunner().invoke(app, ["device", "add", "--kind", "smart_bin", "--board", "esp32-devkitc",
                                      "--site", "Market"], env=env)
    assert result.exit_code == 0 and "Added bin-0001" in result.stdout, result.stdout + result.stderr
    with Registry(tmp_path / "hub" / "devices.sqlite") as registry:
        secret = registry.secret("bin-0001")
    assert _connect(tls_port, "bin-0001", secret, "bin-0001", ca / "ca.crt") == "Success"

    # the same URL without the CA (the system's CAs do not know the test CA), and mqtts:// to the plain port:
    # one clear line each, no password
    for changes, needle in (({"CITYHUB_MQTT_CA_FILE": ""}, "TLS certificate"),
                            ({"CITYHUB_MQTT_ADMIN_URL": url.replace(f":{tls_port}", f":{broker.port}")},
                             "TLS port")):
        result = CliRunner().invoke(app, ["device", "rotate-credentials", "bin-0001"], env={**env, **changes})
        assert result.exit_code == 1 and needle in result.stderr, result.stdout + result.stderr
        assert str(admin.password) not in result.stdout + result.stderr


def test_the_hub_ingests_and_sends_commands_over_tls(tls_broker: tuple[Mosquitto, int, Path], tmp_path: Path) -> None:
    import json
    import time

    from hub.commands import CommandError, send_command
    from hub.pipeline import Hub
    from hub.settings import load_settings
    from hub.write.point import Encodable

    class Kept:   # the time-series store is not what this test is about: keep the points in memory
        name = "memory"

        def __init__(self) -> None:
            self.points: list[Encodable] = []

        def write(self, points: Sequence[Encodable]) -> None:
            self.points.extend(points)

        def close(self) -> None:
            pass

    broker, tls_port, ca = tls_broker
    hub_login = parse_mqtt_url(broker.hub_url)
    url = f"mqtts://{hub_login.user}:{hub_login.password}@127.0.0.1:{tls_port}"
    settings = load_settings(env={}, mqtt_url=url, mqtt_ca_file=str(ca / "ca.crt"), data_dir=tmp_path / "hub",
                             mqtt_admin_url=broker.admin_url)
    assert settings.mqtt.tls
    with Registry(settings.registry_path, admin=settings.mqtt_admin) as registry:
        registry.add("water_meter", "esp32-devkitc", "Town hall")
        secret = registry.secret("wm-0001")
    kept = Kept()
    with Hub(settings, writer=kept) as hub:
        assert hub.source.connected.wait(10), hub.source.last_error
        board = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="wm-0001", protocol=mqtt.MQTTv311)
        board.username_pw_set("wm-0001", secret)
        board.tls_set(ca_certs=str(ca / "ca.crt"), tls_version=ssl.PROTOCOL_TLS_CLIENT)
        board.connect("127.0.0.1", tls_port, keepalive=10)
        board.loop_start()
        status = {"v": 1, "kind": "water_meter", "id": "wm-0001", "ts": 1_795_132_800_000, "seq": 1, "q": [],
                  "data": {"state": "online", "fw": "0.1.0"}}
        board.publish("city/v1/wm-0001/status", json.dumps(status), qos=1).wait_for_publish(10)
        deadline = time.monotonic() + 10
        while hub.store.devices_online() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert hub.store.devices_online() == 1, "the board's status came in over TLS"
        board.disconnect()
        board.loop_stop()
    # commands go over TLS too; without the CA the broker's certificate is refused, said clearly
    with pytest.raises(CommandError, match="reply|answer|timed out|no reply"):
        send_command(settings.mqtt, "wm-0001", "ping", timeout_s=1, tls_ca=ca / "ca.crt")
    with pytest.raises(CommandError, match="cannot reach the broker"):
        send_command(settings.mqtt, "wm-0001", "ping", timeout_s=1)
