"""Writer for the InfluxDB v2 write API (/api/v2/write) with the official influxdb_client.

Works with InfluxDB 2.x and with stores that accept the same API (e.g. VictoriaMetrics).
The client writes synchronously and never retries on its own (`retries=False`: urllib3 does
not retry, and SYNCHRONOUS writes skip the client's batching retry strategy): the hub owns
retries, so a failure surfaces at once as one of hub.write.errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import urllib3.exceptions
from influxdb_client.client.influxdb_client import InfluxDBClient
from influxdb_client.client.write_api import SYNCHRONOUS
from influxdb_client.domain.write_precision import WritePrecision
from influxdb_client.rest import ApiException

from hub.write.errors import Retryable, WriteError, classify
from hub.write.point import Encodable

# The client's "enum" members are plain strings, though its write() is annotated with the class.
_MS = cast(WritePrecision, WritePrecision.MS)


def _api_error(exc: ApiException, server: str) -> WriteError:
    """Translate the client's ApiException (HTTP status, headers, body) into a write error."""
    status = exc.status if isinstance(exc.status, int) else 0
    if status == 0:  # raised without a response: TLS failure or a request it could not build
        return Retryable(f"{server}: request failed: {exc.reason}")
    message = getattr(exc, "message", None)
    if not isinstance(message, str) or not message:
        body = exc.body
        message = (
            body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or exc.reason or "")
        )
    headers = exc.headers
    retry_after = headers.get("Retry-After") if headers is not None else None
    return classify(status, message[:500], retry_after, server=server)


class InfluxV2Writer:
    """Writes points to one bucket through the v2 write API with millisecond precision."""

    def __init__(self, url: str, org: str, bucket: str, token: str, timeout_s: float = 10.0) -> None:
        if not bucket:
            raise ValueError("bucket must not be empty")
        self.name = f"influx_v2:{bucket}"
        self.url = url.rstrip("/")
        self.org = org
        self.bucket = bucket
        self.timeout_s = timeout_s
        self._client = InfluxDBClient(
            url=self.url, token=token, org=org, timeout=max(1, int(timeout_s * 1000)), retries=False
        )
        self._write_api = self._client.write_api(write_options=SYNCHRONOUS)

    def write(self, points: Sequence[Encodable]) -> None:
        """Write the points in one request; returning means the server accepted them (204)."""
        if not points:
            return
        lines = [point.to_line() for point in points]
        try:
            self._write_api.write(bucket=self.bucket, org=self.org, record=lines, write_precision=_MS)
        except ApiException as exc:
            raise _api_error(exc, self.name) from exc
        except urllib3.exceptions.NewConnectionError as exc:  # (a TimeoutError subclass in urllib3 2.x)
            raise Retryable(f"{self.name}: cannot connect to {self.url}: {exc}") from exc
        except urllib3.exceptions.TimeoutError as exc:
            raise Retryable(
                f"{self.name}: no answer from {self.url} within {self.timeout_s} s: {exc}"
            ) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise Retryable(f"{self.name}: cannot reach {self.url}: {exc}") from exc

    def close(self) -> None:
        """Close the write API and the client's connection pool."""
        # The client's close() methods carry no annotations.
        self._write_api.close()  # type: ignore[no-untyped-call]
        self._client.close()  # type: ignore[no-untyped-call]
