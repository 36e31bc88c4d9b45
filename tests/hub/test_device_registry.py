"""The device registry against a real secured mosquitto: each device its own login and topics; revoke and
rotate take effect on the broker at once; anonymous clients, spoofers and old passwords are refused."""

from __future__ import annotations

import json
import queue
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from hub.devices.dynsec import Dynsec, DynsecError, NotFound
from hub.devices.registry import Registry, RegistryError, UnknownDevice
from hub.services.mosquitto import Mosquitto
from hub.settings import MqttAddress, parse_mqtt_url

WAIT = 10.0


class Session:
    """A paho client logged in as someone; records what it receives, its suback codes and its disconnects."""

    def __init__(self, broker: Mosquitto, user: str | None, password: str | None, client_id: str) -> None:
        self.messages: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.subacks: queue.Queue[list[int]] = queue.Queue()
        self.connack: queue.Queue[str] = queue.Queue()
        self.dropped = threading.Event()
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311)
        if user is not None:
            self.client.username_pw_set(user, password)
        self.client.on_connect = lambda c, u, f, rc, p: self.connack.put(str(rc))
        self.client.on_message = lambda c, u, m: self.messages.put((m.topic, m.payload))
        self.client.on_subscribe = lambda c, u, mid, codes, p: self.subacks.put([code.value for code in codes])
        self.client.on_disconnect = lambda c, u, f, rc, p: self.dropped.set()
        self.client.connect(broker.host, broker.port, keepalive=30)
        self.client.loop_start()
        self.result = self.connack.get(timeout=WAIT)
        if self.result != "Success":
            self.close()

    @property
    def accepted(self) -> bool:
        return self.result == "Success"

    def subscribe(self, topic: str) -> int:
        """Subscribe and return the granted code (0-2 granted, 128 refused)."""
        self.client.subscribe(topic, 1)
        return self.subacks.get(timeout=WAIT)[0]

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload, qos=1).wait_for_publish(WAIT)

    def try_publish(self, topic: str, payload: bytes) -> None:
        """Publish where the broker may cut the session for it (it disconnects clients that publish where
        they may not): the message is sent, or the session is gone; either way the test goes on."""
        info = self.client.publish(topic, payload, qos=1)
        try:
            info.wait_for_publish(WAIT)
        except RuntimeError:
            assert self.dropped.is_set()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    with Mosquitto(tmp_path / "mosquitto", secured=True) as b:
        yield b


@pytest.fixture
def registry(broker: Mosquitto, tmp_path: Path) -> Iterator[Registry]:
    with Registry(tmp_path / "hub" / "devices.sqlite", admin=parse_mqtt_url(broker.admin_url)) as reg:
        yield reg


def hub_session(broker: Mosquitto, client_id: str = "hub-watch") -> Session:
    hub = parse_mqtt_url(broker.hub_url)
    return Session(broker, hub.user, hub.password, client_id)


def login(broker: Mosquitto, registry: Registry, device_id: str, client_id: str | None = None) -> Session:
    return Session(broker, device_id, registry.secret(device_id), client_id or device_id)


def wait_for(messages: queue.Queue[tuple[str, bytes]], payload: bytes) -> list[tuple[str, bytes]]:
    """Everything received up to and including `payload` (which must arrive)."""
    seen = []
    while True:
        item = messages.get(timeout=WAIT)
        seen.append(item)
        if item[1] == payload:
            return seen


# -- the "done when" checks -------------------------------------------------------------------------------
def test_anonymous_client_is_refused(broker: Mosquitto) -> None:
    session = Session(broker, None, None, "anonymous")
    assert not session.accepted and "authori" in session.result.lower()


