"""The hub side of the contract: pydantic models of every message a board may send.

Envelope fields are common to all kinds and channels; `data` is checked by a model chosen by
(kind, channel). The firmware encoder (firmware/core/message.py) produces the example messages in
tests/contract/, and both sides are tested against them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SCHEMA_VERSION = 1
MAX_TS_MS = 7_258_118_400_000   # 2200-01-01: any later "timestamp" is a broken clock or a forged message
DeviceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,31}$")]
Flag = Literal["clock_unsynced", "backfilled", "sensor_fault"]
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Envelope(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)   # no "7" for 7, no true for 1

    v: Literal[1]
    kind: str = Field(max_length=32)

    @field_validator("v", mode="before")
    @classmethod
    def _version_is_an_integer(cls, value: object) -> object:
        if type(value) is not int:   # strict mode still takes 1.0 and true for a Literal[1]
            raise ValueError("v must be the integer 1")
        return value
    id: DeviceId
    ts: Annotated[int, Field(ge=0, le=MAX_TS_MS, description="device timestamp, UTC epoch milliseconds")]
    seq: Count
    q: list[Flag] = Field(max_length=8)
    data: dict[str, object]


class Health(Strict):
    uptime_s: Count
    heap_free: Count
    rssi: int | None
    reset_cause: str = Field(max_length=32)
    outbox_depth: Count
    dropped: Count
    corrupt: Count
    connects: Count
    commands_dropped: Count = 0   # added in firmware 0.1.0; optional so older boards stay valid
    fw: str = Field(max_length=32)


class Status(Strict):
    state: Literal["online", "offline", "asleep"]   # asleep: a battery board left cleanly until its next wake
    fw: str = Field(max_length=32)


class CommandAck(Strict):
    id: str | None = Field(default=None, max_length=64)
    op: str | None = Field(default=None, max_length=32)
    ok: bool
    reason: str | None = Field(default=None, max_length=200)


class WaterMeterTele(Strict):
    total_l: NonNeg
    pulses: Count
    litres: NonNeg
    flow_min_lph: NonNeg
    flow_max_lph: NonNeg
    night_min_lph: NonNeg | None
    period_s: Annotated[int, Field(gt=0)]
    bounces: Count


WaterAlarm = Literal["LEAK", "NIGHT_FLOW", "BURST", "TAMPER", "CABLE", "NO_CONSUMPTION"]


class EventBase(Strict):
    """What every kind's `evt` message carries. An alarm is `raised` then `cleared` (the same `since`); a one-off
    event (e.g. a bin EMPTIED) has state `event`. Each kind narrows `alarm` to its names and adds its figures."""

    alarm: str = Field(max_length=32)
    state: Literal["raised", "cleared", "event"]
    since: Annotated[int, Field(ge=0, le=MAX_TS_MS)]


class WaterMeterEvent(EventBase):
    alarm: WaterAlarm
    state: Literal["raised", "cleared"]
    loss_lph: NonNeg
    total_l: NonNeg
    night_l: NonNeg | None = None
