"""How both writers classify failed writes, how write_batch reacts, and the retry Backoff.

The HTTP server here is a small real one (ScriptedServer below: http.server in a thread on a
free loopback port) that answers scripted status codes and records the request bodies: it
stands in for an InfluxDB that cannot be made to return 429, 503, 413, 401... on demand. The
writers talk to it over real sockets exactly as they would to the real server.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

import pytest

from hub.write.backoff import Backoff
from hub.write.base import Writer
from hub.write.batch import write_batch
from hub.write.errors import AuthError, BadData, Retryable, TooLarge, WriteError, classify, parse_retry_after
from hub.write.influx_v1 import InfluxV1Writer
from hub.write.influx_v2 import InfluxV2Writer
from hub.write.point import Point
from hub.write.registry import WRITERS, make_writer

T0 = 1700000000000
KINDS = ["influx_v1", "influx_v2"]


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
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

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

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def error_body(kind: str, message: str) -> str:
    """The error body each server family sends: InfluxDB 1.x {"error"}, InfluxDB 2.x {"code","message"}."""
    if kind == "influx_v1":
        return json.dumps({"error": message})
    return json.dumps({"code": "invalid", "message": message})


def reply(kind: str, status: int, message: str = "", headers: dict[str, str] | None = None) -> Reply:
    body = error_body(kind, message) if message else ""
    return Reply(status, body, {"Content-Type": "application/json", **(headers or {})})


def points(n: int, measurement: str = "air") -> list[Point]:
    return [Point(measurement, {"device_id": f"d{i % 3}"}, {"v": float(i)}, T0 + i) for i in range(n)]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def writer(kind: str, server: ScriptedServer) -> Iterator[Writer]:
    made = make(kind, server.url, timeout_s=2.0)
    yield made
    made.close()


def make(kind: str, url: str, timeout_s: float) -> Writer:
    if kind == "influx_v1":
        return InfluxV1Writer(url, "hub", timeout_s=timeout_s)
    return InfluxV2Writer(url, org="city", bucket="sensors", token="secret", timeout_s=timeout_s)


def test_request_carries_the_lines_with_millisecond_precision(
    kind: str, writer: Writer, server: ScriptedServer
) -> None:
    batch = points(3)
    writer.write(batch)
    [request] = server.requests
    assert request.body.decode() == "\n".join(point.to_line() for point in batch)
    assert "precision=ms" in request.path
    if kind == "influx_v1":
        assert request.path.startswith("/write?") and "db=hub" in request.path
        assert b"CREATE+DATABASE+%22hub%22" in server.queries[0].body
    else:
        assert (
            request.path.startswith("/api/v2/write?")
            and "bucket=sensors" in request.path
            and "org=city" in request.path
        )
        assert request.headers.get("Authorization") == "Token secret"


def test_429_with_retry_after_seconds(kind: str, writer: Writer, server: ScriptedServer) -> None:
    server.replies.append(reply(kind, 429, "slow down", {"Retry-After": "7"}))
    with pytest.raises(Retryable) as caught:
        writer.write(points(2))
    assert caught.value.retry_after_s == 7
    assert not isinstance(caught.value, AuthError)
    assert len(server.requests) == 1  # the client library did not retry by itself


def test_429_with_retry_after_http_date(kind: str, writer: Writer, server: ScriptedServer) -> None:
    server.replies.append(
        reply(kind, 429, "slow down", {"Retry-After": formatdate(time.time() + 30, usegmt=True)})
    )
    with pytest.raises(Retryable) as caught:
        writer.write(points(2))
    assert caught.value.retry_after_s is not None and 25 <= caught.value.retry_after_s <= 31


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
def test_server_errors_and_request_timeout_are_retryable(
    kind: str, writer: Writer, server: ScriptedServer, status: int
) -> None:
    server.replies.append(reply(kind, status, "engine overloaded"))
    with pytest.raises(Retryable) as caught:
        writer.write(points(2))
    assert caught.value.status == status
    assert caught.value.retry_after_s is None
    assert "engine overloaded" in str(caught.value)
    assert len(server.requests) == 1  # no internal retry


@pytest.mark.parametrize("status", [400, 422])
def test_refused_data_is_bad_data_with_the_servers_reason(
    kind: str, writer: Writer, server: ScriptedServer, status: int
) -> None:
    server.replies.append(reply(kind, status, "unable to parse 'air v=': missing field value"))
    with pytest.raises(BadData) as caught:
        writer.write(points(2))
    assert caught.value.reason == "unable to parse 'air v=': missing field value"
    assert caught.value.status == status


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failures_are_auth_errors_and_retryable(
    kind: str, writer: Writer, server: ScriptedServer, status: int
) -> None:
    server.replies.append(reply(kind, status, "unauthorized access"))
    with pytest.raises(AuthError) as caught:
        writer.write(points(2))
    assert isinstance(caught.value, Retryable)
    assert "credentials" in str(caught.value) and "unauthorized access" in str(caught.value)


def test_not_found_is_a_configuration_problem_not_bad_data(
    kind: str, writer: Writer, server: ScriptedServer
) -> None:
    server.replies.append(reply(kind, 404, 'bucket "sensors" not found'))
    with pytest.raises(Retryable, match="404"):
        writer.write(points(2))


def test_influx_v1_creates_a_missing_database_and_retries_once(server: ScriptedServer) -> None:
    writer = InfluxV1Writer(server.url, "hub", timeout_s=2)
    server.replies.append(reply("influx_v1", 404, 'database not found: "hub"'))
    writer.write(points(2))
    assert len(server.requests) == 2 and server.requests[0].body == server.requests[1].body
    assert len(server.queries) == 2  # lazily on first write, then again after the 404
    server.replies += [reply("influx_v1", 404, 'database not found: "hub"')] * 2
    with pytest.raises(Retryable):
        writer.write(points(2))
    writer.close()


def test_413_is_too_large(kind: str, writer: Writer, server: ScriptedServer) -> None:
    server.replies.append(reply(kind, 413, "request entity too large"))
    with pytest.raises(TooLarge):
        writer.write(points(4))


def test_write_batch_splits_on_413_until_the_parts_fit(
    kind: str, writer: Writer, server: ScriptedServer
) -> None:
    batch = points(16)
    limit = 3 * max(len(point.to_line()) + 1 for point in batch)
    server.responder = lambda request: (
        reply(kind, 413, "too big") if len(request.body) > limit else Reply(204)
    )
    assert write_batch(writer, batch) == []
    accepted = [request.body for request in server.requests if len(request.body) <= limit]
    assert sorted(line for body in accepted for line in body.decode().split("\n")) == sorted(
        point.to_line() for point in batch
    )
    assert len(server.requests) == 1 + 2 + 4 + 8  # 16 -> 8 -> 4 -> 2 points: the 2-point parts fit


def test_write_batch_rejects_a_single_point_too_large(
    kind: str, writer: Writer, server: ScriptedServer
) -> None:
    huge = Point("air", {"device_id": "d0"}, {"v": 1.0, "blob": "x" * 2000}, T0 + 99)
    batch = points(5) + [huge]
    server.responder = lambda request: reply(kind, 413, "too big") if len(request.body) > 1000 else Reply(204)
    assert write_batch(writer, batch) == [(huge, "too large")]


def test_write_batch_bisects_bad_data_and_writes_the_good_points(
    kind: str, writer: Writer, server: ScriptedServer
) -> None:
    batch = points(10)
    bad = {batch[2], batch[7]}
    bad_lines = {point.to_line().encode() for point in bad}

    def responder(request: Request) -> Reply:
        if any(line in request.body for line in bad_lines):
            return reply(kind, 400, "partial write: field type conflict dropped=1")
        return Reply(204)

    server.responder = responder
    rejected = write_batch(writer, batch)
    assert {point for point, _ in rejected} == bad
    assert {reason for _, reason in rejected} == {"partial write: field type conflict dropped=1"}
    written = {
        line
        for request in server.requests
        if not any(b in request.body for b in bad_lines)
        for line in request.body.decode().split("\n")
    }
    assert written == {point.to_line() for point in batch if point not in bad}


def test_write_batch_lets_retryable_errors_through(kind: str, writer: Writer, server: ScriptedServer) -> None:
    server.responder = lambda request: reply(kind, 503, "unavailable", {"Retry-After": "3"})
    with pytest.raises(Retryable) as caught:
        write_batch(writer, points(10))
    assert caught.value.retry_after_s == 3
    assert len(server.requests) == 1  # no splitting, no retrying: the caller backs off


def test_write_batch_rejects_unencodable_points_without_sending_them(
    writer: Writer, server: ScriptedServer
) -> None:
    empty = Point("air", {"device_id": "d9"}, {}, T0)
    rejected = write_batch(writer, points(3) + [empty])
    assert [(point, reason.startswith("cannot encode")) for point, reason in rejected] == [(empty, True)]
    assert len(server.requests) == 1 and server.requests[0].body.count(b"\n") == 2


def test_no_answer_within_the_timeout_is_retryable(kind: str, server: ScriptedServer) -> None:
    writer = make(kind, server.url, timeout_s=0.5)
    server.responder = lambda request: Reply(204, delay_s=3)
    started = time.monotonic()
    with pytest.raises(Retryable):
        writer.write(points(2))
    assert time.monotonic() - started < 2.0
    assert len(server.requests) == 1
    writer.close()


def test_every_error_has_the_one_root() -> None:
    for status in (400, 401, 403, 404, 408, 413, 422, 429, 500, 503, 302):
        assert isinstance(classify(status, "x"), WriteError)
    assert isinstance(classify(302, "moved"), Retryable)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("7", 7.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("soon", None),
        ("nan", None),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert parse_retry_after(header, now=now) == expected


def test_registry_makes_writers_and_lists_known_kinds() -> None:
    assert set(WRITERS) == {"influx_v1", "influx_v2"}
    v1 = make_writer("influx_v1", url="http://127.0.0.1:1", database="hub")
    v2 = make_writer("influx_v2", url="http://127.0.0.1:1", org="o", bucket="b", token="t")
    assert isinstance(v1, InfluxV1Writer) and isinstance(v2, InfluxV2Writer)
    v1.close()
    v2.close()
    with pytest.raises(ValueError, match="influx_v1, influx_v2"):
        make_writer("mysql")


class _Highest(random.Random):
    """A Random whose uniform() always returns the upper bound: shows the backoff ceiling."""

    def uniform(self, a: float, b: float) -> float:
        return b


def test_backoff_grows_exponentially_and_is_capped() -> None:
    backoff = Backoff(rng=_Highest())
    delays = [backoff.next_delay() for _ in range(10)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    for _ in range(2000):  # no overflow however long the outage
        assert backoff.next_delay() == 60.0
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_backoff_jitter_stays_within_bounds_and_is_seedable() -> None:
    first = Backoff(rng=random.Random(42))
    second = Backoff(rng=random.Random(42))
    delays = [first.next_delay() for _ in range(30)]
    assert delays == [second.next_delay() for _ in range(30)]
    for attempt, delay in enumerate(delays):
        assert 0.0 <= delay <= min(60.0, 0.5 * 2**attempt)
    assert len(set(delays)) == len(delays)  # jittered, not a fixed schedule


def test_backoff_honours_retry_after_but_caps_it() -> None:
    backoff = Backoff(rng=random.Random(1))
    assert backoff.next_delay(retry_after_s=7) >= 7
    assert backoff.next_delay(retry_after_s=7) >= 7
    assert backoff.next_delay(retry_after_s=86400) == 300.0
    assert 0 <= backoff.next_delay(retry_after_s=-5) <= 8.0
    capped = Backoff(rng=_Highest())
    for _ in range(10):
        capped.next_delay()
    assert capped.next_delay(retry_after_s=7) == 60.0  # the backoff itself is already longer


def test_backoff_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        Backoff(base_s=0)
    with pytest.raises(ValueError):
        Backoff(base_s=5, cap_s=1)
