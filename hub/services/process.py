"""Base launcher for real servers (mosquitto, influxd, victoria-metrics) run as child processes.

Each service gets a free loopback port and its own data directory; the child's stdout and
stderr go to ``<data_dir>/<name>.log``. ``start()`` returns only once the server answers
(``is_ready()``), and raises :class:`ServiceError` with the tail of the log if it exits early
or does not become ready in time. ``restart()`` reuses the same port and data directory, so
persisted state survives it. Used by the pytest fixtures and by ``cityhub demo``.
"""

from __future__ import annotations

import atexit
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Self

SETUP_HINT = "run `make setup` (or `apt-get install -y mosquitto influxdb victoria-metrics`)"
_PORT_IN_USE = ("address already in use", "address in use")
_LIVE: set[ServiceProcess] = set()
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never via a proxy


class ServiceError(Exception):
    """A service binary is missing, exited early or did not become ready."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free when asked (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_binary(binary: str) -> str:
    """Return the full path of ``binary`` or raise a ServiceError telling how to install it."""
    path = shutil.which(binary) or shutil.which(binary, path="/usr/sbin:/usr/bin:/usr/local/bin")
    if path is None:
        raise ServiceError(f"`{binary}` was not found on PATH or in /usr/sbin; {SETUP_HINT}")
    return path


def tcp_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True if a TCP connection to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def http_call(
    method: str,
    url: str,
    params: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 10.0,
) -> tuple[int, bytes]:
    """Minimal HTTP client for probes and helpers: returns (status, body); never raises on 4xx/5xx."""
    if params:
        url = f"{url}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, data=body, method=method)
    try:
        with _DIRECT.open(request, timeout=timeout) as response:
            status: int = response.status
            return status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def http_ok(url: str, status: int) -> bool:
    """True if GET url answers with exactly ``status`` (connection errors count as False)."""
    try:
        return http_call("GET", url, timeout=1.0)[0] == status
    except OSError:
        return False


def owns_listener(pid: int, port: int) -> bool:
    """True if process ``pid`` holds the listening TCP socket on ``port`` (Linux /proc check).

    Guards against probing a stranger that grabbed the port between free_port() and our bind.
    Where /proc is not available this cannot be told and True is returned.
    """
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].exists():
        return True
    inodes: set[str] = set()
    for table in tables:
        try:
            rows = table.read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if str(fd.readlink()) in inodes:
                return True
        except OSError:
            continue
    return False


class ServiceProcess:
    """One server child process; subclasses provide the command line and the readiness probe."""

    name: ClassVar[str] = "service"
    binary: ClassVar[str] = ""
    host: ClassVar[str] = "127.0.0.1"
    ready_timeout: float = 30.0
    stop_timeout: float = 15.0

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = Path(data_dir).resolve()
        self._auto_port = port is None
        self.port: int = free_port() if port is None else port
        self.startup_seconds: float | None = None
        self._started_at = 0.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    # -- hooks for subclasses -------------------------------------------------------------
    def command(self, executable: str) -> list[str]:
        """The argv that runs the server (``executable`` is the resolved binary path)."""
        raise NotImplementedError

    def prepare(self) -> None:
        """Write config files into data_dir before each start (default: nothing)."""

    def is_ready(self) -> bool:
        """True once the server answers on its port."""
        raise NotImplementedError

    def pick_ports(self) -> None:
        """Choose new free ports after a port clash on first start (auto-chosen ports only)."""
        self.port = free_port()

    # -- lifecycle ------------------------------------------------------------------------
    @property
    def log_path(self) -> Path:
        return self.data_dir / f"{self.name}.log"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> None:
        """Start the child and wait until it is ready; no-op if already running.

        On a port clash during the first start with auto-chosen ports, new ports are picked (up
        to 3 tries); once started, the port is fixed so restart() comes back on the same one.
        """
        if self.running:
            return
        executable = require_binary(self.binary)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        attempts = 3 if self._auto_port else 1
        for attempt in range(attempts):
            try:
                self._spawn(executable)
                self._wait_ready()
            except ServiceError as exc:
                self.stop()
                if attempt + 1 < attempts and any(s in str(exc).lower() for s in _PORT_IN_USE):
                    self.pick_ports()
                    continue
                raise
            except BaseException:
                self.stop()
                raise
            self._auto_port = False
            return

    def _spawn(self, executable: str) -> None:
        self.prepare()
        with open(self.log_path, "ab") as log:
            self._log_offset = log.tell()
            self._started_at = time.monotonic()
            self._proc = subprocess.Popen(
                self.command(executable),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,  # Ctrl-C reaches the hub only; the hub stops us in order
            )
        _LIVE.add(self)

    def _wait_ready(self) -> None:
        """Poll until ready; ServiceError (with the log tail) on early exit or after ready_timeout."""
        assert self._proc is not None
        deadline = self._started_at + self.ready_timeout
        while True:
            code = self._proc.poll()
            if code is not None:
                raise ServiceError(f"{self.name} exited with code {code} during start-up{self._tail()}")
            if owns_listener(self._proc.pid, self.port) and self.is_ready() and self._proc.poll() is None:
                self.startup_seconds = time.monotonic() - self._started_at
                return
            if time.monotonic() > deadline:
                waited = f"after {self.ready_timeout:g} s"
                raise ServiceError(f"{self.name} not ready on port {self.port} {waited}{self._tail()}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM, wait up to stop_timeout, then SIGKILL. Safe to call when not running."""
        proc, self._proc = self._proc, None
        _LIVE.discard(self)
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def restart(self) -> None:
        """Stop, then start again on the same port with the same data directory."""
        self.stop()
        self.start()

    def log_tail(self, lines: int = 20) -> str:
        """The last ``lines`` lines of the child's log ('' if there is none)."""
        try:
            with open(self.log_path, "rb") as fh:
                tail = deque(fh, maxlen=lines)
        except FileNotFoundError:
            return ""
        return b"".join(tail).decode("utf-8", "replace")

    def log_since_start(self) -> str:
        """What the child wrote to its log since the last start."""
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(self._log_offset)
                return fh.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def _tail(self) -> str:
        tail = self.log_tail()
        return f"\n--- last lines of {self.log_path} ---\n{tail}" if tail else f" (empty log {self.log_path})"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"{type(self).__name__}(port={self.port}, data_dir={str(self.data_dir)!r}, {state})"


@atexit.register
def _stop_leftovers() -> None:
    """Never leave servers behind when the interpreter exits normally."""
    for service in list(_LIVE):
        service.stop()