def test_device_publishing_under_another_devices_id_is_refused(broker: Mosquitto, registry: Registry) -> None:
    registry.add("water_meter", "esp32-devkitc", "Town hall")
    registry.add("water_meter", "esp32-devkitc", "Library")
    hub = hub_session(broker)
    assert hub.subscribe("city/v1/+/+") == 1
    spoofer = login(broker, registry, "wm-0001")
    honest = login(broker, registry, "wm-0002")
    try:
        spoofer.try_publish("city/v1/wm-0002/tele", b"spoofed by wm-0001")
        honest.publish("city/v1/wm-0002/tele", b"wm-0002 own")
        seen = wait_for(hub.messages, b"wm-0002 own")
    finally:
        for s in (hub, spoofer, honest):
            s.close()
    assert all(payload != b"spoofed by wm-0001" for _, payload in seen)
    assert spoofer.dropped.wait(WAIT), "the broker let the spoofing board stay connected"


def test_revoked_device_cannot_connect_and_its_session_is_cut_at_once(broker: Mosquitto, registry: Registry) -> None:
    registry.add("water_meter", "esp32-devkitc", "Pool")
    secret = registry.secret("wm-0001")
    connected = login(broker, registry, "wm-0001")
    assert connected.accepted
    registry.revoke("wm-0001")
    assert connected.dropped.wait(WAIT), "the revoked device's open session was not cut"
    connected.close()
    again = Session(broker, "wm-0001", secret, "wm-0001")
    assert not again.accepted and "authori" in again.result.lower()
    assert registry.get("wm-0001").state == "revoked"
    with pytest.raises(RegistryError, match="revoked"):
        registry.secret("wm-0001")
    with pytest.raises(RegistryError, match="already revoked"):
        registry.revoke("wm-0001")
    with pytest.raises(RegistryError, match="revoked"):
        registry.rotate("wm-0001")


def test_after_rotation_the_old_secret_no_longer_works(broker: Mosquitto, registry: Registry) -> None:
    registry.add("smart_bin", "esp32-c3-devkitm-1", "Market square")
    old = registry.secret("bin-0001")
    session = login(broker, registry, "bin-0001")
    assert session.accepted
    registry.rotate("bin-0001")
    new = registry.secret("bin-0001")
    assert new != old
    assert session.dropped.wait(WAIT), "the session opened with the old password was not cut"
    session.close()
    stale = Session(broker, "bin-0001", old, "bin-0001")
    assert not stale.accepted and "authori" in stale.result.lower()
    fresh = Session(broker, "bin-0001", new, "bin-0001")
    assert fresh.accepted
    fresh.close()


# -- the rest of each role ---------------------------------------------------------------------------------
def test_device_reads_only_its_own_commands(broker: Mosquitto, registry: Registry) -> None:
    registry.add("water_meter", "esp32-devkitc", "Depot")
    registry.add("water_meter", "esp32-devkitc", "Depot annex")
    dev = login(broker, registry, "wm-0001")
    try:
        assert dev.subscribe("city/v1/wm-0001/cmd") == 1
        assert dev.subscribe("city/v1/wm-0002/cmd") == 128
        assert dev.subscribe("city/v1/+/tele") == 128
        assert dev.subscribe("#") == 128
        hub = hub_session(broker, "hub-cmd")
        hub.publish("city/v1/wm-0002/cmd", b"for wm-0002")
        hub.publish("city/v1/wm-0001/cmd", b"for wm-0001")
        hub.close()
        assert wait_for(dev.messages, b"for wm-0001") == [("city/v1/wm-0001/cmd", b"for wm-0001")]
    finally:
        dev.close()


def test_device_cannot_take_another_devices_client_id(broker: Mosquitto, registry: Registry) -> None:
    registry.add("water_meter", "esp32-devkitc", "A")
    registry.add("water_meter", "esp32-devkitc", "B")
    victim = login(broker, registry, "wm-0002")
    intruder = login(broker, registry, "wm-0001", client_id="wm-0002")
    assert victim.accepted and not intruder.accepted
    assert not victim.dropped.is_set(), "the intruder's attempt kicked the real board off"
    victim.close()


