"""The device registry: which boards the city has, where they are, and their broker logins.

`Registry(path)` is a SQLite file (`devices.sqlite` in the hub's data directory). Adding a device gives it the
next free id of its kind (`wm-0001`, `bin-0001`, `ped-0001`, `light-0001`), a CSPRNG password kept in a 0600
secrets file beside the database, and its own client and role on the broker (through the dynamic-security
control API, when the registry is given the broker's admin login). Revoking disables the broker client at
once (its session is cut); rotating sets a new password (the old one stops working, the session is cut).
`device_config()` builds the board's `config.json` for flashing.

States: provisioned (added, not yet seen), active (seen by the hub), revoked (cut off for good).
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from hub.devices import policy
from hub.devices.dynsec import Dynsec, DynsecError, NotFound
from hub.devices.secrets import SecretStore, new_secret
from hub.settings import MqttAddress

KIND_PREFIXES = {"water_meter": "wm", "smart_bin": "bin", "pedestrian_counter": "ped", "park_light": "light"}
KNOWN_BOARDS = ("esp32-devkitc", "esp32-c3-devkitm-1")
STATES = ("provisioned", "active", "revoked")
SUN_KINDS = ("park_light",)   # kinds whose app computes sunset and sunrise from its position (app lat/lon)
GROUP_KINDS = ("park_light",)   # kinds whose boards share a group presence topic (a group is required)
TELLS_GROUP_KINDS = ("pedestrian_counter",)   # may be given a group whose presence topic they only publish on
GROUP_SETTING = {"park_light": "group", "pedestrian_counter": "light_group"}   # the app setting holding it

SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    board TEXT NOT NULL,
    site TEXT NOT NULL,
    lat REAL,
    lon REAL,
    grp TEXT,
    firmware TEXT,
    state TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    last_seen_ms INTEGER,
    credentials_ms INTEGER NOT NULL,
    UNIQUE (kind, seq)
);
"""


class RegistryError(ValueError):
    """A registry request cannot be done; the message says why and what to do."""


class UnknownDevice(RegistryError):
    """No device with that id is registered."""


@dataclass(frozen=True)
class Device:
    id: str
    kind: str
    board: str
    site: str
    lat: float | None
    lon: float | None
    group: str | None
    firmware: str | None
    state: str
    created_ms: int
    last_seen_ms: int | None
    credentials_ms: int

    @property
    def role(self) -> str:
        return policy.device_role(self.id)


def _now_ms() -> int:
    return int(time.time() * 1000)


def boards_known(boards_dir: Path | None = None) -> list[str]:
    """Board names: the built-in list plus every board definition file in boards/."""
    names = set(KNOWN_BOARDS)
    if boards_dir is not None and boards_dir.is_dir():
        names.update(p.stem for p in boards_dir.iterdir() if p.suffix in (".json", ".toml", ".py")
                     and not p.stem.startswith(("_", ".")))
    return sorted(names)


