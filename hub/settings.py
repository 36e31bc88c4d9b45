"""Hub configuration: a TOML file, then environment variables (CITYHUB_*) on top.

Environment: CITYHUB_MQTT_URL (mqtt://[user:pass@]host:port), CITYHUB_INFLUX_URL, CITYHUB_INFLUX_DB (v1),
CITYHUB_INFLUX_ORG / CITYHUB_INFLUX_BUCKET / CITYHUB_INFLUX_TOKEN (v2), CITYHUB_INFLUX_USERNAME /
CITYHUB_INFLUX_PASSWORD (v1 auth), CITYHUB_DATA_DIR, CITYHUB_SHARED_GROUP, CITYHUB_MQTT_ADMIN_URL (the broker's
provisioning login, mqtt://admin:pass@host:port or mqtts:// for TLS, used by `cityhub device`),
CITYHUB_MQTT_CA_FILE (the CA that signed the broker's certificate, for mqtts://; default: the system's CAs). The TOML file uses the same names
in lower case without the prefix (e.g. `mqtt_url = "mqtt://127.0.0.1:1883"`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class SettingsError(ValueError):
    """The configuration is unusable; the message says what to fix."""


@dataclass(frozen=True)
class MqttAddress:
    host: str
    port: int
    user: str | None
    password: str | None
    tls: bool = False   # mqtts://: TLS, the broker's certificate checked against `mqtt_ca_file` (or the system's CAs)


def redacted_url(url: str) -> str:
    """The URL as a message or a log may show it: a password is replaced by ***.

    Works on the raw text, not on a parsed URL: a password with an unencoded `/`, `?` or `#` (which a parser
    takes for the start of the path) is still hidden. Everything between `://` and the last `@` except the
    user name is the password.
    """
    scheme, sep, rest = url.partition("://")
    at = rest.rfind("@")
    if not sep or at < 0:
        return url
    user, colon, _ = rest[:at].partition(":")
    return f"{scheme}://{user}:***@{rest[at + 1:]}" if colon else url


_redacted = redacted_url


def parse_mqtt_url(url: str, tls_allowed: bool = False) -> MqttAddress:
    """host, port and login of an MQTT URL; `mqtts://` (TLS) only where the caller can speak TLS."""
    userinfo = url.partition("://")[2].rpartition("@")[0]
    if any(c in userinfo for c in "/?#"):
        raise SettingsError(f"MQTT URL {_redacted(url)!r}: a user name or password with / ? or # must be written "
                            "percent-encoded (%2F, %3F, %23)")
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise SettingsError(f"MQTT URL {_redacted(url)!r} must look like mqtt://[user:pass@]host:port"
                            + (" (or mqtts:// for TLS)" if tls_allowed else ""))
    if parts.scheme == "mqtts" and not tls_allowed:
        raise SettingsError(f"MQTT URL {_redacted(url)!r} must look like mqtt://[user:pass@]host:port: "
                            "this connection does not speak TLS")
    tls = parts.scheme == "mqtts"
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError:
        raise SettingsError(f"MQTT URL {_redacted(url)!r} has an invalid port") from None
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return MqttAddress(parts.hostname, port, user, password, tls)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mqtt_url: str = "mqtt://127.0.0.1:1883"
    mqtt_client_id: str = "cityhub"
    mqtt_admin_url: str | None = None
    mqtt_ca_file: Path | None = None
    shared_group: str | None = None
    influx_url: str = "http://127.0.0.1:8086"
    influx_db: str | None = "city"
    influx_username: str | None = None
    influx_password: str | None = None
    influx_org: str | None = None
    influx_bucket: str | None = None
    influx_token: str | None = None
    data_dir: Path = Path(".cityhub")
    max_message_bytes: int = Field(16 * 1024, gt=0)
    buffer_max_rows: int = Field(2_000_000, gt=0)
    write_batch: int = Field(5000, gt=0)

    @field_validator("mqtt_url")
    @classmethod
    def _mqtt(cls, value: str) -> str:
        parse_mqtt_url(value, tls_allowed=True)
        return value

    @field_validator("mqtt_admin_url")
    @classmethod
    def _mqtt_admin(cls, value: str | None) -> str | None:
        if value:
            parse_mqtt_url(value, tls_allowed=True)
        return value or None

    @field_validator("mqtt_ca_file", mode="before")
    @classmethod
    def _ca_file(cls, value: object) -> object:
        if value is None or value == "":
            return None
        path = Path(str(value))
        if not path.is_file():
            raise SettingsError(f"the broker's CA file {path} does not exist (or is not a file)")
        return path

    @property
    def mqtt(self) -> MqttAddress:
        """The hub's own login; `mqtts://` = TLS, the broker's certificate checked against `mqtt_ca_file`."""
        return parse_mqtt_url(self.mqtt_url, tls_allowed=True)

    @property
    def mqtt_admin(self) -> MqttAddress | None:
        """The broker's provisioning login (dynamic-security control API), if configured."""
        return parse_mqtt_url(self.mqtt_admin_url, tls_allowed=True) if self.mqtt_admin_url else None

    @property
    def writer_kind(self) -> str:
        """v2 when org, bucket and token are given; v1 otherwise."""
        return "influx_v2" if self.influx_org and self.influx_bucket and self.influx_token else "influx_v1"

    def writer_options(self) -> dict[str, Any]:
        if self.writer_kind == "influx_v2":
            return {"url": self.influx_url, "org": self.influx_org, "bucket": self.influx_bucket,
                    "token": self.influx_token}
        if not self.influx_db:
            raise SettingsError("set CITYHUB_INFLUX_DB (InfluxDB 1.x) or ORG/BUCKET/TOKEN (InfluxDB 2.x/3.x)")
        return {"url": self.influx_url, "database": self.influx_db, "username": self.influx_username,
                "password": self.influx_password}

    @property
    def store_path(self) -> Path:
        return self.data_dir / "hub.sqlite3"

    @property
    def registry_path(self) -> Path:
        return self.data_dir / "devices.sqlite"


def load_settings(path: Path | None = None, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    path = path or (Path(env["CITYHUB_CONFIG"]) if env.get("CITYHUB_CONFIG") else None)
    if path is not None:
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise SettingsError(f"config file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(f"config file {path} cannot be read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"config file {path} is not valid TOML: {exc}") from None
    for name in Settings.model_fields:
        key = "CITYHUB_" + name.upper()
        if key in env:
            values[name] = env[key]
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise SettingsError(f"invalid hub settings: {problems}") from None