def test_park_lights_share_only_their_own_groups_presence(broker: Mosquitto, registry: Registry) -> None:
    registry.add("park_light", "esp32-devkitc", "Park north", group="north")
    registry.add("park_light", "esp32-devkitc", "Park north", group="north")
    registry.add("park_light", "esp32-devkitc", "Park south", group="south")
    a, b, c = (login(broker, registry, f"light-000{n}") for n in (1, 2, 3))
    try:
        assert b.subscribe("city/v1/group/north/presence") == 1
        assert c.subscribe("city/v1/group/north/presence") == 128
        assert c.subscribe("city/v1/group/south/presence") == 1
        a.publish("city/v1/group/north/presence", b"motion")
        assert wait_for(b.messages, b"motion") == [("city/v1/group/north/presence", b"motion")]
        c.try_publish("city/v1/group/north/presence", b"south light in the north group")
        a.publish("city/v1/group/north/presence", b"second")
        assert wait_for(b.messages, b"second") == [("city/v1/group/north/presence", b"second")]
    finally:
        for s in (a, b, c):
            s.close()


def test_a_counter_with_a_group_may_only_publish_presence_to_that_group(broker: Mosquitto,
                                                                       registry: Registry) -> None:
    registry.add("park_light", "esp32-devkitc", "Park north", group="north")
    registry.add("park_light", "esp32-devkitc", "Park south", group="south")
    counter = registry.add("pedestrian_counter", "esp32-devkitc", "North gate", group="north")
    plain = registry.add("pedestrian_counter", "esp32-devkitc", "Bridge")
    assert (counter.id, counter.group, plain.group) == ("ped-0001", "north", None)
    north, south = login(broker, registry, "light-0001"), login(broker, registry, "light-0002")
    ped = login(broker, registry, "ped-0001")
    try:
        assert north.subscribe("city/v1/group/north/presence") == 1
        assert south.subscribe("city/v1/group/south/presence") == 1
        assert ped.subscribe("city/v1/group/north/presence") == 128, "a counter only tells, it does not listen"
        ped.client.publish("city/v1/group/north/presence", b"passage", qos=0).wait_for_publish(WAIT)   # as the board
        assert wait_for(north.messages, b"passage") == [("city/v1/group/north/presence", b"passage")]
        ped.try_publish("city/v1/group/south/presence", b"north counter in the south group")
        south.publish("city/v1/group/south/presence", b"south marker")
        assert wait_for(south.messages, b"south marker") == [("city/v1/group/south/presence", b"south marker")]
    finally:
        for s in (north, south, ped):
            s.close()
    other = login(broker, registry, "ped-0002")
    watcher = login(broker, registry, "light-0001")
    try:
        assert watcher.subscribe("city/v1/group/north/presence") == 1
        other.try_publish("city/v1/group/north/presence", b"counter without a group")
        watcher.publish("city/v1/group/north/presence", b"north marker")
        assert wait_for(watcher.messages, b"north marker") == [("city/v1/group/north/presence", b"north marker")]
    finally:
        for s in (other, watcher):
            s.close()


def test_a_counters_group_reaches_its_config_and_the_fleet_provisions_it(registry: Registry) -> None:
    registry.add("pedestrian_counter", "esp32-devkitc", "North gate", group="park-north")
    cfg = registry.device_config("ped-0001", "city-iot", "pw", "broker.city", app={"light_pole": -1})
    assert cfg["app"] == {"light_pole": -1, "light_group": "park-north"}, cfg["app"]
    credentials = registry.fleet_credentials()
    credentials({"device_id": "ped-0002", "kind": "pedestrian_counter", "app": {"light_group": "south"}})
    credentials({"device_id": "ped-0003", "kind": "pedestrian_counter", "app": {"light_group": ""}})
    credentials({"device_id": "light-0001", "kind": "park_light", "app": {"group": "south", "pole": 0}})
    assert [(d.id, d.group) for d in registry.list()] == [
        ("light-0001", "south"), ("ped-0001", "park-north"), ("ped-0002", "south"), ("ped-0003", None)]


