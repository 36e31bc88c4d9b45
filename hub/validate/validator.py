"""Validate one MQTT message: size, topic, JSON, envelope, kind, topic/payload agreement, data model.

Returns a `Message` or a `Rejection` with a reason a person can act on; never raises on bad input.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, create_model

from hub.validate.kinds import CHANNELS, KINDS, data_model
from hub.validate.models import Envelope

TOPIC_PREFIX = "city/v1/"
DEFAULT_MAX_BYTES = 16 * 1024


@dataclass(frozen=True)
class Message:
    device_id: str
    kind: str
    channel: str
    ts_ms: int
    seq: int
    flags: tuple[str, ...]
    data: BaseModel


@dataclass(frozen=True)
class Rejection:
    category: str   # oversized, topic, malformed, envelope, unknown_kind, mismatch, data
    reason: str


def _errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err["loc"]) or "message"
        parts.append(f"{where}: {err['msg']}")
    more = len(exc.errors()) - 3
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def parse_topic(topic: str) -> tuple[str, str] | None:
    if not topic.startswith(TOPIC_PREFIX):
        return None
    parts = topic[len(TOPIC_PREFIX):].split("/")
    if len(parts) != 2 or not parts[0] or parts[1] not in CHANNELS:
        return None
    return parts[0], parts[1]


def _whole_message_adapter(channel: str) -> TypeAdapter[Any]:
    """One model per channel for the whole message (envelope + the kind's data), parsed from JSON in one
    pass by pydantic-core: the fast path for the valid messages that make up nearly all traffic."""
    members: list[Any] = []
    for name, schema in KINDS.items():
        kind_type: Any = Literal[name]   # a literal built at run time, one per registered kind
        members.append(create_model(f"{name}_{channel}", __base__=Envelope, kind=(kind_type, ...),
                                    data=(data_model(schema, channel), ...)))
    if len(members) == 1:
        return TypeAdapter(members[0])
    union: Any = Annotated[Union[tuple(members)], Field(discriminator="kind")]  # noqa: UP007
    return TypeAdapter(union)


_WHOLE = {channel: _whole_message_adapter(channel) for channel in CHANNELS}


def validate(topic: str, payload: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Message | Rejection:
    if len(payload) > max_bytes:
        return Rejection("oversized", f"payload of {len(payload)} bytes exceeds the {max_bytes}-byte limit")
    where = parse_topic(topic)
    if where is None:
        return Rejection("topic", f"topic {topic!r} is not city/v1/<device_id>/<{'|'.join(CHANNELS)}>")
    topic_device, channel = where
    try:
        whole = _WHOLE[channel].validate_json(payload)
    except ValidationError:
        pass   # the step-by-step checks below say precisely what is wrong
    else:
        if whole.id == topic_device:
            return Message(whole.id, whole.kind, channel, whole.ts, whole.seq, tuple(whole.q), whole.data)
    try:
        text = payload.decode("utf-8")   # strictly: json.loads(bytes) would also accept UTF-16 and UTF-32
    except UnicodeDecodeError as exc:
        return Rejection("malformed", f"payload is not UTF-8: {exc}")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        return Rejection("malformed", f"payload is not JSON: {exc}")
    except RecursionError:
        return Rejection("malformed", "payload is not JSON the hub accepts: nested too deeply")
    try:
        env = Envelope.model_validate(raw)
    except ValidationError as exc:
        return Rejection("envelope", f"invalid envelope: {_errors(exc)}")
    kind = KINDS.get(env.kind)
    if kind is None:
        return Rejection("unknown_kind", f"unknown device kind {env.kind!r} (known: {', '.join(KINDS)})")
    if env.id != topic_device:
        return Rejection("mismatch", f"topic names device {topic_device!r} but the payload says {env.id!r}")
    try:
        data = data_model(kind, channel).model_validate(env.data)
    except ValidationError as exc:
        return Rejection("data", f"invalid {env.kind} {channel} data: {_errors(exc)}")
    return Message(env.id, env.kind, channel, env.ts, env.seq, tuple(env.q), data)
