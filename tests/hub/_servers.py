"""Real servers on loopback for the write-stage tests: InfluxDB 1.x, VictoriaMetrics, and a scripted HTTP server.

InfluxDB and VictoriaMetrics run from the system binaries (/usr/bin/influxd, /usr/bin/victoria-metrics)
in a private temporary directory on free loopback ports, and are stopped by the process they started.
The scripted server (http.server in a thread) answers chosen status codes and records each request.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import requests

INFLUXD = "/usr/bin/influxd"
VICTORIA_METRICS = "/usr/bin/victoria-metrics"


def free_port() -> int:
    """A loopback TCP port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Process:
    """A server process in its own temporary directory, ready once `ready_path` answers `ready_status`."""

    ready_path = "/"
    ready_status = 200

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir = Path(tempfile.mkdtemp(prefix=f"hubtest-{type(self).__name__.lower()}-"))
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = self.dir / "server.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self, timeout_s: float = 30.0) -> None:
        with open(self._log, "ab") as log:
            self._proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.dir)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"{self.command()[0]} exited with {self._proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.url + self.ready_path, timeout=1).status_code == self.ready_status:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.command()[0]} not ready after {timeout_s} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the process (it keeps its data directory, so start() again resumes it)."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=15)
        self._proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self._log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.cleanup()


class InfluxDB1(_Process):
    """InfluxDB 1.x (`influxd -config <conf>`), HTTP API on `url`."""

    ready_path = "/ping"
    ready_status = 204

    def command(self) -> list[str]:
        conf = self.dir / "influxdb.conf"
        if not conf.exists():
            conf.write_text(
                "reporting-disabled = true\n"
                f'bind-address = "127.0.0.1:{free_port()}"\n'
                "[meta]\n"
                f'  dir = "{self.dir}/meta"\n'
                "[data]\n"
                f'  dir = "{self.dir}/data"\n'
                f'  wal-dir = "{self.dir}/wal"\n'
                "  query-log-enabled = false\n"
                "[http]\n"
                f'  bind-address = "127.0.0.1:{self.port}"\n'
                "  log-enabled = false\n"
                "[monitor]\n"
                "  store-enabled = false\n"
            )
        return [INFLUXD, "-config", str(conf)]

    def query(self, database: str, q: str) -> dict[str, Any]:
        """Run an InfluxQL query with millisecond epochs and return the decoded JSON."""
        response = requests.post(
            self.url + "/query", params={"db": database, "epoch": "ms"}, data={"q": q}, timeout=10
        )
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def databases(self) -> list[str]:
        series = self.query("", "SHOW DATABASES")["results"][0].get("series", [])
        return [row[0] for s in series for row in s.get("values", [])]

    def rows(self, database: str, measurement: str) -> list[dict[str, Any]]:
        """Every row of a measurement (tags included), as dicts keyed by column."""
        result = self.query(database, f'SELECT * FROM "{measurement}"')["results"][0]
        assert "error" not in result, result
        rows: list[dict[str, Any]] = []
        for series in result.get("series", []):
            rows += [dict(zip(series["columns"], values)) for values in series["values"]]
        return rows


class VictoriaMetrics(_Process):
    """VictoriaMetrics single node, with deduplication of equal timestamps (-dedup.minScrapeInterval=1ms).

    Without that flag VictoriaMetrics keeps every replayed sample, so idempotent replays would
    show up as duplicates in /api/v1/export.
    """

    ready_path = "/health"

    def command(self) -> list[str]:
        return [
            VICTORIA_METRICS,
            f"-httpListenAddr=127.0.0.1:{self.port}",
            f"-storageDataPath={self.dir}/data",
            "-retentionPeriod=100y",
            "-dedup.minScrapeInterval=1ms",
        ]

    def export(self, match: str = '{__name__!=""}') -> list[dict[str, Any]]:
        """All series matching `match` as exported by /api/v1/export (after a forced flush)."""
        requests.get(self.url + "/internal/force_flush", timeout=10).raise_for_status()
        response = requests.get(self.url + "/api/v1/export", params={"match[]": match}, timeout=10)
        response.raise_for_status()
        return [json.loads(line) for line in response.text.splitlines() if line.strip()]


@dataclass
class Reply:
    """What the scripted server answers to one request."""

    status: int = 204
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Request:
    """One request the scripted server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class ScriptedServer:
    """An HTTP server on a free loopback port, in a thread, answering scripted replies.

    Each request to a write endpoint takes the next reply from `replies`; when that queue is
    empty `responder(request)` decides, and without a responder the answer is 204. InfluxDB 1.x
    `/query` calls (CREATE DATABASE) get an empty success and are not recorded as writes.
    """

    def __init__(self, responder: Callable[[Request], Reply] | None = None) -> None:
        self.replies: list[Reply] = []
        self.responder = responder
        self.requests: list[Request] = []
        self.queries: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.port = int(self._httpd.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def bodies(self) -> list[bytes]:
        return [request.body for request in self.requests]

    def _next_reply(self, request: Request) -> Reply:
        with self._lock:
            if request.path.startswith("/query"):
                self.queries.append(request)
                return Reply(200, '{"results":[{"statement_id":0}]}', {"Content-Type": "application/json"})
            self.requests.append(request)
            if self.replies:
                return self.replies.pop(0)
        return self.responder(request) if self.responder else Reply()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self.command, self.path, dict(self.headers.items()), body)
                reply = server._next_reply(request)
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                payload = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up (timeout tests)

            do_POST = _serve
            do_GET = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
