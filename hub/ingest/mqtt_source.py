"""MQTT ingest: a persistent QoS 1 session whose messages are acknowledged only after the durable commit.

paho's network thread only queues (topic, payload, mid) into a bounded queue; the pipeline's committer
validates and commits them, then calls `ack()`. A message that is never acknowledged (the hub died first)
is delivered again by the broker when the session resumes.
"""

from __future__ import annotations

import logging
import queue
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.reasoncodes import ReasonCode

from hub.settings import MqttAddress

log = logging.getLogger("cityhub.ingest")

CHANNELS = ("tele", "evt", "health", "status", "ack")


@dataclass(frozen=True)
class Incoming:
    topic: str
    payload: bytes
    mid: int
    qos: int
    retained: bool = False
    session: int = 0   # which broker connection delivered it: packet ids are only valid on that one


class MqttSource:
    def __init__(self, address: MqttAddress, client_id: str, shared_group: str | None = None,
                 queue_size: int = 20_000, tls_ca: Path | None = None) -> None:
        self.address = address
        self.queue: queue.Queue[Incoming] = queue.Queue(maxsize=queue_size)
        self.connected = threading.Event()
        self.connects = 0
        self.session = 0
        self.last_error = ""
        prefix = f"$share/{shared_group}/" if shared_group else ""
        self.topics = [(f"{prefix}city/v1/+/{channel}", 1) for channel in CHANNELS]
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False,
                                  protocol=mqtt.MQTTv311, manual_ack=True)
        if address.user:
            self.client.username_pw_set(address.user, address.password)
        if address.tls:   # mqtts://: the broker's certificate and name are checked (tls_ca, or the system's CAs)
            self.client.tls_set(ca_certs=str(tls_ca) if tls_ca else None, tls_version=ssl.PROTOCOL_TLS_CLIENT)
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        self.client.reconnect_delay_set(1, 5)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    def start(self) -> None:
        self.client.connect_async(self.address.host, self.address.port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def ack(self, item: Incoming) -> None:
        # an id from an earlier connection may name another message now: never ack across connections
        # (the broker redelivers those messages on the new one, and writes are idempotent)
        if item.qos > 0 and item.session == self.session:
            self.client.ack(item.mid, item.qos)

    def _on_connect(self, client: mqtt.Client, userdata: object, flags: mqtt.ConnectFlags,
                    reason: ReasonCode, properties: object) -> None:
        if reason.is_failure:
            self.last_error = f"broker refused the hub: {reason}"
            log.error("%s", self.last_error)
            return
        self.connects += 1
        self.session += 1
        client.subscribe(self.topics)
        self.connected.set()
        log.info("connected to mqtt://%s:%d (session present: %s)", self.address.host, self.address.port,
                 flags.session_present)

    def _on_disconnect(self, client: mqtt.Client, userdata: object, flags: mqtt.DisconnectFlags,
                       reason: ReasonCode, properties: object) -> None:
        self.connected.clear()
        if reason.is_failure:
            self.last_error = f"disconnected: {reason}"
            log.warning("broker connection lost (%s); reconnecting", reason)

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        # blocks when the queue is full: the broker then holds further messages (backpressure, no loss)
        self.queue.put(Incoming(msg.topic, bytes(msg.payload), msg.mid, msg.qos, bool(msg.retain), self.session))
