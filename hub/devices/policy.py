"""Who may do what on the broker: the topic rules of the device, hub and admin roles (one place for both).

A device publishes only under `city/v1/<its id>/<channel>` (tele, evt, health, status, ack) and reads only
`city/v1/<its id>/cmd`; a park light also publishes and reads its group's presence topic, and a pedestrian
counter given a group may publish (only) there, to tell the lights someone is coming. The hub reads every
device channel (also through shared subscriptions) and publishes commands. The admin role talks to the
dynamic-security control API and may remove a revoked device's retained status. Everything not allowed here is refused (the broker's default is deny).
"""

from __future__ import annotations

import re
from typing import Any

PREFIX = "city/v1"
DEVICE_CHANNELS = ("tele", "evt", "health", "status", "ack")
CONTROL_TOPIC = "$CONTROL/dynamic-security/v1"
HUB_ROLE = "cityhub"
ADMIN_ROLE = "cityhub-admin"
_GROUP = re.compile(r"[A-Za-z0-9_-]{1,32}")   # whole string (fullmatch): "$" would let a final "\n" in

Acl = dict[str, Any]

DEFAULT_ACL_ACCESS = {"publishClientSend": False, "publishClientReceive": False, "subscribe": False,
                      "unsubscribe": True}


def acl(acltype: str, topic: str, allow: bool = True, priority: int = 0) -> Acl:
    return {"acltype": acltype, "topic": topic, "priority": priority, "allow": allow}


def device_role(device_id: str) -> str:
    return f"device-{device_id}"


def check_group(group: str) -> str:
    """A light group name goes into a topic: no wildcards, separators or surprises."""
    if not _GROUP.fullmatch(group):
        raise ValueError(f"group {group!r} must be 1-32 of A-Z a-z 0-9 _ -")
    return group


def presence_topic(group: str) -> str:
    return f"{PREFIX}/group/{check_group(group)}/presence"


def device_acls(device_id: str, group: str | None = None, reads_group: bool = True) -> list[Acl]:
    """The rules of one device's own role. With a group it may publish on the group's presence topic, and
    read it too unless `reads_group` is False (a pedestrian counter only tells the lights)."""
    rules = [acl("publishClientSend", f"{PREFIX}/{device_id}/{channel}") for channel in DEVICE_CHANNELS]
    cmd = f"{PREFIX}/{device_id}/cmd"
    rules += [acl("subscribeLiteral", cmd), acl("publishClientReceive", cmd)]
    if group is not None:
        presence = presence_topic(group)
        rules.append(acl("publishClientSend", presence))
        if reads_group:
            rules += [acl("subscribeLiteral", presence), acl("publishClientReceive", presence)]
    return rules


def hub_acls() -> list[Acl]:
    """The hub reads all device channels (plain or shared subscriptions) and sends commands."""
    every = f"{PREFIX}/+/+"
    return [
        acl("subscribePattern", every),
        acl("subscribePattern", f"$share/+/{every}"),
        acl("publishClientReceive", every),
        acl("publishClientSend", f"{PREFIX}/+/cmd"),
    ]


def admin_acls() -> list[Acl]:
    """The provisioning client: the dynamic-security control API, and removing a revoked device's retained
    status (so nobody, the hub included, goes on reading "online" for a board that was cut off)."""
    topic = "$CONTROL/dynamic-security/#"
    return [acl("publishClientSend", topic), acl("publishClientReceive", topic), acl("subscribePattern", topic),
            acl("publishClientSend", f"{PREFIX}/+/status")]
