"""The hub pipeline, the one module that knows every stage:

    MQTT (QoS 1, manual ack) -> validate -> commit to the durable store -> ack -> write loop -> InfluxDB

`Hub.start()` runs ingest, the committer and the write loop in background threads; `Hub.stop()` stops them
in order (no new messages, commit what was taken, acknowledge it, finish the current write).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Self

from hub.buffer.store import Store
from hub.devices.known import RegisteredKinds
from hub.ingest.mqtt_source import Incoming, MqttSource
from hub.settings import Settings
from hub.validate.validator import Message, Rejection, validate
from hub.write.base import Writer
from hub.write.loop import WriteLoop
from hub.write.registry import make_writer

log = logging.getLogger("cityhub.pipeline")

COMMIT_BATCH = 2000


@dataclass(frozen=True)
class HubStats:
    received: int
    accepted: int
    quarantined: int
    written: int
    buffered: int
    write_retries: int
    devices_online: int
    devices_asleep: int
    open_alarms: int
    mqtt_connected: bool
    influx_ok: bool


class Hub:
    def __init__(self, settings: Settings, writer: Writer | None = None) -> None:
        self.settings = settings
        self.store = Store(settings.store_path, settings.buffer_max_rows)
        self.writer = writer or make_writer(settings.writer_kind, **settings.writer_options())
        self.known = RegisteredKinds(settings.registry_path)
        self.source = MqttSource(settings.mqtt, settings.mqtt_client_id, settings.shared_group,
                                 tls_ca=settings.mqtt_ca_file)
        self.write_loop = WriteLoop(self.store, self.writer, settings.write_batch)
        self._stop = threading.Event()
        self._busy = threading.Event()   # the committer holds a batch it has not acknowledged yet
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._commit_loop, name="hub-commit", daemon=True),
            threading.Thread(target=self.write_loop.run, args=(self._stop,), name="hub-write", daemon=True),
        ]
        for t in self._threads:
            t.start()
        self.source.start()

    def stop(self, drain_s: float = 5.0) -> None:
        """Commit and acknowledge what was received, then disconnect (messages still arriving meanwhile are
        committed too; whatever is committed but not acknowledged is redelivered later: writes are
        idempotent)."""
        deadline = time.monotonic() + drain_s
        while time.monotonic() < deadline and (not self.source.queue.empty() or self._busy.is_set()):
            time.sleep(0.02)
        self.source.stop()
        self._stop.set()
        for t in self._threads:
            t.join(timeout=30)
        self.writer.close()
        self.store.close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _commit_loop(self) -> None:
        q = self.source.queue
        while not self._stop.is_set() or not q.empty():
            try:
                first = q.get(timeout=0.1)
            except queue.Empty:
                continue
            batch: list[Incoming] = [first]
            while len(batch) < COMMIT_BATCH:
                try:
                    batch.append(q.get_nowait())
                except queue.Empty:
                    break
            self._busy.set()
            try:
                self._commit(batch)
            finally:
                self._busy.clear()
            self.write_loop.wake.set()

    def _registered(self, result: Message | Rejection) -> Message | Rejection:
        """A registered board must speak as the kind it was registered as (its login only proves its id)."""
        if isinstance(result, Message):
            kind = self.known.kind_of(result.device_id)
            if kind is not None and kind != result.kind:
                return Rejection("mismatch", f"{result.device_id} is registered as a {kind}, "
                                             f"but its message says {result.kind}")
        return result

    def _commit(self, batch: list[Incoming]) -> None:
        while self.store.full() and not self._stop.is_set():
            # bounded buffer: hold the acknowledgements, the broker keeps the rest
            self.store.bump("backpressure_waits")
            time.sleep(0.2)
        fresh = []
        for m in batch:
            if not m.payload and m.topic.endswith("/status"):
                # an operator revoked the board and removed its retained status: it is gone, not offline
                self.store.note_removed(m.topic.split("/")[2])
            elif m.retained and m.topic.endswith("/status"):
                # the broker replays retained status on every (re)subscribe: it tells presence, but it is not
                # a new event, so it is not stored again as a point
                replay = validate(m.topic, m.payload, self.settings.max_message_bytes)
                if isinstance(replay, Message):
                    self.store.note_presence(replay)
            else:
                fresh.append(m)
        items: list[tuple[str, bytes, Message | Rejection]] = [
            (m.topic, m.payload, self._registered(validate(m.topic, m.payload, self.settings.max_message_bytes)))
            for m in fresh
        ]
        for topic, _, result in items:
            if isinstance(result, Rejection):
                log.warning("quarantined a message on %s: %s", topic[:120], result.reason)
        try:
            self.store.commit_batch(items)
        except Exception:
            # one message the store cannot take must not stop ingestion: commit one by one, quarantine it
            log.exception("committing a batch failed; retrying message by message")
            for topic, payload, result in items:
                try:
                    self.store.commit_batch([(topic, payload, result)])
                except Exception as exc:  # noqa: BLE001  quarantined with the reason, ingestion goes on
                    self.store.commit_batch([(topic, payload, Rejection("hub_error", f"hub could not store it: {exc}"))])
        for m in batch:
            self.source.ack(m)

    def settled(self, timeout_s: float = 30.0, quiet_s: float = 0.7) -> bool:
        """Wait until the hub has taken in what the broker delivered and written its buffer: nothing received
        for `quiet_s`, the ingest queue empty, nothing buffered. False if that did not happen in `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        last, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            received = self.store.counters().get("received", 0)
            if received != last or not self.source.queue.empty() or self.store.buffered():
                last, quiet_since = received, time.monotonic()
            elif time.monotonic() - quiet_since > quiet_s:
                return True
            time.sleep(0.05)
        return False

    def stats(self) -> HubStats:
        c = self.store.counters()
        return HubStats(
            received=c.get("received", 0),
            accepted=c.get("accepted", 0),
            quarantined=sum(v for k, v in c.items() if k.startswith("quarantined_")),
            written=c.get("written", 0),
            buffered=self.store.buffered(),
            write_retries=c.get("write_retries", 0),
            devices_online=self.store.devices_online(),
            devices_asleep=self.store.devices_asleep(),
            open_alarms=len(self.store.alarms(open_only=True, limit=10_000)),
            mqtt_connected=self.source.connected.is_set(),
            influx_ok=not self.write_loop.failing,
        )
