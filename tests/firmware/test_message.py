# test_message.py: the firmware's message contract (cityfw.core.message). Runs on CPython and MicroPython.
import json

from cityfw.core.message import EVT, SCHEMA_VERSION, TELE, encode, envelope, topic


def test_topic_format():
    assert topic("aq-0042", TELE) == "city/v1/aq-0042/tele", topic("aq-0042", TELE)
    assert topic("noise-7", EVT) == "city/v1/noise-7/evt", topic("noise-7", EVT)


def test_envelope_fields():
    msg = envelope("air", "aq-0042", 1700000000123, 17, ["clock_unsynced"], {"pm25": 12.5})
    assert sorted(msg) == ["data", "id", "kind", "q", "seq", "ts", "v"], sorted(msg)
    assert msg["v"] == SCHEMA_VERSION
    assert msg["kind"] == "air"
    assert msg["id"] == "aq-0042"
    assert msg["ts"] == 1700000000123  # epoch ms: needs big ints on MicroPython (> 2**30)
    assert msg["seq"] == 17
    assert msg["q"] == ["clock_unsynced"]
    assert msg["data"] == {"pm25": 12.5}


def test_encode_is_compact():
    text = encode(envelope("air", "aq-1", 5, 0, [], {"a": [1, 2], "b": None}))
    assert " " not in text, text
    assert text.startswith("{") and text.endswith("}"), text


def test_encode_round_trips():
    msg = envelope(
        "noise",
        "noise-7",
        1700000000000,
        123456,
        ["backfilled", "sensor_fault"],
        {"laeq": 61.5, "peak": 88, "ok": True, "note": None, "bands": [1.5, 2.25]},
    )
    # compare parsed values, never the text: MicroPython dicts do not keep insertion order
    assert json.loads(encode(msg)) == msg
