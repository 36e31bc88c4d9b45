"""Launcher for a private Mosquitto 2.x broker on a free loopback port (tests and ``cityhub demo``).

The broker is persistent: sessions with clean_session=False, their subscriptions and the QoS 1/2
messages queued for them are saved to ``<data_dir>/mosquitto.db`` (on SIGTERM and every
autosave_interval), so ``restart()`` keeps what was queued for the hub while it was away.

With ``secured=True`` anonymous clients are refused and mosquitto's dynamic-security plugin decides who may
log in and what each client may publish or read (rules in hub/devices/policy.py). On first start an admin
client (control API only) and a hub client (the hub's role) are created with CSPRNG passwords, kept in
``<data_dir>/broker-credentials.json`` (0600); ``hub_url`` and ``admin_url`` carry them. The plugin's state
(``dynamic-security.json``, 0600) persists, so devices provisioned through the control API survive restarts.
"""

from __future__ import annotations

import glob
import json
import os
from pathlib import Path
from urllib.parse import quote

from hub.devices import dynsec
from hub.devices.secrets import new_secret, write_private
from hub.services.process import ServiceError, ServiceProcess, tcp_open

ADMIN_USER = "cityhub-admin"
HUB_USER = "cityhub"
PLUGIN_NAME = "mosquitto_dynamic_security.so"
PLUGIN_PLACES = ("/usr/lib/*/" + PLUGIN_NAME, "/usr/lib/" + PLUGIN_NAME, "/usr/local/lib/" + PLUGIN_NAME,
                 "/usr/lib/mosquitto/" + PLUGIN_NAME)


def dynsec_plugin_path() -> str:
    """Where mosquitto's dynamic-security plugin is installed (Debian: mosquitto package)."""
    for pattern in PLUGIN_PLACES:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    raise ServiceError(f"mosquitto's dynamic security plugin ({PLUGIN_NAME}) was not found; "
                       "install the mosquitto package (`apt-get install -y mosquitto`)")

CONF_TEMPLATE = """\
# Written by hub.services.mosquitto; regenerated on every start.
listener {port} 127.0.0.1
{security}persistence true
persistence_location {data_dir}/
autosave_interval 30
# Per man mosquitto.conf, 0 means "no maximum" for both limits (max_queued_messages defaults
# to 1000, max_queued_bytes to 0). Both are 0 so the broker never silently drops QoS 1/2
# messages queued for the hub's persistent session while the hub is away; the hub's own
# durable buffer, not the broker, decides what to keep.
max_queued_messages 0
max_queued_bytes 0
max_inflight_messages 100
# nothing legitimate is this large (boards drop commands over 4 KiB, the hub refuses messages over 16 KiB)
max_packet_size 65536
# stderr, not stdout: mosquitto does not flush stdout, so with stdout redirected to the log file
# nothing would show up there until exit. Both streams go to <data_dir>/mosquitto.log anyway.
log_dest stderr
{user}{extra}"""


class Mosquitto(ServiceProcess):
    """``mosquitto -c <data_dir>/mosquitto.conf``; ready when the port accepts TCP connections."""

    name = "mosquitto"
    binary = "mosquitto"

    def __init__(self, data_dir: Path, port: int | None = None, extra_conf: str = "", secured: bool = False) -> None:
        super().__init__(data_dir, port)
        self.extra_conf = extra_conf
        self.secured = secured

    @property
    def conf_path(self) -> Path:
        return self.data_dir / "mosquitto.conf"

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    @property
    def dynsec_path(self) -> Path:
        return self.data_dir / "dynamic-security.json"

    @property
    def credentials_path(self) -> Path:
        return self.data_dir / "broker-credentials.json"

    def credentials(self) -> dict[str, str]:
        """{"admin_user", "admin_password", "hub_user", "hub_password"} of a secured broker."""
        if not self.secured:
            raise ServiceError("this broker is not secured: it has no credentials")
        if not self.credentials_path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            creds = {"admin_user": ADMIN_USER, "admin_password": new_secret(),
                     "hub_user": HUB_USER, "hub_password": new_secret()}
            write_private(self.credentials_path, json.dumps(creds, indent=1) + "\n")
            return creds
        loaded: dict[str, str] = json.loads(self.credentials_path.read_text(encoding="utf-8"))
        return loaded

    def _url_as(self, user: str, password: str) -> str:
        return f"mqtt://{quote(user, safe='')}:{quote(password, safe='')}@{self.host}:{self.port}"

    @property
    def hub_url(self) -> str:
        """The URL the hub connects with: the hub's login on a secured broker, else the plain URL."""
        if not self.secured:
            return self.url
        c = self.credentials()
        return self._url_as(c["hub_user"], c["hub_password"])

    @property
    def admin_url(self) -> str:
        """The provisioning login (dynamic-security control API) of a secured broker."""
        c = self.credentials()
        return self._url_as(c["admin_user"], c["admin_password"])

    def config_text(self) -> str:
        # As root, mosquitto would drop to user "mosquitto" and could not write the persistence
        # file in a root-owned data_dir; "user root" keeps it as root (no effect for other users).
        user = "user root\n" if os.geteuid() == 0 else ""
        extra = self.extra_conf.rstrip("\n") + "\n" if self.extra_conf.strip() else ""
        if self.secured:
            security = (f"allow_anonymous false\nplugin {dynsec_plugin_path()}\n"
                        f"plugin_opt_config_file {self.dynsec_path}\n")
        else:
            security = "allow_anonymous true\n"
        return CONF_TEMPLATE.format(port=self.port, data_dir=self.data_dir, user=user, extra=extra,
                                    security=security)

    def prepare(self) -> None:
        if self.secured and not self.dynsec_path.exists():
            c = self.credentials()
            config = dynsec.initial_config((c["admin_user"], c["admin_password"]), (c["hub_user"], c["hub_password"]))
            write_private(self.dynsec_path, json.dumps(config, indent=1) + "\n")
        self.conf_path.write_text(self.config_text())

    def command(self, executable: str) -> list[str]:
        return [executable, "-c", str(self.conf_path)]

    def is_ready(self) -> bool:
        return tcp_open(self.host, self.port)
