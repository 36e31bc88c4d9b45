"""Send a command to one board and wait for its reply on the `ack` channel.

Commands are published QoS 1, never retained, on `city/v1/<device_id>/cmd`. A board that is offline gets
the command when it reconnects (its session is persistent); the caller decides how long to wait here.
"""

from __future__ import annotations

import json
import secrets
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from hub.settings import MqttAddress
from hub.validate.models import CommandAck, DeviceId
from hub.validate.validator import TOPIC_PREFIX


class CommandError(Exception):
    """The command could not be delivered or answered; the message says why."""


class CommandTimeout(CommandError):
    pass


@dataclass(frozen=True)
class CommandReply:
    device_id: str
    cmd_id: str
    op: str
    ok: bool
    reason: str | None


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """`key=value` pairs; values are read as JSON when they parse (numbers, true, null), else as text."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise CommandError(f"parameter {pair!r} must look like key=value")
        try:
            params[key] = json.loads(raw)
        except json.JSONDecodeError:
            params[key] = raw
    return params


def send_command(address: MqttAddress, device_id: str, op: str, params: dict[str, Any] | None = None,
                 timeout_s: float = 30.0, tls_ca: Path | None = None) -> CommandReply:
    from pydantic import TypeAdapter, ValidationError

    try:
        TypeAdapter(DeviceId).validate_python(device_id)
    except ValidationError:
        raise CommandError(f"{device_id!r} is not a device id (a-z, 0-9, -)") from None
    cmd_id = secrets.token_hex(6)
    reply: list[CommandReply] = []
    subscribed, answered = threading.Event(), threading.Event()
    errors: list[str] = []

    def on_connect(client: mqtt.Client, u: object, flags: object, reason: Any, props: object) -> None:
        if reason.is_failure:
            errors.append(f"broker refused the connection: {reason}")
            subscribed.set()
            return
        client.subscribe(f"{TOPIC_PREFIX}{device_id}/ack", qos=1)

    def on_subscribe(client: mqtt.Client, u: object, mid: int, codes: object, props: object) -> None:
        subscribed.set()

    def on_message(client: mqtt.Client, u: object, msg: mqtt.MQTTMessage) -> None:
        try:
            data = json.loads(msg.payload)["data"]
            ack = CommandAck.model_validate(data)
        except (ValueError, KeyError, TypeError):
            return
        if ack.id == cmd_id:
            reply.append(CommandReply(device_id, cmd_id, op, ack.ok, ack.reason))
            answered.set()

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"cityhub-cmd-{cmd_id}")
    if address.user:
        client.username_pw_set(address.user, address.password)
    if address.tls:
        client.tls_set(ca_certs=str(tls_ca) if tls_ca else None, tls_version=ssl.PROTOCOL_TLS_CLIENT)
    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    try:
        client.connect(address.host, address.port, keepalive=30)
    except OSError as exc:
        raise CommandError(f"cannot reach the broker at {address.host}:{address.port}: {exc}") from None
    client.loop_start()
    try:
        if not subscribed.wait(10) or errors:
            raise CommandError(errors[0] if errors else "the broker did not confirm the subscription")
        payload = json.dumps({"id": cmd_id, "op": op, "params": params or {}})
        client.publish(f"{TOPIC_PREFIX}{device_id}/cmd", payload, qos=1).wait_for_publish(10)
        if not answered.wait(timeout_s):
            raise CommandTimeout(f"no reply from {device_id} within {timeout_s:g} s; the command stays queued "
                                 "at the broker and the board answers when it next connects")
        return reply[0]
    finally:
        client.loop_stop()
        client.disconnect()
