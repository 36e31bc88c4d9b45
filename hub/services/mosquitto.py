"""Launcher for a private Mosquitto 2.x broker on a free loopback port (tests and ``cityhub demo``).

The broker is persistent: sessions with clean_session=False, their subscriptions and the QoS 1/2
messages queued for them are saved to ``<data_dir>/mosquitto.db`` (on SIGTERM and every
autosave_interval), so ``restart()`` keeps what was queued for the hub while it was away.
"""

from __future__ import annotations

import os
from pathlib import Path

from hub.services.process import ServiceProcess, tcp_open

CONF_TEMPLATE = """\
# Written by hub.services.mosquitto; regenerated on every start.
listener {port} 127.0.0.1
allow_anonymous true
persistence true
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

    def __init__(self, data_dir: Path, port: int | None = None, extra_conf: str = "") -> None:
        super().__init__(data_dir, port)
        self.extra_conf = extra_conf

    @property
    def conf_path(self) -> Path:
        return self.data_dir / "mosquitto.conf"

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def config_text(self) -> str:
        # As root, mosquitto would drop to user "mosquitto" and could not write the persistence
        # file in a root-owned data_dir; "user root" keeps it as root (no effect for other users).
        user = "user root\n" if os.geteuid() == 0 else ""
        extra = self.extra_conf.rstrip("\n") + "\n" if self.extra_conf.strip() else ""
        return CONF_TEMPLATE.format(port=self.port, data_dir=self.data_dir, user=user, extra=extra)

    def prepare(self) -> None:
        self.conf_path.write_text(self.config_text())

    def command(self, executable: str) -> list[str]:
        return [executable, "-c", str(self.conf_path)]

    def is_ready(self) -> bool:
        return tcp_open(self.host, self.port)
