"""Errors raised by the write stage, and the HTTP-status classification both writers share.

`WriteError` is the root. The caller acts on the class: `BadData` -> isolate and reject the
points, `TooLarge` -> split the batch, `Retryable` (and its `AuthError`) -> keep the batch and
retry it later with backoff (writes are idempotent).
"""

from __future__ import annotations

import math
import time
from email.utils import parsedate_to_datetime


class WriteError(Exception):
    """Root of every error the write stage raises."""


class BadData(WriteError):
    """The server refused the data itself; sending it again will not help."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(f"server refused the data (HTTP {status}): {reason}")
        self.reason = reason
        self.status = status


class Retryable(WriteError):
    """A transient failure (overload, server error, network): retry the same batch later."""

    def __init__(self, message: str, retry_after_s: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.status = status


class TooLarge(WriteError):
    """The request body was too large for the server (HTTP 413): split the batch."""

    def __init__(self, message: str, status: int | None = 413) -> None:
        super().__init__(message)
        self.status = status


class AuthError(Retryable):
    """The server refused our credentials (401/403): a configuration problem for the operator.

    It is Retryable so the data is kept and retried, but it should be reported loudly.
    """


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay in seconds or an HTTP-date); None if absent or invalid."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # a date without a zone: RFC 9110 dates are GMT
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def classify(status: int, message: str, retry_after: str | None = None, server: str = "server") -> WriteError:
    """Map a failed HTTP write's status (and the server's message) to the error to raise."""
    detail = message.strip() or f"HTTP {status}"
    if status in (401, 403):
        return AuthError(
            f"{server} refused the credentials (HTTP {status}): {detail}; check the writer's token/"
            "username/password and its permissions",
            retry_after_s=parse_retry_after(retry_after),
            status=status,
        )
    if status == 413:
        return TooLarge(f"{server} says the request is too large (HTTP 413): {detail}", status=status)
    if status == 404:
        # A missing endpoint, database or bucket is a configuration problem, not bad data:
        # treating it as BadData would make the batch stage reject every point.
        return Retryable(
            f"{server} answered 404 (wrong URL, database or bucket?): {detail}",
            retry_after_s=parse_retry_after(retry_after),
            status=status,
        )
    if status in (408, 429) or status >= 500:
        return Retryable(
            f"{server} answered HTTP {status}: {detail}",
            retry_after_s=parse_retry_after(retry_after),
            status=status,
        )
    if 400 <= status < 500:
        return BadData(detail, status=status)
    return Retryable(f"{server} answered unexpected HTTP {status}: {detail}", status=status)
