"""What every contract generator shares: a board whose broker is unreachable, and its outbox read back.

The examples are what the real firmware queued, exactly as `Supervisor._send` would publish them.
"""

from __future__ import annotations

import json
from typing import Any

from cityfw.core import message
from cityfw.core.supervisor import Supervisor

Example = dict[str, Any]   # {"topic": str, "payload": dict}
Sent = list[tuple[str, dict[str, Any]]]   # (channel, payload) in outbox order


def no_broker(host: str, port: int, timeout_ms: int) -> Any:
    """The board's socket factory: the generators run offline, so every message stays in the outbox."""
    raise OSError("no broker: the contract generator runs offline")


def read_outbox(sup: Supervisor, sent: Sent) -> None:
    """Move what the supervisor queued into `sent` (and acknowledge it, as a delivery would)."""
    if sup.link.connected:
        raise RuntimeError("the contract generator's board must stay offline")
    outbox = sup.outbox
    while True:
        rec = outbox.peek()
        if rec is None:
            return
        _seq, channel, payload = rec
        sent.append((channel, json.loads(payload)))
        outbox.ack()


class OfflineScenario:
    """A scenario's board: `sup` (its supervisor) and `sent` (what it queued so far); a pass runs the firmware
    once and reads its outbox back; commands arrive as the link's MQTT callback delivers them."""

    sup: Supervisor
    sent: Sent

    def _pass(self) -> None:
        self.sup.run_once()
        read_outbox(self.sup, self.sent)

    def command(self, cmd: dict[str, Any]) -> None:
        # what the link's MQTT callback does with a message on the cmd topic; answered on the next pass
        self.sup.link.on_command(json.dumps(cmd).encode())
        self._pass()

    def status(self, state: str) -> dict[str, Any]:
        """The board's birth or last will, as it would publish it."""
        return dict(json.loads(self.sup._status(state)))


def example_name(channel: str, payload: dict[str, Any]) -> str:
    """`<kind>.<channel>`, `<kind>.evt.<ALARM>.<state>` or `<kind>.ack.refused`: the example's file name."""
    data = payload["data"]
    if channel == message.EVT:
        return f"{payload['kind']}.{channel}.{data['alarm']}.{data['state']}"
    if channel == message.ACK and not data["ok"]:
        return f"{payload['kind']}.{channel}.refused"
    return f"{payload['kind']}.{channel}"


def collect_examples(what: str, device_id: str, chosen: dict[str, tuple[str, dict[str, Any]]],
                     statuses: dict[str, dict[str, Any]], expected: tuple[str, ...]) -> dict[str, Example]:
    """The chosen messages and the status messages as examples, sorted by name; fails loudly naming what the
    scenario (`what`) did not produce."""
    examples = {name: {"topic": message.topic(payload["id"], channel), "payload": payload}
                for name, (channel, payload) in chosen.items()}
    for state, payload in statuses.items():
        examples[f"{payload['kind']}.status.{state}"] = {"topic": message.topic(device_id, message.STATUS),
                                                          "payload": payload}
    missing = [name for name in expected if name not in examples]
    if missing:
        raise RuntimeError(f"the {what} scenario did not produce: {', '.join(missing)} "
                           f"(produced: {', '.join(sorted(examples))})")
    return {name: examples[name] for name in sorted(examples)}