class Registry:
    """The device registry (SQLite) plus the device secrets file and, when `admin` is given, the broker."""

    def __init__(self, path: Path, admin: MqttAddress | None = None, secrets_path: Path | None = None,
                 boards_dir: Path | None = None, broker_timeout_s: float = 10.0, tls_ca: Path | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.secrets = SecretStore(secrets_path or self.path.with_name("device-secrets.json"))
        self.admin = admin
        self.boards_dir = boards_dir
        self.broker_timeout_s = broker_timeout_s
        self.tls_ca = tls_ca   # the CA of the broker's certificate (mqtts:// admin URL)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- broker ---------------------------------------------------------------------------
    @contextmanager
    def _broker(self) -> Iterator[Dynsec]:
        if self.admin is None:
            raise RegistryError("the broker's admin login is not configured: set CITYHUB_MQTT_ADMIN_URL "
                                "(mqtt://<admin user>:<password>@host:port) so devices can be provisioned")
        ca = str(self.tls_ca) if self.tls_ca is not None and self.admin.tls else None   # only for mqtts://
        with Dynsec(self.admin, timeout_s=self.broker_timeout_s, tls_ca=ca) as broker:
            yield broker

    # -- reading --------------------------------------------------------------------------
    _COLUMNS = "id, kind, board, site, lat, lon, grp, firmware, state, created_ms, last_seen_ms, credentials_ms"

    @staticmethod
    def _device(row: tuple[Any, ...]) -> Device:
        return Device(*row)

    def get(self, device_id: str) -> Device:
        with self._lock:
            row = self._db.execute(f"SELECT {self._COLUMNS} FROM devices WHERE id = ?", (device_id,)).fetchone()
        if row is None:
            raise UnknownDevice(f"no device {device_id!r} in the registry {self.path} "
                                "(see `cityhub device list`)")
        return self._device(row)

    def list(self, kind: str | None = None, state: str | None = None, site: str | None = None,
             board: str | None = None) -> list[Device]:
        """Devices in id order; `site` matches part of the site text, case-insensitively."""
        where, args = [], []
        if kind is not None:
            self._check_kind(kind)
            where.append("kind = ?")
            args.append(kind)
        if state is not None:
            if state not in STATES:
                raise RegistryError(f"unknown state {state!r}; states: {', '.join(STATES)}")
            where.append("state = ?")
            args.append(state)
        if board is not None:
            where.append("board = ?")
            args.append(board)
        if site is not None:
            where.append("instr(lower(site), lower(?)) > 0")
            args.append(site)
        sql = f"SELECT {self._COLUMNS} FROM devices"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY kind, seq", args).fetchall()
        return [self._device(r) for r in rows]

    def secret(self, device_id: str) -> str:
        """The device's current MQTT password (for flashing); an error for revoked devices."""
        device = self.get(device_id)
        if device.state == "revoked":
            raise RegistryError(f"device {device_id} is revoked; it has no credentials")
        secret = self.secrets.get(device_id)
        if secret is None:
            raise RegistryError(f"the password of {device_id} is not in {self.secrets.path}; "
                                f"run `cityhub device rotate-credentials {device_id}` to set a new one")
        return secret

    # -- changes --------------------------------------------------------------------------
    def _check_kind(self, kind: str) -> str:
        if kind not in KIND_PREFIXES:
            raise RegistryError(f"unknown device kind {kind!r}; kinds: {', '.join(KIND_PREFIXES)}")
        return KIND_PREFIXES[kind]

    def add(self, kind: str, board: str, site: str, lat: float | None = None, lon: float | None = None,
            group: str | None = None, device_id: str | None = None) -> Device:
        """Register a device under the next free id of its kind and give it its own broker login.

        `device_id` registers a given id instead (e.g. boards already labelled, or a simulated fleet); it must
        have the kind's prefix and be free.
        """
        prefix = self._check_kind(kind)
        wanted_seq = self._seq_of(device_id, prefix) if device_id is not None else None
        boards = boards_known(self.boards_dir)
        if board not in boards:
            raise RegistryError(f"unknown board {board!r}; boards: {', '.join(boards)}")
        if not site.strip():
            raise RegistryError("--site must name where the device is (street, building, park)")
        if (lat is None) != (lon is None):
            raise RegistryError("give both --lat and --lon, or neither")
        if lat is not None and lon is not None and not (
                math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise RegistryError(f"position {lat}, {lon} is not a latitude (-90..90) and longitude (-180..180)")
        if kind in GROUP_KINDS and not group:
            raise RegistryError(f"a {kind} needs --group (the lights that share presence, e.g. 'park-north')")
        if group and kind not in GROUP_KINDS + TELLS_GROUP_KINDS:
            raise RegistryError(f"--group is only for {', '.join(GROUP_KINDS + TELLS_GROUP_KINDS)} devices")
        if group:
            try:
                policy.check_group(group)
            except ValueError as exc:
                raise RegistryError(str(exc)) from None
        secret = new_secret()
        now = _now_ms()
        provisioned: str | None = None
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if wanted_seq is None:
                    (last,) = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM devices WHERE kind = ?",
                                               (kind,)).fetchone()
                    seq = int(last) + 1
                else:
                    seq = wanted_seq
                device_id = f"{prefix}-{seq:04d}"
                if self._db.execute("SELECT 1 FROM devices WHERE id = ?", (device_id,)).fetchone():
                    raise RegistryError(f"device {device_id} is already registered")
                self._db.execute(
                    "INSERT INTO devices (id, kind, seq, board, site, lat, lon, grp, firmware, state, created_ms,"
                    " last_seen_ms, credentials_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'provisioned', ?, NULL, ?)",
                    (device_id, kind, seq, board, site.strip(), lat, lon, group or None, now, now))
                self._provision(device_id, secret, group or None, reads_group=kind in GROUP_KINDS)
                provisioned = device_id
                self.secrets.put(device_id, secret)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                if provisioned is not None:
                    self._unprovision(provisioned)
                raise
        return self.get(device_id)

    @staticmethod
    def _seq_of(device_id: str, prefix: str) -> int:
        head, _, number = device_id.rpartition("-")
        if head != prefix or not number.isdigit() or len(number) < 4 or int(number) < 1:
            raise RegistryError(f"device id {device_id!r} must look like {prefix}-0001 for this kind")
        if f"{prefix}-{int(number):04d}" != device_id:
            raise RegistryError(f"device id {device_id!r} must be written {prefix}-{int(number):04d}")
        return int(number)

    def _provision(self, device_id: str, secret: str, group: str | None, reads_group: bool = True) -> None:
        role = policy.device_role(device_id)
        with self._broker() as broker:
            # A login or role of that name already on the broker (another registry's, or one left from a
            # registry that was reset) is refused by the broker here: never reused, never silently deleted.
            broker.create_role(role, policy.device_acls(device_id, group, reads_group),
                               textname=f"device {device_id}")
            try:
                broker.create_client(device_id, secret, [role], clientid=device_id, textname=f"device {device_id}")
            except DynsecError:
                try:
                    broker.delete_role(role)
                except DynsecError:
                    pass
                raise

    def _unprovision(self, device_id: str) -> None:
        """Take back the login and role just made for a device whose registration failed afterwards (secrets
        file not writable, database error); best effort: the original error is what the caller reports."""
        self.secrets.forget_quietly(device_id)
        try:
            with self._broker() as broker:
                undo = ((broker.delete_client, device_id), (broker.delete_role, policy.device_role(device_id)))
                for delete, name in undo:
                    try:
                        delete(name)
                    except DynsecError:
                        pass
        except DynsecError:
            pass

    def ensure(self, device_id: str, kind: str, board: str = KNOWN_BOARDS[0], site: str = "simulated",
               group: str | None = None) -> str:
        """The password of `device_id`, registering and provisioning it first if it is new (simulated fleets:
        every simulated board logs in as itself, like a real one)."""
        try:
            return self.secret(device_id)
        except UnknownDevice:
            self.add(kind, board, site, group=group, device_id=device_id)
            return self.secret(device_id)

    def fleet_credentials(self, site: str = "simulated") -> Callable[[dict[str, Any]], tuple[str, str]]:
        """A `credentials` hook for simulators.fleet.Fleet: each board's own (username, password)."""
        def credentials(cfg: dict[str, Any]) -> tuple[str, str]:
            device_id = str(cfg["device_id"])
            setting = GROUP_SETTING.get(str(cfg["kind"]))
            group = (cfg.get("app") or {}).get(setting) if setting else None
            return device_id, self.ensure(device_id, str(cfg["kind"]), site=site, group=group or None)
        return credentials

    def revoke(self, device_id: str) -> Device:
        """Cut the device off: its broker login is disabled (a connected board is disconnected at once)."""
        device = self.get(device_id)
        if device.state == "revoked":
            raise RegistryError(f"device {device_id} is already revoked")
        with self._broker() as broker:
            try:
                broker.disable_client(device_id)
            except NotFound:
                pass   # no login on the broker: nothing can connect as this device anyway
            # the board was cut off without a last will: its retained "online" would stay on the broker
            broker.clear_retained(f"{policy.PREFIX}/{device_id}/status")
        with self._lock:
            self._db.execute("UPDATE devices SET state = 'revoked' WHERE id = ?", (device_id,))
        self.secrets.forget(device_id)
        return self.get(device_id)

    def rotate(self, device_id: str) -> Device:
        """A new password for the device; the old one stops working and its current session is cut."""
        device = self.get(device_id)
        if device.state == "revoked":
            raise RegistryError(f"device {device_id} is revoked; add a new device instead of rotating")
        secret = new_secret()
        with self._broker() as broker:
            try:
                broker.set_password(device_id, secret)
            except NotFound:
                raise RegistryError(f"the broker has no login for {device_id}; was the broker's "
                                    "dynamic-security file replaced? Revoke it and add the device again") from None
        self.secrets.put(device_id, secret)
        with self._lock:
            self._db.execute("UPDATE devices SET credentials_ms = ? WHERE id = ?", (_now_ms(), device_id))
        return self.get(device_id)

    def note_seen(self, seen: Iterable[tuple[str, str | None, int]]) -> None:
        """(device_id, firmware, last_seen_ms) as the hub saw them: provisioned devices become active."""
        with self._lock:
            for device_id, firmware, last_seen_ms in seen:
                self._db.execute(
                    "UPDATE devices SET last_seen_ms = MAX(COALESCE(last_seen_ms, 0), ?),"
                    " firmware = COALESCE(?, firmware),"
                    " state = CASE state WHEN 'provisioned' THEN 'active' ELSE state END WHERE id = ?",
                    (last_seen_ms, firmware, device_id))

    # -- flashing -------------------------------------------------------------------------
    def device_config(self, device_id: str, wifi_ssid: str, wifi_password: str, mqtt_host: str,
                      mqtt_port: int = 1883, app: dict[str, Any] | None = None,
                      extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """The board's `config.json`: identity, WiFi, its own broker login, app settings and position.

        Thresholds not given in `app` are left to the firmware's defaults (its APP_DEFAULTS); a park light's
        group (`group`) and a pedestrian counter's (`light_group`) are set from the registry. `extra` adds
        top-level keys (e.g. `pins` from the board definition).
        """
        device = self.get(device_id)
        if not wifi_ssid:
            raise RegistryError("the WiFi network name (SSID) is empty")
        if not mqtt_host:
            raise RegistryError("the broker host for the board is empty")
        app_cfg = dict(app or {})
        if device.group is not None:
            app_cfg[GROUP_SETTING.get(device.kind, "group")] = device.group
        if device.kind in SUN_KINDS and device.lat is not None and device.lon is not None:
            # the light's astronomical clock works from the registered position (degrees east, 0-360)
            app_cfg.setdefault("lat", float(device.lat))
            app_cfg.setdefault("lon", float(device.lon) % 360.0)
        config: dict[str, Any] = {
            "device_id": device.id,
            "kind": device.kind,
            "board": device.board,
            "wifi": {"ssid": wifi_ssid, "password": wifi_password},
            "mqtt": {"host": mqtt_host, "port": int(mqtt_port), "user": device.id,
                     "password": self.secret(device_id)},
            "app": app_cfg,
            "position": {"site": device.site, "lat": device.lat, "lon": device.lon},
        }
        config.update(extra or {})
        return config
