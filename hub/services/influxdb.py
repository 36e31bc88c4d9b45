"""Launcher for a private InfluxDB 1.x server (Debian's influxd 1.6.7, v1 HTTP API) on loopback.

Invocation: ``influxd run -config <data_dir>/influxdb.conf`` ("run" is also the default command,
so ``influxd -config`` works too). The generated config keeps everything under data_dir, binds
the HTTP API to 127.0.0.1:<port> and the backup/restore RPC service (which cannot be turned
off in 1.x) to 127.0.0.1:<second free port>, and disables every other listener (udp, graphite,
collectd, opentsdb, ifql, unix socket) plus usage reporting and the _internal monitor database.
Debian renamed upstream's ``reporting-disabled = true`` to ``reporting-enabled = false``; both
keys are written (influxd ignores unknown keys). Ready when ``GET /ping`` answers 204.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hub.services.process import ServiceError, ServiceProcess, free_port, http_call, http_ok

CONF_TEMPLATE = """\
# Written by hub.services.influxdb; regenerated on every start.
reporting-disabled = true
reporting-enabled = false
bind-address = "127.0.0.1:{rpc_port}"

[meta]
  dir = "{data_dir}/meta"

[data]
  dir = "{data_dir}/data"
  wal-dir = "{data_dir}/wal"
  query-log-enabled = false

[monitor]
  store-enabled = false

[subscriber]
  enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:{port}"
  log-enabled = false
  unix-socket-enabled = false

[ifql]
  enabled = false

[[graphite]]
  enabled = false

[[collectd]]
  enabled = false

[[opentsdb]]
  enabled = false

[[udp]]
  enabled = false
"""

_READ_ONLY = ("SELECT", "SHOW")


class InfluxDB1(ServiceProcess):
    """influxd 1.x with its own meta/data/wal dirs under data_dir."""

    name = "influxdb"
    binary = "influxd"

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        super().__init__(data_dir, port)
        self.rpc_port = free_port()

    @property
    def conf_path(self) -> Path:
        return self.data_dir / "influxdb.conf"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def pick_ports(self) -> None:
        super().pick_ports()
        self.rpc_port = free_port()

    def prepare(self) -> None:
        text = CONF_TEMPLATE.format(port=self.port, rpc_port=self.rpc_port, data_dir=self.data_dir)
        self.conf_path.write_text(text)

    def command(self, executable: str) -> list[str]:
        return [executable, "run", "-config", str(self.conf_path)]

    def is_ready(self) -> bool:
        return http_ok(f"{self.url}/ping", 204)

    # -- helpers for tests and the demo ---------------------------------------------------
    def query(self, q: str, db: str | None = None, epoch: str | None = None) -> list[dict[str, Any]]:
        """Run InfluxQL via /query; return the ``series`` of the first result ([] if none).

        SELECT/SHOW go as GET, anything else (CREATE, DROP, ...) as POST, as influxd wants.
        ``epoch`` ("ms", "s", ...) returns integer times instead of RFC3339 strings.
        Raises ServiceError on an HTTP error or an error in the result.
        """
        params = {"q": q}
        if db is not None:
            params["db"] = db
        if epoch is not None:
            params["epoch"] = epoch
        method = "GET" if q.lstrip().upper().startswith(_READ_ONLY) else "POST"
        status, body = http_call(method, f"{self.url}/query", params)
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            payload = {}
        if status != 200 or "error" in payload:
            raise ServiceError(f"influxdb query {q!r} failed ({status}): {body.decode(errors='replace')}")
        results = payload.get("results") or [{}]
        first = results[0]
        if "error" in first:
            raise ServiceError(f"influxdb query {q!r} failed: {first['error']}")
        series: list[dict[str, Any]] = first.get("series", [])
        return series

    def points(self, q: str, db: str | None = None, epoch: str | None = None) -> list[dict[str, Any]]:
        """Like query(), flattened to one dict per row: column -> value, plus the series' tags
        (present with GROUP BY)."""
        rows: list[dict[str, Any]] = []
        for series in self.query(q, db, epoch):
            tags: dict[str, Any] = series.get("tags") or {}
            for values in series.get("values", []):
                rows.append({**tags, **dict(zip(series["columns"], values))})
        return rows

    def create_database(self, db: str) -> None:
        self.query(f'CREATE DATABASE "{db}"')

    def write(self, db: str, lines: str, precision: str = "ms") -> None:
        """POST line protocol to /write; raises ServiceError unless influxd answers 204."""
        params = {"db": db, "precision": precision}
        status, body = http_call("POST", f"{self.url}/write", params, lines.encode())
        if status != 204:
            raise ServiceError(f"influxdb write failed ({status}): {body.decode(errors='replace')}")
