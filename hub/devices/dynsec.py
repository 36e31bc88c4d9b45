"""Client of mosquitto's dynamic-security control API: clients, roles and passwords, over MQTT.

Commands go as JSON to `$CONTROL/dynamic-security/v1`; the broker answers on `.../v1/response`, matched here by
`correlationData`. Every refusal becomes a :class:`DynsecError` naming the command and the broker's reason;
no answer in time, or a broker that refuses the admin login, are errors too. Passwords are sent to the broker
and never logged.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import ssl
import threading
import uuid
from types import TracebackType
from typing import Any, Self

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from hub.devices.policy import (
    ADMIN_ROLE,
    CONTROL_TOPIC,
    DEFAULT_ACL_ACCESS,
    HUB_ROLE,
    Acl,
    admin_acls,
    hub_acls,
)
from hub.settings import MqttAddress

RESPONSE_TOPIC = CONTROL_TOPIC + "/response"


class DynsecError(Exception):
    """The broker refused a dynamic-security command, refused the admin login, or did not answer."""


class NotFound(DynsecError):
    """The client or role named in a command does not exist on the broker."""


class Dynsec:
    """One admin connection to the broker. Use as a context manager; each call waits for the broker's answer."""

    def __init__(self, address: MqttAddress, timeout_s: float = 10.0, tls_ca: str | None = None) -> None:
        if not address.user:
            raise DynsecError("the broker admin login is not set (CITYHUB_MQTT_ADMIN_URL, "
                              "mqtt://<admin>:<password>@host:port)")
        self.address = address
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._waiting: dict[str, tuple[threading.Event, list[dict[str, Any]]]] = {}
        self._connected = threading.Event()
        self._subscribed = threading.Event()
        self._refused = ""
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"cityhub-admin-{uuid.uuid4().hex[:8]}",
                                  protocol=mqtt.MQTTv311)
        self.client.username_pw_set(address.user, address.password)
        self._tls = bool(tls_ca or address.tls)
        if self._tls:   # mqtts://, or a CA given: TLS, the broker's certificate and name checked
            self.client.tls_set(ca_certs=tls_ca, tls_version=ssl.PROTOCOL_TLS_CLIENT)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    # -- connection ----------------------------------------------------------------------
    def open(self) -> None:
        where = f"{self.address.host}:{self.address.port}"
        try:
            self.client.connect(self.address.host, self.address.port, keepalive=30)
        except ssl.SSLCertVerificationError as exc:
            raise DynsecError(f"the broker at {where} is not the one expected: its TLS certificate "
                              f"{exc.verify_message} (check CITYHUB_MQTT_CA_FILE and the host name)") from None
        except ssl.SSLError as exc:
            raise DynsecError(f"TLS with the broker at {where} failed: {exc.reason or exc} (is this the "
                              "broker's TLS port?)") from None
        except OSError as exc:
            hint = " (TLS: is this the broker's TLS port?)" if self._tls else ""
            raise DynsecError(f"cannot reach the broker at {where}: {exc}{hint}") from None
        self.client.loop_start()
        answered = self._subscribed.wait(self.timeout_s)
        if self._refused:
            self.close()
            raise DynsecError(f"the broker at {where} refused the admin login {self.address.user!r}: "
                              f"{self._refused}")
        if not answered:
            self.close()
            raise DynsecError(f"the broker at {where} did not accept the admin connection within "
                              f"{self.timeout_s:g} s")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _on_connect(self, client: mqtt.Client, userdata: object, flags: object, reason: Any,
                    properties: object) -> None:
        if reason.is_failure:
            self._refused = str(reason)
            self._subscribed.set()   # wake open(): it reports the refusal
            client.disconnect()
            return
        self._connected.set()
        client.subscribe(RESPONSE_TOPIC, qos=1)

    def _on_subscribe(self, client: mqtt.Client, userdata: object, mid: int, codes: Any,
                      properties: object) -> None:
        if any(getattr(code, "is_failure", False) for code in codes):
            self._refused = "not allowed to read the control API's answers"
        self._subscribed.set()

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        try:
            responses = json.loads(msg.payload)["responses"]
        except (ValueError, KeyError, TypeError):
            return
        for response in responses:
            key = str(response.get("correlationData", ""))
            with self._lock:
                waiter = self._waiting.get(key)
            if waiter is not None:
                waiter[1].append(response)
                waiter[0].set()

    # -- commands ------------------------------------------------------------------------
    def execute(self, command: str, **fields: Any) -> dict[str, Any]:
        """Run one control command; returns the broker's answer or raises DynsecError with its reason."""
        if self._refused:
            raise DynsecError(f"the broker refused the admin login: {self._refused}")
        key = uuid.uuid4().hex
        done: threading.Event = threading.Event()
        box: list[dict[str, Any]] = []
        with self._lock:
            self._waiting[key] = (done, box)
        try:
            body = json.dumps({"commands": [{"command": command, "correlationData": key, **fields}]})
            self.client.publish(CONTROL_TOPIC, body, qos=1)
            if not done.wait(self.timeout_s):
                raise DynsecError(f"the broker did not answer {command} within {self.timeout_s:g} s "
                                  "(is the dynamic-security plugin loaded, and may this login use it?)")
        finally:
            with self._lock:
                self._waiting.pop(key, None)
        answer = box[0]
        error = answer.get("error")
        if error:
            subject = fields.get("username") or fields.get("rolename") or ""
            text = f"broker refused {command}{' ' + repr(subject) if subject else ''}: {error}"
            raise NotFound(text) if "not found" in str(error).lower() else DynsecError(text)
        return answer

    def create_role(self, rolename: str, acls: list[Acl], textname: str = "") -> None:
        self.execute("createRole", rolename=rolename, textname=textname, acls=acls)

    def delete_role(self, rolename: str) -> None:
        self.execute("deleteRole", rolename=rolename)

    def create_client(self, username: str, password: str, roles: list[str], clientid: str | None = None,
                      textname: str = "") -> None:
        fields: dict[str, Any] = {"username": username, "password": password, "textname": textname,
                                  "roles": [{"rolename": r, "priority": -1} for r in roles]}
        if clientid:
            fields["clientid"] = clientid
        self.execute("createClient", **fields)

    def set_password(self, username: str, password: str) -> None:
        """New password; the broker disconnects the client's current session."""
        self.execute("setClientPassword", username=username, password=password)

    def disable_client(self, username: str) -> None:
        """The client may no longer log in; a connected session is cut at once."""
        self.execute("disableClient", username=username)

    def enable_client(self, username: str) -> None:
        self.execute("enableClient", username=username)

    def clear_retained(self, topic: str) -> None:
        """Remove the broker's retained message on `topic` (an empty retained publish); subscribers see an
        empty message."""
        info = self.client.publish(topic, b"", qos=1, retain=True)
        info.wait_for_publish(self.timeout_s)
        if not info.is_published():
            raise DynsecError(f"the broker did not confirm removing the retained message on {topic}")

    def delete_client(self, username: str) -> None:
        self.execute("deleteClient", username=username)

    def get_client(self, username: str) -> dict[str, Any]:
        client: dict[str, Any] = self.execute("getClient", username=username)["data"]["client"]
        return client


def password_entry(password: str, iterations: int = 101) -> dict[str, Any]:
    """A client's password as the plugin stores it: PBKDF2-HMAC-SHA512 with a 12-byte random salt."""
    salt = os.urandom(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations, 64)
    return {"password": base64.b64encode(digest).decode(), "salt": base64.b64encode(salt).decode(),
            "iterations": iterations}


def initial_config(admin: tuple[str, str], hub: tuple[str, str]) -> dict[str, Any]:
    """The plugin's starting file: deny by default, an admin client (control API only) and the hub's client."""
    return {
        "defaultACLAccess": DEFAULT_ACL_ACCESS,
        "clients": [
            {"username": admin[0], "textname": "cityhub provisioning", "roles": [{"rolename": ADMIN_ROLE}],
             **password_entry(admin[1])},
            {"username": hub[0], "textname": "cityhub ingest and commands", "roles": [{"rolename": HUB_ROLE}],
             **password_entry(hub[1])},
        ],
        "groups": [],
        "roles": [
            {"rolename": ADMIN_ROLE, "textname": "dynamic-security control API", "acls": admin_acls()},
            {"rolename": HUB_ROLE, "textname": "reads device channels, sends commands", "acls": hub_acls()},
        ],
    }
