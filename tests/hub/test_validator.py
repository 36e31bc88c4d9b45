"""hub.validate.validator: every rejection category, with a reason a person can act on, and a valid pass.

The order of the checks is part of the behaviour: size, topic, UTF-8/JSON, envelope, kind, topic/payload
agreement, data. Each case below breaks exactly one thing in an otherwise valid message.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from hub.validate.models import WaterMeterEvent, WaterMeterTele
from hub.validate.validator import DEFAULT_MAX_BYTES, Message, Rejection, validate

DEVICE = "wm-0001"
TELE_TOPIC = f"city/v1/{DEVICE}/tele"
EVT_TOPIC = f"city/v1/{DEVICE}/evt"


def tele(**data: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "v": 1, "kind": "water_meter", "id": DEVICE, "ts": 1_704_067_200_000, "seq": 42, "q": ["backfilled"],
        "data": {"total_l": 1234.0, "pulses": 13, "litres": 13.0, "flow_min_lph": 0, "flow_max_lph": 60,
                 "night_min_lph": None, "period_s": 900, "bounces": 0},
    }
    payload["data"].update(data)
    return payload


def evt(**data: Any) -> dict[str, Any]:
    payload = tele()
    payload["data"] = {"alarm": "LEAK", "state": "raised", "since": 1_703_980_860_000, "loss_lph": 24.0,
                       "total_l": 600.0}
    payload["data"].update(data)
    return payload


def encode(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def rejected(topic: str, payload: bytes | dict[str, Any], category: str, *needles: str,
             max_bytes: int = DEFAULT_MAX_BYTES) -> Rejection:
    raw = payload if isinstance(payload, bytes) else encode(payload)
    result = validate(topic, raw, max_bytes)
    assert isinstance(result, Rejection), f"accepted: {result}"
    assert result.category == category, result
    for needle in needles:
        assert needle in result.reason, (needle, result.reason)
    return result


def without(payload: dict[str, Any], *path: str) -> dict[str, Any]:
    out = copy.deepcopy(payload)
    parent = out
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return out


def changed(payload: dict[str, Any], **envelope: Any) -> dict[str, Any]:
    out = copy.deepcopy(payload)
    out.update(envelope)
    return out


# --- valid messages -------------------------------------------------------------------------------------

def test_valid_telemetry_passes() -> None:
    result = validate(TELE_TOPIC, encode(tele()))
    assert isinstance(result, Message), result
    assert (result.device_id, result.kind, result.channel) == (DEVICE, "water_meter", "tele")
    assert (result.ts_ms, result.seq, result.flags) == (1_704_067_200_000, 42, ("backfilled",))
    assert isinstance(result.data, WaterMeterTele)
    assert result.data.pulses == 13 and result.data.night_min_lph is None


def test_valid_event_passes_and_round_trips() -> None:
    result = validate(EVT_TOPIC, encode(evt(alarm="NIGHT_FLOW", night_l=201.0)))
    assert isinstance(result, Message), result
    assert isinstance(result.data, WaterMeterEvent)
    assert (result.data.alarm, result.data.state, result.data.night_l) == ("NIGHT_FLOW", "raised", 201.0)


def test_every_channel_of_a_kind_is_accepted() -> None:
    payloads = {
        "tele": tele(),
        "evt": evt(state="cleared"),
        "health": changed(tele(), data={"uptime_s": 3600, "heap_free": 96000, "rssi": None,
                                        "reset_cause": "power_on", "outbox_depth": 0, "dropped": 0,
                                        "corrupt": 0, "connects": 1, "fw": "0.1.0"}),
        "status": changed(tele(), q=[], data={"state": "offline", "fw": "0.1.0"}),
        "ack": changed(tele(), data={"id": "cmd-1", "op": "ping", "ok": True, "reason": None}),
    }
    for channel, payload in payloads.items():
        result = validate(f"city/v1/{DEVICE}/{channel}", encode(payload))
        assert isinstance(result, Message) and result.channel == channel, (channel, result)


def test_an_empty_flag_list_and_all_known_flags_pass() -> None:
    for flags in ([], ["clock_unsynced", "backfilled", "sensor_fault"]):
        assert isinstance(validate(TELE_TOPIC, encode(changed(tele(), q=flags))), Message), flags


# --- oversized ------------------------------------------------------------------------------------------

def test_oversized_payload_is_rejected_with_both_sizes() -> None:
    body = encode(tele())
    limit = len(body) + 10
    exactly = body + b" " * 10            # JSON allows trailing whitespace: still the same message
    assert isinstance(validate(TELE_TOPIC, exactly, max_bytes=limit), Message)
    rejected(TELE_TOPIC, exactly + b" ", "oversized", f"{limit + 1} bytes", f"{limit}-byte limit",
             max_bytes=limit)


def test_size_is_checked_first_and_uses_the_default_limit() -> None:
    # an oversized payload is refused before it is even decoded, whatever its topic
    rejected("not/a/city/topic", b"x" * (DEFAULT_MAX_BYTES + 1), "oversized", f"{DEFAULT_MAX_BYTES}-byte")


# --- topic ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("topic", [
    f"city/v2/{DEVICE}/tele",          # wrong prefix: other schema version
    f"town/v1/{DEVICE}/tele",          # wrong prefix
    f"/city/v1/{DEVICE}/tele",         # wrong prefix: leading slash
    f"city/v1/{DEVICE}/telemetry",     # unknown channel
    f"city/v1/{DEVICE}/cmd",           # the hub's own commands are not ingested
    f"city/v1/{DEVICE}/TELE",          # channels are case-sensitive
    f"city/v1/{DEVICE}/tele/extra",    # extra level
    f"city/v1/{DEVICE}/tele/",         # extra (empty) level
    f"city/v1/site-3/{DEVICE}/tele",   # extra level before the device
    "city/v1/tele",                    # no device
    "city/v1//tele",                   # empty device
])
def test_bad_topic_is_rejected(topic: str) -> None:
    rejected(topic, tele(), "topic", repr(topic), "city/v1/<device_id>/<tele|evt|health|status|ack>")


# --- malformed: not UTF-8, not JSON ---------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    b"",
    b"{not json}",
    b'{"v":1,"kind":"water_meter"',          # truncated
    encode(tele()) + b"}",                   # trailing garbage
    b"\xef\xbb\xbf" + encode(tele()),        # UTF-8 byte order mark: not JSON (RFC 8259 section 8.1)
], ids=["empty", "garbage", "truncated", "trailing", "bom"])
def test_payload_that_is_not_json_is_malformed(payload: bytes) -> None:
    rejected(TELE_TOPIC, payload, "malformed", "not JSON")


@pytest.mark.parametrize("payload", [
    encode(tele()).replace(b"water_meter", b"water_m\xe9ter"),     # latin-1 text
    encode(tele())[:-2] + b"\xff}",                                # a stray invalid byte
    json.dumps(tele()).encode("utf-16"),                           # valid JSON, but UTF-16 (with BOM)
    json.dumps(tele()).encode("utf-32"),                           # valid JSON, but UTF-32 (with BOM)
], ids=["latin-1", "invalid-byte", "utf-16", "utf-32"])
def test_payload_that_is_not_utf8_is_malformed(payload: bytes) -> None:
    rejected(TELE_TOPIC, payload, "malformed", "not UTF-8")


def test_deeply_nested_json_is_malformed_not_a_crash() -> None:
    # within the size limit, but deeper than the JSON parser's recursion limit: must be a Rejection,
    # never an exception (it would stop the hub's committer thread)
    for payload in (b"[" * 8000 + b"]" * 8000, b'{"a":' * 2500 + b"1" + b"}" * 2500, b"[" * 16000):
        assert len(payload) <= DEFAULT_MAX_BYTES
        rejected(TELE_TOPIC, payload, "malformed", "nested too deeply")


# --- envelope -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("payload", "needles"), [
    (without(tele(), "seq"), ("seq: Field required",)),
    (without(tele(), "v"), ("v: Field required",)),
    (without(tele(), "data"), ("data: Field required",)),
    (changed(tele(), v=2), ("v: Input should be 1",)),
    (changed(tele(), ts=-1), ("ts: Input should be greater than or equal to 0",)),
    (changed(tele(), ts=1.5), ("ts:",)),
    (changed(tele(), seq=-5), ("seq: Input should be greater than or equal to 0",)),
    (changed(tele(), q=["backfilled", "dusty"]), ("q.1:", "clock_unsynced", "backfilled", "sensor_fault")),
    (changed(tele(), q="backfilled"), ("q: Input should be a valid list",)),
    (changed(tele(), q=["backfilled"] * 9), ("q: List should have at most 8 items",)),
    (changed(tele(), id="WM 1"), ("id: String should match pattern",)),
    (changed(tele(), data=[1, 2]), ("data: Input should be a valid dictionary",)),
    (changed(tele(), unit="L"), ("unit: Extra inputs are not permitted",)),
], ids=["no-seq", "no-v", "no-data", "v2", "negative-ts", "fractional-ts", "negative-seq", "unknown-flag",
        "flags-not-a-list", "too-many-flags", "bad-device-id", "data-not-an-object", "extra-key"])
def test_bad_envelope_is_rejected(payload: dict[str, Any], needles: tuple[str, ...]) -> None:
    rejected(TELE_TOPIC, payload, "envelope", "invalid envelope: ", *needles)


@pytest.mark.parametrize("payload", [b"[]", b"null", b"42", b'"tele"', b"true"])
def test_json_that_is_not_an_object_is_an_envelope_error(payload: bytes) -> None:
    rejected(TELE_TOPIC, payload, "envelope", "invalid envelope: ")


def test_envelope_reason_names_three_problems_and_counts_the_rest() -> None:
    r = rejected(TELE_TOPIC, {"q": ["x"]}, "envelope")   # v, kind, id, ts, seq, data missing; q.0 wrong
    assert r.reason.count("Field required") + r.reason.count("q.0") == 3, r.reason
    assert r.reason.endswith("(+4 more)"), r.reason


# --- unknown kind ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["air_quality", "Water_Meter", "water-meter", ""])
def test_unknown_kind_is_rejected_naming_the_known_ones(kind: str) -> None:
    rejected(TELE_TOPIC, changed(tele(), kind=kind), "unknown_kind", repr(kind), "known: water_meter")


def test_envelope_is_checked_before_the_kind() -> None:
    rejected(TELE_TOPIC, changed(tele(), kind="air_quality", v=2), "envelope", "v:")


# --- mismatch -------------------------------------------------------------------------------------------

def test_topic_device_must_match_the_payload_id() -> None:
    rejected("city/v1/wm-0002/tele", tele(), "mismatch", "'wm-0002'", f"{DEVICE!r}")


def test_kind_is_checked_before_the_device_match() -> None:
    rejected("city/v1/wm-0002/tele", changed(tele(), kind="air_quality"), "unknown_kind")


# --- data -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("topic", "payload", "needles"), [
    (TELE_TOPIC, without(tele(), "data", "pulses"), ("pulses: Field required",)),
    (TELE_TOPIC, tele(litres=-1.0), ("litres: Input should be greater than or equal to 0",)),
    (TELE_TOPIC, tele(total_l=-0.5), ("total_l: Input should be greater than or equal to 0",)),
    (TELE_TOPIC, tele(pulses=2.5), ("pulses:",)),
    (TELE_TOPIC, tele(period_s=0), ("period_s: Input should be greater than 0",)),
    (TELE_TOPIC, tele(temperature_c=21.5), ("temperature_c: Extra inputs are not permitted",)),
    (EVT_TOPIC, without(evt(), "data", "since"), ("since: Field required",)),
    (EVT_TOPIC, evt(alarm="FLOOD"), ("alarm: Input should be", "'LEAK'", "'NO_CONSUMPTION'")),
    (EVT_TOPIC, evt(alarm="leak"), ("alarm: Input should be",)),
    (EVT_TOPIC, evt(state="active"), ("state: Input should be 'raised' or 'cleared'",)),
    (EVT_TOPIC, evt(loss_lph=-3.0), ("loss_lph: Input should be greater than or equal to 0",)),
    (EVT_TOPIC, tele(), ("alarm: Field required",)),                   # telemetry sent on the evt channel
    (TELE_TOPIC, evt(), ("pulses: Field required",)),                  # an event sent on the tele channel
], ids=["missing-field", "negative-litres", "negative-total", "fractional-pulses", "zero-period",
        "extra-field", "evt-missing-since", "unknown-alarm", "alarm-case", "unknown-state", "negative-loss",
        "tele-on-evt", "evt-on-tele"])
def test_bad_data_is_rejected(topic: str, payload: dict[str, Any], needles: tuple[str, ...]) -> None:
    channel = topic.rsplit("/", 1)[1]
    rejected(topic, payload, "data", f"invalid water_meter {channel} data: ", *needles)


def test_non_finite_numbers_are_rejected() -> None:
    # Python's json parser accepts NaN/Infinity tokens (not JSON); the data models must not let them through
    for token in (b"NaN", b"Infinity", b"-Infinity"):
        payload = encode(tele()).replace(b'"litres":13.0', b'"litres":' + token)
        assert token in payload
        rejected(TELE_TOPIC, payload, "data", "litres:")


def test_garbage_never_raises() -> None:
    samples = [b"", b"\x00", b"\xff" * 100, b"{" * 20000, b'{"data":' * 3000, b"[" * 16384, encode([tele()]),
               encode({"v": 1, "kind": None}), encode(changed(tele(), data={"a": {"b": [1] * 1000}}))]
    for topic in (TELE_TOPIC, "", "city/v1/", "#", "city/v1/wm-0001/tele/#"):
        for payload in samples:
            assert isinstance(validate(topic, payload), (Message, Rejection))


def test_version_must_be_the_integer_one_not_a_float_or_bool() -> None:
    for v in (1.0, True, "1"):
        msg = {"v": v, "kind": "water_meter", "id": "wm-0001", "ts": 1, "seq": 1, "q": [],
               "data": {"state": "online", "fw": "0.1.0"}}
        result = validate("city/v1/wm-0001/status", json.dumps(msg).encode())
        assert isinstance(result, Rejection) and result.category == "envelope", (v, result)


def test_health_from_boards_without_commands_dropped_is_still_accepted() -> None:
    data = {"uptime_s": 1, "heap_free": 1, "rssi": None, "reset_cause": "power_on", "outbox_depth": 0,
            "dropped": 0, "corrupt": 0, "connects": 1, "fw": "0.1.0"}
    msg = {"v": 1, "kind": "water_meter", "id": "wm-0001", "ts": 1, "seq": 1, "q": [], "data": data}
    assert not isinstance(validate("city/v1/wm-0001/health", json.dumps(msg).encode()), Rejection)


def test_fast_path_tells_kinds_apart_when_several_are_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    from hub.validate import validator
    from hub.validate.kinds import KINDS, KindSchema

    twin = KindSchema("water_meter_b", "water_meter_b", KINDS["water_meter"].tele, KINDS["water_meter"].evt)
    monkeypatch.setitem(KINDS, "water_meter_b", twin)
    adapter = validator._whole_message_adapter("status")
    for kind in ("water_meter", "water_meter_b"):
        msg = {"v": 1, "kind": kind, "id": "wm-0001", "ts": 1, "seq": 1, "q": [],
               "data": {"state": "online", "fw": "0.1.0"}}
        assert adapter.validate_json(json.dumps(msg)).kind == kind
    with pytest.raises(ValueError):
        adapter.validate_json(json.dumps({"v": 1, "kind": "coffee", "id": "wm-0001", "ts": 1, "seq": 1,
                                          "q": [], "data": {"state": "online", "fw": "0.1.0"}}))


def test_timestamps_beyond_year_2200_are_refused_not_crashing() -> None:
    payload = evt()
    payload["ts"] = 2**64
    result = validate(EVT_TOPIC, encode(payload))
    assert isinstance(result, Rejection) and result.category == "envelope", result
    result = validate(EVT_TOPIC, encode(evt(since=2**64)))
    assert isinstance(result, Rejection) and result.category == "data", result
