"""Writer for InfluxDB 1.x over its HTTP API (/write and /query), with a requests Session.

The database is created on first use (CREATE DATABASE is idempotent in InfluxDB 1.x) and
again if a write finds it missing. A 204 from /write means the points are in the WAL.
"""

from __future__ import annotations

from collections.abc import Sequence

# Imported from the submodules on purpose: the MicroPython stubs in the dev venv install a
# requests/__init__.pyi (for urequests) that hides the real package's types from mypy.
from requests.exceptions import RequestException, Timeout
from requests.models import Response
from requests.sessions import Session

from hub.write.errors import AuthError, Retryable, WriteError, classify
from hub.write.point import Encodable


def _quote_identifier(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _error_text(response: Response) -> str:
    """The server's explanation: the JSON `error` member, else a header, else the body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    header = response.headers.get("X-Influxdb-Error")
    if header:
        return header
    return response.text.strip()[:500]


class InfluxV1Writer:
    """Writes points to one InfluxDB 1.x database with millisecond precision."""

    def __init__(
        self,
        url: str,
        database: str,
        username: str | None = None,
        password: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        if not database:
            raise ValueError("database must not be empty")
        self.name = f"influx_v1:{database}"
        self.url = url.rstrip("/")
        self.database = database
        self.timeout_s = timeout_s
        self._session = Session()
        if username is not None:
            self._session.auth = (username, password or "")
        self._ensured = False

    def _post(
        self,
        path: str,
        data: dict[str, str] | bytes,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        try:
            return self._session.post(
                f"{self.url}{path}", params=params, data=data, headers=headers, timeout=self.timeout_s
            )
        except Timeout as exc:
            raise Retryable(
                f"{self.name}: no answer from {self.url} within {self.timeout_s} s: {exc}"
            ) from exc
        except RequestException as exc:
            raise Retryable(f"{self.name}: cannot reach {self.url}: {exc}") from exc

    def ensure(self) -> None:
        """Create the database if it does not exist (idempotent)."""
        response = self._post("/query", data={"q": f"CREATE DATABASE {_quote_identifier(self.database)}"})
        if response.status_code != 200:
            raise self._error(response)
        try:
            results = response.json().get("results", [])
        except (ValueError, AttributeError):
            raise Retryable(
                f"{self.name}: unexpected answer to CREATE DATABASE: {response.text[:200]!r}"
            ) from None
        for result in results:
            if isinstance(result, dict) and result.get("error"):
                raise Retryable(f"{self.name}: cannot create database {self.database!r}: {result['error']}")
        self._ensured = True

    def write(self, points: Sequence[Encodable]) -> None:
        """POST the points to /write; 204 means durably accepted."""
        if not points:
            return
        if not self._ensured:
            try:
                self.ensure()
            except AuthError:
                # Creating a database needs admin rights that a write-only user lacks; the
                # database may well exist, so try the write (a missing one is handled below).
                self._ensured = True
        body = "\n".join(point.to_line() for point in points).encode("utf-8")
        response = self._send(body)
        if response.status_code == 404 and "database not found" in _error_text(response):
            self.ensure()
            response = self._send(body)
        if response.status_code != 204:
            raise self._error(response)

    def _send(self, body: bytes) -> Response:
        return self._post(
            "/write",
            params={"db": self.database, "precision": "ms"},
            data=body,
            headers={"Content-Type": "text/plain; charset=utf-8"},
        )

    def _error(self, response: Response) -> WriteError:
        return classify(
            response.status_code, _error_text(response), response.headers.get("Retry-After"), server=self.name
        )

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()
