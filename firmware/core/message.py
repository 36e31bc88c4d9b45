# message.py: the firmware side of the contract (topics, envelope, quality flags, JSON encoding)
# The hub's pydantic models (hub/validate) are checked against messages built here (tests/contract).
import json

SCHEMA_VERSION = 1
TOPIC_PREFIX = "city/v1/"

# channels
TELE = "tele"      # periodic telemetry
EVT = "evt"        # alarms and events
HEALTH = "health"  # board health (uptime, heap, rssi, outbox)
STATUS = "status"  # retained birth / last will
CMD = "cmd"        # hub -> device
ACK = "ack"        # device -> hub, replies to commands

# data-quality flags
CLOCK_UNSYNCED = "clock_unsynced"
BACKFILLED = "backfilled"
SENSOR_FAULT = "sensor_fault"


def topic(device_id, channel):
    return TOPIC_PREFIX + device_id + "/" + channel


def envelope(kind, device_id, ts_ms, seq, flags, data):
    return {"v": SCHEMA_VERSION, "kind": kind, "id": device_id, "ts": ts_ms,
            "seq": seq, "q": flags, "data": data}


def encode(msg):
    return json.dumps(msg, separators=(",", ":"))