def test_hub_reads_device_channels_through_shared_subscriptions_but_cannot_publish_telemetry(
        broker: Mosquitto, registry: Registry) -> None:
    registry.add("pedestrian_counter", "esp32-devkitc", "Bridge")
    hub = hub_session(broker)
    forger = hub_session(broker, "hub-forger")
    dev = login(broker, registry, "ped-0001")
    try:
        assert hub.subscribe("$share/hubs/city/v1/+/tele") == 1
        assert forger.subscribe("$CONTROL/dynamic-security/#") == 128
        forger.try_publish("city/v1/ped-0001/tele", b"forged by the hub login")
        dev.publish("city/v1/ped-0001/tele", b"real")
        seen = wait_for(hub.messages, b"real")
        assert all(p != b"forged by the hub login" for _, p in seen)
    finally:
        for s in (hub, forger, dev):
            s.close()


# -- registry behaviour -----------------------------------------------------------------------------------
def test_ids_are_per_kind_next_free_number(registry: Registry) -> None:
    ids = [registry.add(kind, "esp32-devkitc", "Site", group="g1" if kind == "park_light" else None).id
           for kind in ("water_meter", "smart_bin", "water_meter", "pedestrian_counter", "park_light")]
    assert ids == ["wm-0001", "bin-0001", "wm-0002", "ped-0001", "light-0001"]
    assert registry.add("water_meter", "esp32-devkitc", "X", device_id="wm-0042").id == "wm-0042"
    assert registry.add("water_meter", "esp32-devkitc", "Y").id == "wm-0043"
    assert [d.id for d in registry.list(kind="water_meter")] == ["wm-0001", "wm-0002", "wm-0042", "wm-0043"]
    assert all(d.state == "provisioned" for d in registry.list())


@pytest.mark.parametrize(("args", "needle"), [
    ({"kind": "coffee_machine"}, "unknown device kind 'coffee_machine'; kinds: water_meter"),
    ({"board": "arduino-uno"}, "unknown board 'arduino-uno'; boards: "),
    ({"site": "  "}, "--site must name"),
    ({"lat": 48.1}, "give both --lat and --lon"),
    ({"lat": 95.0, "lon": 10.0}, "is not a latitude"),
    ({"kind": "park_light"}, "needs --group"),
    ({"kind": "park_light", "group": "a/#"}, "group 'a/#' must be"),
    ({"kind": "park_light", "group": "north\n"}, "must be 1-32 of"),
    ({"group": "north"}, "--group is only for park_light, pedestrian_counter"),
    ({"kind": "pedestrian_counter", "group": "a/#"}, "group 'a/#' must be"),
    ({"device_id": "bin-0001"}, "must look like wm-0001"),
])
def test_bad_add_requests_are_refused_with_a_reason_and_leave_nothing_behind(
        registry: Registry, args: dict[str, object], needle: str) -> None:
    request: dict[str, object] = {"kind": "water_meter", "board": "esp32-devkitc", "site": "Town hall", **args}
    with pytest.raises(RegistryError, match=None) as err:
        registry.add(**request)  # type: ignore[arg-type]
    assert needle in str(err.value)
    assert registry.list() == []


def test_unknown_device_is_a_clear_error(registry: Registry) -> None:
    for call in (registry.get, registry.revoke, registry.rotate, registry.secret):
        with pytest.raises(UnknownDevice, match="no device 'wm-0099' in the registry"):
            call("wm-0099")


