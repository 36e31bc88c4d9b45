"""Storage schema: how a validated message becomes InfluxDB points (documented in docs/protocol.md).

- telemetry  -> measurement named after the kind (e.g. `water_meter`); tag `device_id`; the data fields,
                `seq`, and the quality flags as 0/1 integer fields (`backfilled`, `clock_unsynced`,
                `sensor_fault`).
- events     -> measurement `alarm`; tags `device_id`, `kind`, `alarm`; fields `state` (raised/cleared),
                `active` (1/0, numeric for stores that keep numbers only), `loss_lph`, `since_ms`, `seq`.
- health     -> measurement `device_health`; tags `device_id`, `kind`.
- status     -> measurement `device_status`; tags `device_id`, `kind`; fields `online` (1/0), `state`, `fw`;
                timestamped on arrival at the hub, because a last will is composed when the session opens.
- ack        -> measurement `command_ack`; tags `device_id`, `kind`, `cmd_id` (replies of one pass share a
                timestamp); fields `ok` (1/0), `op`, `reason`.
Every point's timestamp is the device timestamp, so a replayed message overwrites itself. Two exceptions:
status points (above), and messages flagged `clock_unsynced`: a board that has never synced its clock
since power-up counts from 2000-01-01 again at every boot, so those points are stored at
2000-01-01T00:00:00Z + `seq` milliseconds (unique and idempotent per device, and plainly not a real time),
with the board's own timestamp in the field `device_ts`.
"""

from __future__ import annotations

from collections.abc import Callable

from hub.validate.kinds import KINDS
from hub.validate.validator import Message
from hub.write.point import FieldValue, Point

FLAGS = ("backfilled", "clock_unsynced", "sensor_fault")
UNSYNCED_BASE_MS = 946_684_800_000   # 2000-01-01T00:00:00Z


def _fields(data: dict[str, object]) -> dict[str, FieldValue]:
    out: dict[str, FieldValue] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = int(value)
        elif isinstance(value, (int, float, str)):
            out[key] = value
    return out


def points_for(msg: Message, received_ms: int) -> list[Point]:
    points = _points(msg, received_ms)
    if "clock_unsynced" in msg.flags and msg.channel != "status":
        for point in points:
            point.fields["device_ts"] = msg.ts_ms
        return [Point(p.measurement, p.tags, p.fields, UNSYNCED_BASE_MS + msg.seq) for p in points]
    return points


def _points(msg: Message, received_ms: int) -> list[Point]:
    data = _fields(msg.data.model_dump())
    tags = {"device_id": msg.device_id, "kind": msg.kind}
    if msg.channel == "tele":
        fields = dict(data, seq=msg.seq)
        for flag in FLAGS:
            fields[flag] = int(flag in msg.flags)
        return [Point(KINDS[msg.kind].measurement, {"device_id": msg.device_id}, fields, msg.ts_ms)]
    if msg.channel == "evt":
        alarm = str(data.pop("alarm"))
        since = data.pop("since")
        fields = dict(data, seq=msg.seq, since_ms=since, active=int(data["state"] == "raised"))
        return [Point("alarm", dict(tags, alarm=alarm), fields, msg.ts_ms)]
    if msg.channel == "health":
        return [Point("device_health", tags, dict(data, seq=msg.seq), msg.ts_ms)]
    if msg.channel == "status":
        return [Point("device_status", tags, dict(data, online=int(data["state"] == "online")), received_ms)]
    if msg.channel == "ack":
        cmd_id = str(data.pop("id", "") or "")
        return [Point("command_ack", dict(tags, cmd_id=cmd_id), data, msg.ts_ms)]
    raise ValueError(f"no storage schema for channel {msg.channel!r}")


Encoder = Callable[[Message, int], str]


def lines_for(msg: Message, received_ms: int) -> str:
    """The message's points in line protocol, one per line: what the hub's buffer keeps for the writer."""
    return "\n".join(point.to_line() for point in points_for(msg, received_ms))
