"""The hub's durable local store (SQLite, WAL): buffer, quarantine, alarms, device presence, counters.

Ingest commits a batch of messages here in ONE transaction before it acknowledges them to the broker; the
writer takes the oldest rows, writes them to InfluxDB, and deletes them only after the write succeeded.
The buffer is bounded: when it holds `max_rows`, ingest stops acknowledging (the broker keeps the
messages) until the writer catches up.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hub.validate.validator import Message, Rejection
from hub.write.schema import Encoder, lines_for

SCHEMA = """
CREATE TABLE IF NOT EXISTS buffer (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_ms INTEGER NOT NULL,
    device_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    message TEXT NOT NULL,
    lines TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_ms INTEGER NOT NULL,
    stage TEXT NOT NULL,
    category TEXT NOT NULL,
    reason TEXT NOT NULL,
    topic TEXT NOT NULL,
    payload BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS alarms (
    device_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    alarm TEXT NOT NULL,
    since_ms INTEGER NOT NULL,
    raised_ms INTEGER,
    cleared_ms INTEGER,
    loss_lph REAL,
    total_l REAL,
    PRIMARY KEY (device_id, alarm, since_ms)
);
CREATE TABLE IF NOT EXISTS devices (
    device_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    online INTEGER NOT NULL,
    fw TEXT,
    last_seen_ms INTEGER NOT NULL,
    state TEXT
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""

SCHEMA_VERSION = 2   # PRAGMA user_version; 0 = the first release (water meters only); 2: devices.state


class StoreError(Exception):
    """The hub's data directory cannot be used as it is (said with what to do)."""


def _upgrade(db: sqlite3.Connection, path: Path) -> None:
    """Bring a store written by an earlier release up to this one, keeping everything it holds."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer cityhub (store version {version}, this one knows up to "
                         f"{SCHEMA_VERSION}): upgrade cityhub, or run this one on another --data-dir")
    if "buffer" in tables and "lines" not in {r[1] for r in db.execute("PRAGMA table_info(buffer)")}:
        raise StoreError(f"{path} was written by a pre-release cityhub whose buffer this one cannot read: "
                         f"move it aside (or delete it if nothing is waiting in it) and start again")
    if version == 0 and "alarms" in tables:
        # release 0 required loss_lph (water only); other kinds' alarms have none
        db.execute("BEGIN IMMEDIATE")
        db.execute("ALTER TABLE alarms RENAME TO alarms_v0")
        db.execute("""CREATE TABLE alarms (
            device_id TEXT NOT NULL, kind TEXT NOT NULL, alarm TEXT NOT NULL, since_ms INTEGER NOT NULL,
            raised_ms INTEGER, cleared_ms INTEGER, loss_lph REAL, total_l REAL,
            PRIMARY KEY (device_id, alarm, since_ms))""")
        db.execute("INSERT INTO alarms SELECT device_id, kind, alarm, since_ms, raised_ms, cleared_ms, loss_lph, total_l"
                   " FROM alarms_v0")
        db.execute("DROP TABLE alarms_v0")
        db.execute("COMMIT")
    if version < 2 and "devices" in tables:
        db.execute("ALTER TABLE devices ADD COLUMN state TEXT")   # online / offline / asleep (a battery board)


@dataclass(frozen=True)
class BufferedRow:
    id: int
    received_ms: int
    topic: str
    message: str   # the message as received (validated)
    lines: str     # its points in line protocol, one per line, encoded at ingest


@dataclass(frozen=True)
class AlarmRow:
    device_id: str
    kind: str
    alarm: str
    since_ms: int
    raised_ms: int | None
    cleared_ms: int | None
    loss_lph: float | None
    total_l: float | None

    @property
    def open(self) -> bool:
        return self.cleared_ms is None

    @property
    def loss_text(self) -> str:
        """`~25 L/h lost` for a water alarm; empty for kinds that lose no water."""
        return "" if self.loss_lph is None else f"~{self.loss_lph:.0f} L/h lost"


@dataclass(frozen=True)
class QuarantineRow:
    id: int
    received_ms: int
    stage: str
    category: str
    reason: str
    topic: str
    payload: bytes


def now_ms() -> int:
    return int(time.time() * 1000)


class Store:
    def __init__(self, path: Path, max_rows: int = 2_000_000, quarantine_max_rows: int = 100_000,
                 encode: Encoder | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.max_rows = max_rows
        self.quarantine_max_rows = quarantine_max_rows
        self.encode = encode or lines_for
        self._status_ts: dict[str, int] = {}   # last status point time per device (see _status_time)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        try:
            _upgrade(self._db, path)
        except BaseException:
            self._db.close()
            raise
        self._db.executescript(SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        # rows in `buffer`, kept up to date by commit_batch() and written() (the only writers of that
        # table) so that full(), asked before every commit, does not scan the whole buffer (COUNT(*))
        self._rows = int(self._db.execute("SELECT COUNT(*) FROM buffer").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- ingest side -------------------------------------------------------------------------------
    def commit_batch(self, items: list[tuple[str, bytes, Message | Rejection]]) -> dict[str, int]:
        """Store validated messages and quarantine rejections, in one durable transaction."""
        counts: dict[str, int] = {"received": len(items)}
        ts = now_ms()
        encoded: list[str] = []
        for i, (topic, payload, result) in enumerate(items):   # outside the lock: the writer needs it too
            if isinstance(result, Message):
                try:
                    encoded.append(self.encode(result, self._status_time(result, ts)))
                except ValueError as exc:
                    items[i] = (topic, payload, Rejection("unencodable", f"cannot store this message: {exc}"))
                    encoded.append("")
            else:
                encoded.append("")
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                for (topic, payload, result), lines in zip(items, encoded, strict=True):
                    if isinstance(result, Rejection):
                        db.execute("INSERT INTO quarantine (received_ms, stage, category, reason, topic, payload)"
                                   " VALUES (?, 'validate', ?, ?, ?, ?)",
                                   (ts, result.category, result.reason, topic, payload))
                        key = f"quarantined_{result.category}"
                        counts[key] = counts.get(key, 0) + 1
                        continue
                    db.execute("INSERT INTO buffer (received_ms, device_id, channel, message, lines)"
                               " VALUES (?, ?, ?, ?, ?)",
                               (ts, result.device_id, result.channel, payload.decode("utf-8"), lines))
                    counts["accepted"] = counts.get("accepted", 0) + 1
                    if result.channel == "evt":
                        self._alarm(result)
                    elif result.channel == "status":
                        self._presence(result, ts)
                if len(counts) > 1 + ("accepted" in counts):
                    self._evict_quarantine()
                for name, value in counts.items():
                    self._bump(name, value)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._rows += counts.get("accepted", 0)
        return counts

    def _status_time(self, msg: Message, ts: int) -> int:
        """Status points are stamped on arrival; a will and the next birth can arrive in one batch, so each
        device's status times are kept strictly increasing (no point overwrites another)."""
        if msg.channel != "status":
            return ts
        stamp = max(ts, self._status_ts.get(msg.device_id, 0) + 1)
        self._status_ts[msg.device_id] = stamp
        return stamp

    def _evict_quarantine(self) -> None:
        """Keep the newest quarantine_max_rows rows: a flood of bad messages cannot fill the disk."""
        gone = self._db.execute("DELETE FROM quarantine WHERE id <= (SELECT MAX(id) FROM quarantine) - ?",
                                (self.quarantine_max_rows,)).rowcount
        if gone > 0:
            self._bump("quarantine_evicted", gone)

    def _alarm(self, msg: Message) -> None:
        """Raised once, cleared once: a clear closes the open alarm of that device and kind, whatever its
        start time says (a board that rebooted on an unsynced clock may report a slightly moved start).
        One-off events (state `event`, e.g. a bin EMPTIED) are stored in InfluxDB only: nothing to open or close.
        `loss_lph`/`total_l` are the water meter's figures; other kinds leave them empty."""
        d = msg.data.model_dump()
        if d["state"] == "event":
            return
        db = self._db
        args = (msg.device_id, msg.kind, d["alarm"], d["since"], d.get("loss_lph"), d.get("total_l"))
        if d["state"] == "raised":
            already = db.execute("SELECT 1 FROM alarms WHERE device_id = ? AND alarm = ? AND cleared_ms IS NULL",
                                 (msg.device_id, d["alarm"])).fetchone()
            if already is None:
                db.execute("INSERT INTO alarms (device_id, kind, alarm, since_ms, loss_lph, total_l, raised_ms)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET raised_ms = COALESCE(raised_ms, excluded.raised_ms)",
                           (*args, msg.ts_ms))
            return
        closed = db.execute("UPDATE alarms SET cleared_ms = ?, loss_lph = ? WHERE device_id = ? AND alarm = ?"
                            " AND cleared_ms IS NULL", (msg.ts_ms, d.get("loss_lph"), msg.device_id, d["alarm"]))
        if closed.rowcount == 0:
            db.execute("INSERT INTO alarms (device_id, kind, alarm, since_ms, loss_lph, total_l, cleared_ms)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET cleared_ms = excluded.cleared_ms",
                       (*args, msg.ts_ms))

    def _presence(self, msg: Message, ts: int, replayed: bool = False) -> None:
        """`state` is online, offline (last will) or asleep (a battery board between readings). A status the
        broker replays (retained) says nothing about when the board was last heard: it keeps the stored time."""
        d = msg.data.model_dump()
        seen = "devices.last_seen_ms" if replayed else "excluded.last_seen_ms"
        self._db.execute(
            "INSERT INTO devices (device_id, kind, online, fw, last_seen_ms, state) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT DO UPDATE SET kind = excluded.kind, online = excluded.online, fw = excluded.fw,"
            f" last_seen_ms = {seen}, state = excluded.state",
            (msg.device_id, msg.kind, int(d["state"] == "online"), d["fw"], ts, d["state"]))

    def note_presence(self, msg: Message) -> None:
        """A retained status replayed by the broker: update presence only (no point, no counters)."""
        with self._lock:
            self._presence(msg, now_ms(), replayed=True)

    def note_removed(self, device_id: str) -> None:
        """The board's retained status was removed (`cityhub device revoke`): no longer online, state `removed`."""
        with self._lock:
            self._db.execute("UPDATE devices SET online = 0, state = 'removed' WHERE device_id = ?", (device_id,))
            self._bump("status_removed", 1)

    def _bump(self, name: str, value: int) -> None:
        self._db.execute("INSERT INTO counters (name, value) VALUES (?, ?)"
                         " ON CONFLICT DO UPDATE SET value = value + excluded.value", (name, value))

    def bump(self, name: str, value: int = 1) -> None:
        with self._lock:
            self._bump(name, value)

    def buffered(self) -> int:
        with self._lock:
            return self._rows

    def full(self) -> bool:
        with self._lock:
            return self._rows >= self.max_rows

    # --- writer side -------------------------------------------------------------------------------
    def oldest(self, limit: int) -> list[BufferedRow]:
        with self._lock:
            rows = self._db.execute("SELECT id, received_ms, device_id, channel, message, lines FROM buffer"
                                    " ORDER BY id LIMIT ?", (limit,)).fetchall()
        return [BufferedRow(int(r[0]), int(r[1]), f"city/v1/{r[2]}/{r[3]}", str(r[4]), str(r[5])) for r in rows]

    def written(self, ids: list[int], rejected: list[tuple[int, str]]) -> None:
        """The rows `ids` are in InfluxDB (or were refused): delete them; quarantine the refused ones."""
        ts = now_ms()
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                for row_id, reason in rejected:
                    db.execute("INSERT INTO quarantine (received_ms, stage, category, reason, topic, payload)"
                               " SELECT ?, 'write', 'refused_by_store', ?, 'city/v1/' || device_id || '/' || channel,"
                               " CAST(message AS BLOB) FROM buffer WHERE id = ?", (ts, reason, row_id))
                deleted = db.executemany("DELETE FROM buffer WHERE id = ?", [(i,) for i in ids]).rowcount
                self._bump("written", len(ids) - len(rejected))
                if rejected:
                    self._bump("quarantined_refused_by_store", len(rejected))
                    self._evict_quarantine()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._rows -= max(deleted, 0)

    # --- reading ------------------------------------------------------------------------------------
    def counters(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT name, value FROM counters").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def alarms(self, open_only: bool = False, device_id: str | None = None, limit: int = 100) -> list[AlarmRow]:
        sql = "SELECT device_id, kind, alarm, since_ms, raised_ms, cleared_ms, loss_lph, total_l FROM alarms"
        where, args = [], []
        if open_only:
            where.append("cleared_ms IS NULL")
        if device_id:
            where.append("device_id = ?")
            args.append(device_id)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY COALESCE(cleared_ms, raised_ms) DESC LIMIT ?"
        with self._lock:
            rows = self._db.execute(sql, (*args, limit)).fetchall()
        return [AlarmRow(*r) for r in rows]

    def quarantined(self, limit: int = 50) -> list[QuarantineRow]:
        with self._lock:
            rows = self._db.execute("SELECT id, received_ms, stage, category, reason, topic, payload"
                                    " FROM quarantine ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [QuarantineRow(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5], bytes(r[6])) for r in rows]

    def devices_online(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM devices WHERE online = 1").fetchone()
        return int(row[0])

    def devices_asleep(self) -> int:
        """Battery boards between two readings: not connected, and not lost either."""
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM devices WHERE state = 'asleep'").fetchone()
        return int(row[0])

    def iter_devices(self) -> Iterator[tuple[str, str, bool, str | None, int]]:
        with self._lock:
            rows = self._db.execute("SELECT device_id, kind, online, fw, last_seen_ms FROM devices"
                                    " ORDER BY device_id").fetchall()
        for r in rows:
            yield str(r[0]), str(r[1]), bool(r[2]), r[3], int(r[4])