def test_secrets_live_only_in_a_0600_file_and_the_broker_keeps_only_a_hash(
        broker: Mosquitto, registry: Registry) -> None:
    registry.add("water_meter", "esp32-devkitc", "Town hall")
    secret = registry.secret("wm-0001")
    assert len(secret) >= 40
    for path in (registry.secrets.path, broker.dynsec_path, broker.credentials_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert secret.encode() not in registry.path.read_bytes()
    assert secret not in broker.dynsec_path.read_text()
    assert secret not in broker.log_since_start()
    assert json.loads(registry.secrets.path.read_text()) == {"wm-0001": secret}


def test_registry_rolls_back_when_the_broker_refuses(broker: Mosquitto, registry: Registry) -> None:
    with Dynsec(parse_mqtt_url(broker.admin_url)) as admin:   # a login of that name made by someone else
        admin.create_client("wm-0001", "not ours", [])
    with pytest.raises(DynsecError, match="broker refused createClient 'wm-0001': Client already exists"):
        registry.add("water_meter", "esp32-devkitc", "Town hall")
    assert registry.list() == []
    assert registry.secrets.get("wm-0001") is None
    with Dynsec(parse_mqtt_url(broker.admin_url)) as admin, pytest.raises(NotFound):
        admin.execute("getRole", rolename="device-wm-0001")   # the role made for it was taken back


def test_a_failure_after_the_broker_said_yes_takes_the_login_back(broker: Mosquitto, registry: Registry,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # the broker made the login, then the secrets file could not be written (disk full): nothing may be left on
    # the broker, or every later `add` of the kind would be refused with "Client already exists"
    def disk_full(device_id: str, secret: str) -> None:
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(registry.secrets, "put", disk_full)
    with pytest.raises(OSError, match="No space left"):
        registry.add("water_meter", "esp32-devkitc", "Town hall")
    assert registry.list() == []
    with Dynsec(parse_mqtt_url(broker.admin_url)) as admin:
        for what in ({"username": "wm-0001"}, {"rolename": "device-wm-0001"}):
            with pytest.raises(NotFound):
                admin.execute("getClient" if "username" in what else "getRole", **what)
    monkeypatch.undo()
    assert registry.add("water_meter", "esp32-devkitc", "Town hall").id == "wm-0001"
    assert login(broker, registry, "wm-0001").accepted


def test_secrets_file_keeps_every_password_when_two_writers_update_it_at_once(tmp_path: Path) -> None:
    # two processes (e.g. `cityhub device rotate-credentials` and a `cityhub simulate` adding boards) each
    # read-modify-write the file: none may lose the other's update
    from hub.devices.secrets import SecretStore
    path = tmp_path / "hub" / "device-secrets.json"
    stores = [SecretStore(path), SecretStore(path)]   # separate objects: no shared in-process lock
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(40):
                stores[n].put(f"wm-{n}{i:03d}", f"secret-{n}-{i}")
        except BaseException as exc:   # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [threading.Thread(target=writer, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(json.loads(path.read_text())) == 80
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")) == [], "no temporary file left"


def test_provisioning_without_admin_login_or_with_a_wrong_one_fails_clearly(broker: Mosquitto, tmp_path: Path) -> None:
    with Registry(tmp_path / "a" / "devices.sqlite") as reg, pytest.raises(RegistryError, match="CITYHUB_MQTT_ADMIN_URL"):
        reg.add("water_meter", "esp32-devkitc", "Town hall")
    wrong = MqttAddress(broker.host, broker.port, "cityhub-admin", "wrong")
    with Registry(tmp_path / "b" / "devices.sqlite", admin=wrong) as reg:
        with pytest.raises(DynsecError, match="refused the admin login 'cityhub-admin'"):
            reg.add("water_meter", "esp32-devkitc", "Town hall")
        assert reg.list() == []
    hub = parse_mqtt_url(broker.hub_url)   # a real login without rights on the control API
    with (Registry(tmp_path / "c" / "devices.sqlite", admin=hub, broker_timeout_s=2) as reg,
          pytest.raises(DynsecError, match="not allowed to read the control API|did not answer")):
        reg.add("water_meter", "esp32-devkitc", "Town hall")


def test_provisioning_with_the_broker_down_fails_clearly(tmp_path: Path) -> None:
    from hub.services.process import free_port
    down = MqttAddress("127.0.0.1", free_port(), "cityhub-admin", "x")
    with Registry(tmp_path / "devices.sqlite", admin=down) as reg:
        with pytest.raises(DynsecError, match=r"cannot reach the broker at 127.0.0.1:\d+"):
            reg.add("water_meter", "esp32-devkitc", "Town hall")
        assert reg.list() == []


def test_device_config_carries_the_devices_own_login(registry: Registry) -> None:
    registry.add("park_light", "esp32-c3-devkitm-1", "Park north", 48.2, 16.37, group="north")
    cfg = registry.device_config("light-0001", "city-iot", "wifi-pass", "broker.city", 8883,
                                 app={"dim_percent": 20})
    assert cfg["device_id"] == "light-0001" and cfg["kind"] == "park_light" and cfg["board"] == "esp32-c3-devkitm-1"
    assert cfg["mqtt"] == {"host": "broker.city", "port": 8883, "user": "light-0001",
                           "password": registry.secret("light-0001")}
    assert cfg["wifi"] == {"ssid": "city-iot", "password": "wifi-pass"}
    assert cfg["app"] == {"dim_percent": 20, "group": "north", "lat": 48.2, "lon": 16.37}, "sun from its position"
    assert cfg["position"] == {"site": "Park north", "lat": 48.2, "lon": 16.37}
    registry.add("park_light", "esp32-c3-devkitm-1", "Lisbon test pole", 38.7, -9.14, group="west")
    cfg = registry.device_config("light-0002", "city-iot", "wifi-pass", "broker.city", 1883, app={"lat": 38.0})
    assert cfg["app"]["lat"] == 38.0 and round(cfg["app"]["lon"], 2) == 350.86, ("given wins; west as 360-x", cfg)


def test_seen_devices_become_active(registry: Registry) -> None:
    registry.add("water_meter", "esp32-devkitc", "Town hall")
    registry.add("water_meter", "esp32-devkitc", "Library")
    registry.revoke("wm-0002")
    registry.note_seen([("wm-0001", "0.3.0", 1795132800000), ("wm-0002", "0.3.0", 1795132800000),
                        ("wm-0404", "0.1.0", 1)])
    assert registry.get("wm-0001").state == "active" and registry.get("wm-0001").firmware == "0.3.0"
    assert registry.get("wm-0002").state == "revoked"
    assert [d.id for d in registry.list(state="active")] == ["wm-0001"]
    assert [d.id for d in registry.list(site="LIBR")] == ["wm-0002"]


def test_secured_broker_config_refuses_anonymous_and_loads_the_plugin(broker: Mosquitto) -> None:
    lines = broker.conf_path.read_text().splitlines()
    assert "allow_anonymous false" in lines and "allow_anonymous true" not in lines
    assert any(line.startswith("plugin ") and line.endswith("mosquitto_dynamic_security.so") for line in lines)
    assert f"plugin_opt_config_file {broker.dynsec_path}" in lines
    config = json.loads(broker.dynsec_path.read_text())
    assert config["defaultACLAccess"] == {"publishClientSend": False, "publishClientReceive": False,
                                          "subscribe": False, "unsubscribe": True}
    assert broker.url == f"mqtt://127.0.0.1:{broker.port}", "the plain URL carries no password"


def test_broker_restart_keeps_provisioned_devices(broker: Mosquitto, registry: Registry) -> None:
    registry.add("water_meter", "esp32-devkitc", "Town hall")
    broker.restart()
    session = login(broker, registry, "wm-0001")
    assert session.accepted
    session.close()


def test_a_secrets_file_others_can_read_is_refused_with_what_to_do(broker: Mosquitto, registry: Registry) -> None:
    registry.add("water_meter", "esp32-devkitc", "Town hall")
    registry.secrets.path.chmod(0o644)   # e.g. restored from a backup without its mode
    with pytest.raises(ValueError, match=r"can be read by other users \(mode 644\): run `chmod 600 .*`"):
        registry.secret("wm-0001")
    with pytest.raises(ValueError, match="can be read by other users"):
        registry.add("water_meter", "esp32-devkitc", "Library")
    assert [d.id for d in registry.list()] == ["wm-0001"], "nothing half-registered"
    registry.secrets.path.chmod(0o600)
    assert registry.add("water_meter", "esp32-devkitc", "Library").id == "wm-0002"
