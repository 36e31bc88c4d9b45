"""Secrets on disk: generated with the OS CSPRNG, written to files only their owner can read (0600).

`SecretStore` keeps the MQTT password of every device in one JSON file in the hub's data directory
(`device-secrets.json`): the flashing step needs it again to write the board's config, nothing else reads it.
The broker keeps only a salted hash. Secrets are never logged, and never shown unless asked for.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh password: 32 random bytes from the OS CSPRNG, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically; the file is created 0600 (never readable by others, not even briefly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # a name of its own per write (two writers in one process must not share it); O_EXCL and O_NOFOLLOW: never
    # an existing file or a symlink planted in the directory
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)   # whatever the umask
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


class SecretStore:
    """device id -> MQTT password, in a 0600 JSON file.

    Changes are read-modify-write under an exclusive lock on `<file>.lock` (flock), so processes that change
    the file at the same time (`cityhub device`, a simulated fleet registering its boards) never lose each
    other's passwords. Readers need no lock: the file is replaced atomically.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    @contextmanager
    def _changing(self) -> Iterator[None]:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW,
                         0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)   # releases the lock

    def _load(self) -> dict[str, str]:
        try:
            with open(self.path, encoding="utf-8") as fh:
                mode = os.fstat(fh.fileno()).st_mode
                text = fh.read()
        except FileNotFoundError:
            return {}
        if mode & 0o077:   # restored from a backup, copied, or chmod-ed: refuse to go on as if it were private
            raise ValueError(f"secrets file {self.path} can be read by other users (mode {mode & 0o777:o}): "
                             f"run `chmod 600 {self.path}`, then rotate the credentials of every device "
                             "(others may have read them)")
        try:
            data = json.loads(text)
        except ValueError:
            raise ValueError(f"secrets file {self.path} is damaged (not JSON); restore it from backup "
                             "or rotate the credentials of every device") from None
        if not isinstance(data, dict):  # a damaged file, not a caller's wrong type
            raise ValueError(f"secrets file {self.path} is damaged (not a JSON object)")  # noqa: TRY004
        return {str(k): str(v) for k, v in data.items()}

    def get(self, device_id: str) -> str | None:
        with self._lock:
            return self._load().get(device_id)

    def put(self, device_id: str, secret: str) -> None:
        with self._changing():
            data = self._load()
            data[device_id] = secret
            write_private(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")

    def forget(self, device_id: str) -> None:
        with self._changing():
            data = self._load()
            if data.pop(device_id, None) is not None:
                write_private(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")

    def forget_quietly(self, device_id: str) -> None:
        """forget(), for clean-ups after another error: a file that cannot be changed is left as it is."""
        try:
            self.forget(device_id)
        except (OSError, ValueError):
            pass
