"""Board definitions (boards/*.json): which GPIOs a board has, what each can do, and its default wiring.

`load_board(name)` reads and checks a definition; `check_pins(board, kind, pins)` checks a wiring against
the pin roles of a kind (hub/provision/roles.py) and the board's capabilities, and raises `BoardError`
naming the first problem, before anything is written to a board.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub.provision.roles import NEEDS, roles_for

BOARDS_DIR = Path(__file__).resolve().parents[2] / "boards"
CAPABILITIES = ("pcnt", "deep_sleep", "pwm")


class BoardError(ValueError):
    """A board definition or a wiring that cannot work."""


@dataclass(frozen=True)
class Board:
    name: str
    title: str
    chip: str                        # what MicroPython reports: os.uname().machine ends with "with <chip>"
    gpio: frozenset[int]
    reserved: dict[int, str]
    input_only: frozenset[int]
    no_pull: frozenset[int]          # inputs without internal pull-up/pull-down resistors
    adc: frozenset[int]
    capabilities: dict[str, bool]
    pins: dict[str, dict[str, int]] = field(default_factory=dict)   # default wiring per kind
    source: dict[str, Any] = field(default_factory=dict)             # the file as read (copied to /board.json)

    def matches_machine(self, machine: str) -> bool:
        """True if `os.uname().machine` of a board names this chip ("... with ESP32C3")."""
        return machine.strip().upper().endswith("WITH " + self.chip.upper())

    def default_pins(self, kind: str) -> dict[str, int]:
        try:
            return dict(self.pins[kind])
        except KeyError:
            raise BoardError(f"board {self.name} has no default wiring for {kind}; "
                             f"give every pin with --pin role=gpio") from None


def _ints(data: dict[str, Any], key: str, name: str) -> frozenset[int]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise BoardError(f"board {name}: '{key}' must be a list of GPIO numbers")
    return frozenset(value)


def parse_board(data: dict[str, Any], name: str) -> Board:
    """A Board from a definition's JSON content; BoardError naming what is wrong with it."""
    for key in ("name", "title", "chip", "gpio", "capabilities"):
        if key not in data:
            raise BoardError(f"board {name}: '{key}' is missing")
    if data["name"] != name:
        raise BoardError(f"board {name}: its file says name {data['name']!r}")
    caps = data["capabilities"]
    if not isinstance(caps, dict) or set(caps) != set(CAPABILITIES) or not all(isinstance(v, bool) for v in caps.values()):
        raise BoardError(f"board {name}: 'capabilities' must give true/false for each of {', '.join(CAPABILITIES)}")
    reserved_raw = data.get("reserved", {})
    if not isinstance(reserved_raw, dict):
        raise BoardError(f"board {name}: 'reserved' must map GPIO numbers to a reason")
    try:
        reserved = {int(k): str(v) for k, v in reserved_raw.items()}
    except ValueError:
        raise BoardError(f"board {name}: 'reserved' keys must be GPIO numbers") from None
    pins = data.get("pins", {})
    if not isinstance(pins, dict) or not all(isinstance(p, dict) for p in pins.values()):
        raise BoardError(f"board {name}: 'pins' must map each kind to {{role: gpio}}")
    return Board(name=name, title=str(data["title"]), chip=str(data["chip"]), gpio=_ints(data, "gpio", name),
                 reserved=reserved, input_only=_ints(data, "input_only", name),
                 no_pull=_ints(data, "no_pull", name), adc=_ints(data, "adc", name),
                 capabilities=dict(caps), pins={k: dict(v) for k, v in pins.items()}, source=data)


def board_names(boards_dir: Path = BOARDS_DIR) -> list[str]:
    return sorted(p.stem for p in boards_dir.glob("*.json"))


def load_board(name: str, boards_dir: Path = BOARDS_DIR) -> Board:
    path = boards_dir / f"{name}.json"
    if not path.is_file():
        known = ", ".join(board_names(boards_dir)) or "none"
        raise BoardError(f"unknown board {name!r} (board definitions in {boards_dir}: {known})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BoardError(f"board {name}: {path} is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise BoardError(f"board {name}: {path} must hold a JSON object")
    return parse_board(data, name)


def check_capabilities(board: Board, kind: str) -> None:
    for cap in NEEDS.get(kind, ()):
        if not board.capabilities.get(cap, False):
            raise BoardError(f"{kind} needs capability '{cap}', which board {board.name} does not have")


def check_pins(board: Board, kind: str, pins: dict[str, int]) -> dict[str, int]:
    """The wiring, checked: known roles, required roles present, each GPIO usable for its role, none twice."""
    roles = roles_for(kind)
    check_capabilities(board, kind)
    used: dict[int, str] = {}
    for role, gpio in pins.items():
        if role not in roles:
            raise BoardError(f"unknown pin role {role!r} for {kind} (roles: {', '.join(roles)})")
        if not isinstance(gpio, int) or isinstance(gpio, bool):
            raise BoardError(f"pin {role} must be a GPIO number, not {gpio!r}")
        spec = roles[role]
        where = f"{role} (GPIO {gpio}) on {board.name}"
        if gpio in board.reserved:
            raise BoardError(f"pin {where}: GPIO {gpio} is reserved: {board.reserved[gpio]}")
        if gpio not in board.gpio:
            raise BoardError(f"pin {where}: this board has no GPIO {gpio} "
                             f"(usable: {', '.join(str(g) for g in sorted(board.gpio - set(board.reserved)))})")
        if spec.drives and gpio in board.input_only:
            raise BoardError(f"pin {where}: GPIO {gpio} is input-only, but {role} is driven as an output "
                             f"({spec.what})")
        if spec.pull and gpio in board.no_pull:
            raise BoardError(f"pin {where}: GPIO {gpio} has no internal pull-{spec.pull}, which {role} needs "
                             f"({spec.what}); choose a pin that has one")
        if spec.direction == "adc" and gpio not in board.adc:
            raise BoardError(f"pin {where}: GPIO {gpio} cannot be read by the ADC while WiFi is on "
                             f"(ADC pins: {', '.join(str(g) for g in sorted(board.adc))})")
        if gpio in used:
            raise BoardError(f"GPIO {gpio} is used twice on {board.name}: for {used[gpio]} and for {role}")
        used[gpio] = role
    missing = [r for r, spec in roles.items() if spec.required and r not in pins]
    if missing:
        raise BoardError(f"{kind} needs pin {', '.join(missing)} on {board.name} (give it with --pin role=gpio)")
    return dict(pins)


def parse_pin_options(items: list[str]) -> dict[str, int]:
    """`["pulse=27", "sense=34"]` -> {"pulse": 27, "sense": 34}."""
    out: dict[str, int] = {}
    for item in items:
        role, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            out[role.strip()] = int(value, 0)
        except ValueError:
            raise BoardError(f"--pin {item!r}: expected role=gpio, e.g. pulse=27") from None
    return out
