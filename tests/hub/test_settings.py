"""hub.settings: TOML file, then CITYHUB_* environment, then explicit overrides; MQTT URLs; writer choice.

Every test passes its own `env` so the real environment of the test run cannot leak in (except the one
test that checks os.environ is the default).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.settings import MqttAddress, Settings, SettingsError, load_settings, parse_mqtt_url


def toml(tmp_path: Path, text: str, name: str = "hub.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- sources and precedence -----------------------------------------------------------------------------

def test_defaults_without_file_or_environment() -> None:
    s = load_settings(env={})
    assert s == Settings.model_validate({})
    assert s.mqtt == MqttAddress("127.0.0.1", 1883, None, None)
    assert (s.influx_db, s.writer_kind, s.data_dir) == ("city", "influx_v1", Path(".cityhub"))
    assert s.store_path == Path(".cityhub") / "hub.sqlite3"


def test_toml_file_values_are_used(tmp_path: Path) -> None:
    path = toml(tmp_path, """
mqtt_url = "mqtt://broker.example:1884"
influx_url = "http://influx.example:8086"
influx_db = "water"
data_dir = "/var/lib/cityhub"
write_batch = 250
max_message_bytes = 4096
shared_group = "hubs"
""")
    s = load_settings(path, env={})
    assert s.mqtt == MqttAddress("broker.example", 1884, None, None)
    assert (s.influx_url, s.influx_db, s.shared_group) == ("http://influx.example:8086", "water", "hubs")
    assert (s.data_dir, s.write_batch, s.max_message_bytes) == (Path("/var/lib/cityhub"), 250, 4096)
    assert s.store_path == Path("/var/lib/cityhub/hub.sqlite3")
    assert s.buffer_max_rows == Settings.model_fields["buffer_max_rows"].default   # not in the file


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = toml(tmp_path, 'mqtt_url = "mqtt://file-broker:1883"\ninflux_db = "from_file"\nwrite_batch = 250\n')
    env = {"CITYHUB_MQTT_URL": "mqtt://env-broker:2883", "CITYHUB_WRITE_BATCH": "99",
           "CITYHUB_DATA_DIR": str(tmp_path / "env-data"), "OTHER_VAR": "ignored", "cityhub_influx_db": "lower"}
    s = load_settings(path, env=env)
    assert s.mqtt.host == "env-broker" and s.mqtt.port == 2883
    assert s.write_batch == 99                          # environment strings are converted
    assert s.data_dir == tmp_path / "env-data"
    assert s.influx_db == "from_file"                   # only upper-case CITYHUB_* names count


def test_explicit_overrides_beat_environment_and_file(tmp_path: Path) -> None:
    path = toml(tmp_path, 'mqtt_url = "mqtt://file-broker"\ndata_dir = "file-data"\n')
    env = {"CITYHUB_MQTT_URL": "mqtt://env-broker", "CITYHUB_DATA_DIR": "env-data"}
    s = load_settings(path, env=env, mqtt_url="mqtt://cli-broker:1999", data_dir=None)
    assert (s.mqtt.host, s.mqtt.port) == ("cli-broker", 1999)
    assert s.data_dir == Path("env-data")               # an override of None means "not given"


def test_config_path_from_environment(tmp_path: Path) -> None:
    path = toml(tmp_path, 'influx_db = "from_env_path"\n')
    assert load_settings(env={"CITYHUB_CONFIG": str(path)}).influx_db == "from_env_path"
    other = toml(tmp_path, 'influx_db = "explicit"\n', "other.toml")
    assert load_settings(other, env={"CITYHUB_CONFIG": str(path)}).influx_db == "explicit"


def test_os_environ_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYHUB_INFLUX_DB", "from_os_environ")
    monkeypatch.delenv("CITYHUB_CONFIG", raising=False)
    assert load_settings().influx_db == "from_os_environ"


# --- MQTT URLs ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "expected"), [
    ("mqtt://broker", MqttAddress("broker", 1883, None, None)),
    ("mqtt://10.0.0.5:8883", MqttAddress("10.0.0.5", 8883, None, None)),
    ("mqtt://hub:s3cret@broker:1884", MqttAddress("broker", 1884, "hub", "s3cret")),
    ("mqtt://hub%40city:p%40ss%3Aw%2Frd%25@broker:1884", MqttAddress("broker", 1884, "hub@city", "p@ss:w/rd%")),
    ("mqtt://hub@broker", MqttAddress("broker", 1883, "hub", None)),
    ("mqtt://[::1]:1883", MqttAddress("::1", 1883, None, None)),
])
def test_mqtt_url_parsing(url: str, expected: MqttAddress) -> None:
    assert parse_mqtt_url(url) == expected
    assert load_settings(env={"CITYHUB_MQTT_URL": url}).mqtt == expected


def test_url_encoded_credentials_from_toml(tmp_path: Path) -> None:
    path = toml(tmp_path, 'mqtt_url = "mqtt://ingest:a%20b%23c@broker.example"\n')
    assert load_settings(path, env={}).mqtt == MqttAddress("broker.example", 1883, "ingest", "a b#c")


@pytest.mark.parametrize(("url", "needle"), [
    ("http://broker:1883", "must look like mqtt://[user:pass@]host:port"),
    ("broker:1883", "must look like mqtt://[user:pass@]host:port"),
    ("mqtt://", "must look like mqtt://[user:pass@]host:port"),
    ("mqtt://:1883", "must look like mqtt://[user:pass@]host:port"),
    ("", "must look like mqtt://[user:pass@]host:port"),
    ("mqtt://broker:notaport", "has an invalid port"),
    ("mqtt://broker:70000", "has an invalid port"),
])
def test_bad_mqtt_url_is_a_settings_error(url: str, needle: str) -> None:
    with pytest.raises(SettingsError) as direct:
        parse_mqtt_url(url)
    assert needle in str(direct.value) and repr(url) in str(direct.value)
    with pytest.raises(SettingsError) as loaded:
        load_settings(env={"CITYHUB_MQTT_URL": url})
    message = str(loaded.value)
    assert message.startswith("invalid hub settings: mqtt_url: ") and needle in message, message


def test_bad_mqtt_url_error_does_not_show_the_password(tmp_path: Path) -> None:
    for url in ("mqtt://hub:s3cret@broker:notaport", "http://hub:s3cret@broker:1883"):
        with pytest.raises(SettingsError) as exc:
            load_settings(env={"CITYHUB_MQTT_URL": url})
        assert "s3cret" not in str(exc.value) and "hub:***@broker" in str(exc.value), str(exc.value)


# --- writer choice --------------------------------------------------------------------------------------

def test_writer_v1_by_default_with_optional_auth() -> None:
    s = load_settings(env={"CITYHUB_INFLUX_URL": "http://influx:8086", "CITYHUB_INFLUX_DB": "water",
                           "CITYHUB_INFLUX_USERNAME": "writer", "CITYHUB_INFLUX_PASSWORD": "pw"})
    assert s.writer_kind == "influx_v1"
    assert s.writer_options() == {"url": "http://influx:8086", "database": "water", "username": "writer",
                                  "password": "pw"}


def test_writer_v2_when_org_bucket_and_token_are_all_given(tmp_path: Path) -> None:
    path = toml(tmp_path, 'influx_org = "city"\ninflux_bucket = "water"\n')
    s = load_settings(path, env={"CITYHUB_INFLUX_TOKEN": "tok", "CITYHUB_INFLUX_URL": "http://influx2:8086"})
    assert s.writer_kind == "influx_v2"
    assert s.writer_options() == {"url": "http://influx2:8086", "org": "city", "bucket": "water", "token": "tok"}


@pytest.mark.parametrize("missing", ["influx_org", "influx_bucket", "influx_token"])
def test_writer_stays_v1_unless_all_v2_settings_are_given(missing: str) -> None:
    values: dict[str, str | None] = {"influx_org": "city", "influx_bucket": "water", "influx_token": "tok"}
    values[missing] = None   # an override of None means "not given"
    s = load_settings(env={}, influx_org=values["influx_org"], influx_bucket=values["influx_bucket"],
                      influx_token=values["influx_token"])
    assert s.writer_kind == "influx_v1"
    assert s.writer_options()["database"] == "city"


def test_v1_without_a_database_is_a_settings_error() -> None:
    s = load_settings(env={"CITYHUB_INFLUX_DB": ""})
    with pytest.raises(SettingsError, match="set CITYHUB_INFLUX_DB"):
        s.writer_options()


# --- unusable configuration -----------------------------------------------------------------------------

def test_missing_file_is_a_settings_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(SettingsError, match="does not exist") as exc:
        load_settings(missing, env={})
    assert str(missing) in str(exc.value)
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(env={"CITYHUB_CONFIG": str(missing)})


def test_unreadable_file_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings(tmp_path, env={})                          # a directory
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('influx_db = "w\xe4sser"\n'.encode("latin-1"))
    with pytest.raises(SettingsError, match="cannot be read"):
        load_settings(latin1, env={})


def test_invalid_toml_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="is not valid TOML"):
        load_settings(toml(tmp_path, "mqtt_url = mqtt://no-quotes\n"), env={})


def test_unknown_setting_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="mqtt_uri: Extra inputs are not permitted"):
        load_settings(toml(tmp_path, 'mqtt_uri = "mqtt://typo"\n'), env={})


@pytest.mark.parametrize(("env", "needle"), [
    ({"CITYHUB_WRITE_BATCH": "0"}, "write_batch: Input should be greater than 0"),
    ({"CITYHUB_BUFFER_MAX_ROWS": "lots"}, "buffer_max_rows: Input should be a valid integer"),
    ({"CITYHUB_MAX_MESSAGE_BYTES": "-1"}, "max_message_bytes: Input should be greater than 0"),
])
def test_invalid_value_is_a_settings_error_naming_the_setting(env: dict[str, str], needle: str) -> None:
    with pytest.raises(SettingsError, match="invalid hub settings") as exc:
        load_settings(env=env)
    assert needle in str(exc.value), str(exc.value)


def test_the_hub_may_reach_the_broker_over_tls() -> None:
    settings = load_settings(env={"CITYHUB_MQTT_URL": "mqtts://hub:secret@broker.city"})
    assert settings.mqtt == MqttAddress("broker.city", 8883, "hub", "secret", True)
    with pytest.raises(SettingsError, match="does not speak TLS"):
        parse_mqtt_url("mqtts://broker:8883")   # a caller without TLS refuses mqtts:// rather than ignore it
