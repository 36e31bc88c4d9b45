"""hub.buffer.store.Store: the durable SQLite buffer, quarantine, alarms table, presence and counters.

Messages are built through the real validator, as ingest does; each test uses its own store file.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hub.buffer.store import Store
from hub.validate.models import Status
from hub.validate.validator import Message, Rejection, validate

DEVICE = "wm-0001"
T0 = 1_704_067_200_000
SINCE = T0 - 24 * 3_600_000

Item = tuple[str, bytes, Message | Rejection]


def item(channel: str, data: dict[str, Any], device: str = DEVICE, ts: int = T0, seq: int = 1) -> Item:
    topic = f"city/v1/{device}/{channel}"
    payload = json.dumps({"v": 1, "kind": "water_meter", "id": device, "ts": ts, "seq": seq, "q": [],
                          "data": data}).encode()
    result = validate(topic, payload)
    assert isinstance(result, Message), result
    return topic, payload, result


def tele(seq: int = 1, total_l: float = 100.0) -> Item:
    return item("tele", {"total_l": total_l, "pulses": 3, "litres": 3.0, "flow_min_lph": 0, "flow_max_lph": 60,
                         "night_min_lph": None, "period_s": 900, "bounces": 0}, seq=seq)


def event(state: str, ts: int, alarm: str = "LEAK", since: int = SINCE, loss: float = 24.0,
          total_l: float = 600.0, device: str = DEVICE) -> Item:
    return item("evt", {"alarm": alarm, "state": state, "since": since, "loss_lph": loss, "total_l": total_l},
                device=device, ts=ts)


def status(state: str, device: str = DEVICE, fw: str = "0.1.0") -> Item:
    return item("status", {"state": state, "fw": fw}, device=device)


def bad(topic: str = f"city/v1/{DEVICE}/tele", payload: bytes = b"{not json") -> Item:
    result = validate(topic, payload)
    assert isinstance(result, Rejection), result
    return topic, payload, result


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "hub.sqlite3"   # the parent directory does not exist yet


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    s = Store(path)
    yield s
    s.close()


# --- commit_batch ---------------------------------------------------------------------------------------

def test_commit_batch_stores_messages_and_quarantines_rejections(store: Store) -> None:
    topic, payload, rejection = bad()
    assert isinstance(rejection, Rejection)
    counts = store.commit_batch([tele(1), (topic, payload, rejection), tele(2), bad("city/v9/x/tele")])
    assert counts == {"received": 4, "accepted": 2, "quarantined_malformed": 1, "quarantined_topic": 1}
    assert store.buffered() == 2
    rows = store.oldest(10)
    assert [json.loads(r.message)["seq"] for r in rows] == [1, 2]
    assert all(r.topic == f"city/v1/{DEVICE}/tele" for r in rows)
    quarantined = store.quarantined()
    assert [(q.stage, q.category) for q in quarantined] == [("validate", "topic"), ("validate", "malformed")]
    newest_first = quarantined[1]
    assert (newest_first.topic, newest_first.payload, newest_first.reason) == (topic, payload, rejection.reason)
    assert newest_first.received_ms == rows[0].received_ms   # one batch, one receive time


def test_buffered_row_keeps_the_message_and_its_encoded_points(store: Store) -> None:
    topic, payload, msg = tele(7, total_l=1234.5)
    store.commit_batch([(topic, payload, msg)])
    [row] = store.oldest(1)
    assert row.topic == topic
    assert validate(row.topic, row.message.encode()) == msg, "the message as received, still valid"
    assert row.lines.startswith("water_meter,device_id=wm-0001 "), row.lines
    assert "seq=7i" in row.lines and "total_l=1234.5" in row.lines, row.lines


def test_commit_batch_is_one_transaction(store: Store) -> None:
    # an item that fails half-way (an "event" whose data is a status) must leave no trace of the batch
    _, _, ok = status("online")
    assert isinstance(ok, Message) and isinstance(ok.data, Status)
    broken = Message(DEVICE, "water_meter", "evt", T0, 3, (), ok.data)
    with pytest.raises(KeyError):
        store.commit_batch([tele(1), bad(), status("online"), (f"city/v1/{DEVICE}/evt", b"{}", broken)])
    assert store.buffered() == 0
    assert store.quarantined() == []
    assert store.counters() == {}
    assert store.devices_online() == 0
    # the store is usable afterwards (no transaction left open)
    assert store.commit_batch([tele(2)]) == {"received": 1, "accepted": 1}
    assert store.buffered() == 1


def test_commit_batch_of_nothing(store: Store) -> None:
    assert store.commit_batch([]) == {"received": 0}
    assert store.buffered() == 0


def test_counters_add_up_across_batches(store: Store) -> None:
    store.commit_batch([tele(1), bad()])
    store.commit_batch([tele(2), tele(3), bad(), bad("city/v1/wm-0002/tele", json.dumps({"v": 2}).encode())])
    store.bump("backpressure_waits")
    store.bump("backpressure_waits", 4)
    assert store.counters() == {"received": 6, "accepted": 3, "quarantined_malformed": 2,
                                "quarantined_envelope": 1, "backpressure_waits": 5}


# --- alarms ---------------------------------------------------------------------------------------------

def test_raised_then_cleared_is_one_closed_row(store: Store) -> None:
    store.commit_batch([event("raised", T0, loss=24.0, total_l=600.0)])
    [row] = store.alarms(open_only=True)
    assert (row.device_id, row.kind, row.alarm, row.since_ms) == (DEVICE, "water_meter", "LEAK", SINCE)
    assert (row.raised_ms, row.cleared_ms, row.open) == (T0, None, True)
    assert (row.loss_lph, row.total_l) == (24.0, 600.0)

    store.commit_batch([event("cleared", T0 + 3_600_000, loss=25.5, total_l=624.0)])
    [row] = store.alarms()
    assert (row.raised_ms, row.cleared_ms, row.open) == (T0, T0 + 3_600_000, False)
    assert row.loss_lph == 25.5          # the estimate at the clear is the final one
    assert store.alarms(open_only=True) == []


def test_the_same_raise_delivered_twice_is_one_row(store: Store) -> None:
    store.commit_batch([event("raised", T0)])
    store.commit_batch([event("raised", T0)])                     # QoS 1 redelivery
    store.commit_batch([event("raised", T0), event("raised", T0)])  # twice in one batch
    [row] = store.alarms()
    assert row.open and row.raised_ms == T0
    assert store.counters()["accepted"] == 4   # every delivery is still buffered for the time series


def test_a_clear_without_its_raise_is_a_closed_row(store: Store) -> None:
    store.commit_batch([event("cleared", T0 + 60_000)])
    [row] = store.alarms()
    assert (row.since_ms, row.raised_ms, row.cleared_ms, row.open) == (SINCE, None, T0 + 60_000, False)
    # the raise arriving late (redelivered after the clear) does not reopen it
    store.commit_batch([event("raised", T0)])
    [row] = store.alarms()
    assert (row.raised_ms, row.cleared_ms, row.open) == (T0, T0 + 60_000, False)


def test_alarm_rows_are_per_device_alarm_and_start(store: Store) -> None:
    store.commit_batch([
        event("raised", T0),
        event("raised", T0, alarm="NIGHT_FLOW"),
        event("raised", T0, device="wm-0002"),
        event("cleared", T0 + 1),
        event("raised", T0 + 2, since=SINCE + 2),   # a new occurrence of the same alarm, after the clear
        event("raised", T0 + 3, since=SINCE + 3),   # raised again while open: a duplicate, ignored
    ])
    assert len(store.alarms()) == 4
    assert len(store.alarms(device_id="wm-0002")) == 1
    assert len(store.alarms(open_only=True, device_id=DEVICE)) == 2
    assert len(store.alarms(limit=2)) == 2


# --- device presence ------------------------------------------------------------------------------------

def test_status_messages_track_presence(store: Store) -> None:
    store.commit_batch([status("online"), status("online", device="wm-0002")])
    assert store.devices_online() == 2
    store.commit_batch([status("offline", fw="0.2.0")])
    assert store.devices_online() == 1
    devices = list(store.iter_devices())
    assert [(d[0], d[1], d[2], d[3]) for d in devices] == [(DEVICE, "water_meter", False, "0.2.0"),
                                                          ("wm-0002", "water_meter", True, "0.1.0")]


def test_an_asleep_battery_board_is_counted_apart_from_online_and_offline(store: Store) -> None:
    store.commit_batch([status("online"), status("asleep", device="wm-0002"), status("offline", device="wm-0003")])
    assert (store.devices_online(), store.devices_asleep()) == (1, 1)
    store.commit_batch([status("online", device="wm-0002")])
    assert (store.devices_online(), store.devices_asleep()) == (2, 0)


def test_a_replayed_retained_status_does_not_make_a_silent_board_look_freshly_seen(store: Store) -> None:
    store.commit_batch([status("asleep")])
    seen = {d[0]: d[4] for d in store.iter_devices()}[DEVICE]
    _, _, replay = status("asleep")
    assert isinstance(replay, Message)
    time.sleep(0.01)
    store.note_presence(replay)   # the broker hands the hub its retained status again after a restart
    assert {d[0]: d[4] for d in store.iter_devices()}[DEVICE] == seen
    _, _, new_board = status("online", device="wm-0009")
    assert isinstance(new_board, Message)
    store.note_presence(new_board)   # a board the hub never heard of is recorded all the same
    assert store.devices_online() == 1 and "wm-0009" in {d[0] for d in store.iter_devices()}


# --- writer side ----------------------------------------------------------------------------------------

def test_oldest_and_written_quarantine_refused_rows(store: Store) -> None:
    store.commit_batch([tele(1), tele(2), tele(3)])
    rows = store.oldest(2)
    assert [json.loads(r.message)["seq"] for r in rows] == [1, 2]
    assert rows[0].id < rows[1].id

    store.written([r.id for r in rows], [(rows[1].id, "field type conflict: total_l is integer")])
    left = store.oldest(10)
    assert [json.loads(r.message)["seq"] for r in left] == [3]
    [q] = store.quarantined()
    assert (q.stage, q.category, q.reason) == ("write", "refused_by_store", "field type conflict: total_l is integer")
    assert q.topic == rows[1].topic == f"city/v1/{DEVICE}/tele"
    assert q.payload == rows[1].message.encode()
    counters = store.counters()
    assert (counters["written"], counters["quarantined_refused_by_store"]) == (1, 1)

    store.written([left[0].id], [])
    assert store.buffered() == 0 and store.oldest(10) == []
    assert store.counters()["written"] == 2
    assert "quarantined_refused_by_store" in store.counters() and len(store.quarantined()) == 1


def test_written_with_nothing_refused_adds_no_quarantine_counter(store: Store) -> None:
    store.commit_batch([tele(1)])
    store.written([r.id for r in store.oldest(5)], [])
    assert store.counters() == {"received": 1, "accepted": 1, "written": 1}
    assert store.quarantined() == []


def test_full_at_max_rows(path: Path) -> None:
    store = Store(path, max_rows=3)
    try:
        store.commit_batch([tele(1), tele(2)])
        assert not store.full()
        store.commit_batch([tele(3)])
        assert store.full()
        store.commit_batch([tele(4)])         # full() is advice to ingest; the store itself still accepts
        assert store.full() and store.buffered() == 4
        store.written([r.id for r in store.oldest(2)], [])
        assert not store.full()
    finally:
        store.close()


# --- durability -----------------------------------------------------------------------------------------

def test_everything_survives_closing_and_reopening(path: Path) -> None:
    first = Store(path)
    first.commit_batch([tele(1), tele(2), bad(), status("online"), event("raised", T0),
                        event("raised", T0, alarm="BURST")])
    first.commit_batch([event("cleared", T0 + 60_000, alarm="BURST")])
    written = first.oldest(1)
    first.written([written[0].id], [])
    before = (first.counters(), first.oldest(100), first.quarantined(), first.alarms(), list(first.iter_devices()))
    first.close()

    second = Store(path)
    try:
        after = (second.counters(), second.oldest(100), second.quarantined(), second.alarms(),
                 list(second.iter_devices()))
        assert after == before
        assert second.buffered() == 5 and second.devices_online() == 1
        assert [(a.alarm, a.open) for a in second.alarms()] == [("BURST", False), ("LEAK", True)]
        # ids keep growing after a reopen (the writer deletes by id)
        second.commit_batch([tele(9)])
        assert second.oldest(100)[-1].id > max(r.id for r in before[1])
        # a clear arriving after the restart closes the alarm raised before it
        second.commit_batch([event("cleared", T0 + 120_000)])
        assert second.alarms(open_only=True) == []
    finally:
        second.close()



def test_clear_closes_the_open_alarm_even_when_its_start_time_moved(store: Store) -> None:
    # a board that rebooted on an unsynced clock may report the alarm's start a few minutes off
    store.commit_batch([event("raised", T0, since=SINCE), event("cleared", T0 + 3_600_000, since=SINCE + 14 * 60_000)])
    rows = store.alarms()
    assert len(rows) == 1 and not rows[0].open, rows


def test_a_raised_alarm_delivered_again_after_its_clear_does_not_reopen_it(store: Store) -> None:
    store.commit_batch([event("raised", T0), event("cleared", T0 + 3_600_000), event("raised", T0)])
    rows = store.alarms()
    assert len(rows) == 1 and not rows[0].open, rows


def test_quarantine_keeps_only_the_newest_rows_and_counts_the_evicted(path: Path) -> None:
    small = Store(path, quarantine_max_rows=3)
    small.commit_batch([bad(payload=f"bad {i}".encode()) for i in range(5)])
    small.commit_batch([bad(payload=b"bad 5"), tele()])
    kept = [q.payload for q in small.quarantined()]
    assert kept == [b"bad 5", b"bad 4", b"bad 3"], kept
    counters = small.counters()
    assert counters["quarantine_evicted"] == 3 and counters["quarantined_malformed"] == 6, counters
    small.close()


def test_will_and_birth_in_one_batch_get_distinct_status_times(store: Store) -> None:
    store.commit_batch([status("offline"), status("online")])
    times = [row.lines.rsplit(" ", 1)[1] for row in store.oldest(10)]
    assert len(set(times)) == 2 and times == sorted(times), times


def test_unsynced_readings_are_stored_at_2000_plus_seq_with_the_board_time_kept(store: Store) -> None:
    topic = f"city/v1/{DEVICE}/tele"
    data = {"total_l": 1.0, "pulses": 1, "litres": 1.0, "flow_min_lph": 0.0, "flow_max_lph": 60.0,
            "night_min_lph": None, "period_s": 900, "bounces": 0}
    items = []
    for seq in (41, 42):
        payload = json.dumps({"v": 1, "kind": "water_meter", "id": DEVICE, "ts": 946_684_800_000 + 900_000,
                              "seq": seq, "q": ["clock_unsynced"], "data": data}).encode()
        items.append((topic, payload, validate(topic, payload)))
    store.commit_batch(items)
    lines = [row.lines for row in store.oldest(10)]
    assert [line.rsplit(" ", 1)[1] for line in lines] == ["946684800041", "946684800042"], lines
    assert all("device_ts=946685700000i" in line for line in lines), lines


RELEASE_0_ALARMS = """CREATE TABLE alarms (device_id TEXT NOT NULL, kind TEXT NOT NULL, alarm TEXT NOT NULL,
    since_ms INTEGER NOT NULL, raised_ms INTEGER, cleared_ms INTEGER, loss_lph REAL NOT NULL, total_l REAL,
    PRIMARY KEY (device_id, alarm, since_ms))"""


def test_a_store_from_the_first_release_is_upgraded_keeping_its_alarms(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "hub.sqlite"
    db = sqlite3.connect(str(path))
    db.execute(RELEASE_0_ALARMS)
    db.execute("INSERT INTO alarms VALUES ('wm-0001', 'water_meter', 'LEAK', 1000, 2000, NULL, 25.0, 600.0)")
    db.commit()
    db.close()
    store = Store(path)
    try:
        rows = store.alarms()
        assert [(r.device_id, r.alarm, r.loss_lph, r.open) for r in rows] == [("wm-0001", "LEAK", 25.0, True)]
        store._db.execute("INSERT INTO alarms (device_id, kind, alarm, since_ms, raised_ms) "
                          "VALUES ('bin-0001', 'smart_bin', 'FIRE', 5, 6)")   # no water lost: NULL accepted now
        assert int(store._db.execute("PRAGMA user_version").fetchone()[0]) >= 1
    finally:
        store.close()
    Store(path).close()   # opening an upgraded store again is a no-op


def test_a_store_from_a_newer_or_unknown_version_is_refused_with_what_to_do(tmp_path: Path) -> None:
    import sqlite3

    from hub.buffer.store import StoreError

    newer = tmp_path / "newer.sqlite"
    db = sqlite3.connect(str(newer))
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreError, match="newer cityhub"):
        Store(newer)
    old = tmp_path / "old.sqlite"
    db = sqlite3.connect(str(old))
    db.execute("CREATE TABLE buffer (id INTEGER PRIMARY KEY, message TEXT)")
    db.close()
    with pytest.raises(StoreError, match="move it aside"):
        Store(old)
