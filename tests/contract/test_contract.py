"""The firmware <-> hub message contract, checked through the committed examples in tests/contract/examples.

The examples are produced by the real firmware (tests/contract/generate.py). This module checks that:
  (a) the firmware still produces them: re-generated examples have the same topics, key sets and value
      types as the committed ones (regenerate and commit them after a deliberate firmware change);
  (b) the hub accepts every one of them as a Message of the right kind and channel, unchanged;
  (c) the hub asks for nothing the firmware never sends: every field of every hub model appears in some
      example, every registered (kind, channel) has an example, and removing a required key or renaming
      the kind makes the hub reject the message.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

from hub.validate.kinds import CHANNELS, KINDS, data_model
from hub.validate.models import Envelope
from hub.validate.validator import Message, Rejection, parse_topic, validate

HERE = Path(__file__).resolve().parent
EXAMPLES_DIR = HERE / "examples"
EXAMPLE_FILES = sorted(EXAMPLES_DIR.glob("*.json"))
REGENERATE = "regenerate them with `.venv/bin/python tests/contract/generate.py` and commit the result"


def _load_generator() -> ModuleType:
    # by path: tests/contract is not a package, and the module name must not clash with anything else
    spec = importlib.util.spec_from_file_location("cityhub_contract_generate", HERE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load(path: Path) -> dict[str, Any]:
    example = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(example, dict) and sorted(example) == ["payload", "topic"], path.name
    return example


def _encode(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):   # before int: bool is an int in Python, never in the contract
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    raise TypeError(f"not a JSON value: {value!r}")


def shape(value: Any, path: str = "") -> dict[str, str]:
    """Flatten a JSON value to {path: type}: its key sets and value types, recursively (list items as [])."""
    out = {path or ".": _type_name(value)}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(shape(item, f"{path}.{key}"))
    elif isinstance(value, list):
        for item in value:
            for item_path, kind in shape(item, f"{path}[]").items():
                if out.get(item_path, kind) != kind:
                    kind = "mixed"
                out[item_path] = kind
    return out


def _differences(committed: dict[str, str], fresh: dict[str, str]) -> list[str]:
    out = []
    for path in sorted(set(committed) | set(fresh)):
        if committed.get(path) != fresh.get(path):
            out.append(f"{path}: committed {committed.get(path, 'absent')}, firmware now {fresh.get(path, 'absent')}")
    return out


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("contract-examples")
    _load_generator().write_examples(out)
    return {p.stem: _load(p) for p in sorted(out.glob("*.json"))}


def _examples() -> dict[str, dict[str, Any]]:
    return {p.stem: _load(p) for p in EXAMPLE_FILES}


def _channel_of(example: dict[str, Any]) -> str:
    where = parse_topic(example["topic"])
    assert where is not None, example["topic"]
    return where[1]


# --- the committed examples ------------------------------------------------------------------------------

def test_committed_examples_exist() -> None:
    names = {p.stem for p in EXAMPLE_FILES}
    required = {"water_meter.tele", "water_meter.evt.LEAK.raised", "water_meter.evt.LEAK.cleared",
                "water_meter.health", "water_meter.status.online", "water_meter.status.offline",
                "water_meter.ack"}
    assert required <= names, f"missing examples {sorted(required - names)}; {REGENERATE}"


def test_example_names_match_their_content() -> None:
    for name, example in _examples().items():
        payload = example["payload"]
        channel = _channel_of(example)
        parts = name.split(".")
        assert parts[:2] == [payload["kind"], channel], name
        if channel == "evt":
            assert parts[2:] == [payload["data"]["alarm"], payload["data"]["state"]], name
        if channel == "status":
            assert parts[2:] == [payload["data"]["state"]], name


# --- (a) the firmware still produces what is committed ---------------------------------------------------

def test_regenerated_examples_are_the_committed_set(regenerated: dict[str, dict[str, Any]]) -> None:
    committed = sorted(_examples())
    assert sorted(regenerated) == committed, f"the firmware now produces other examples; {REGENERATE}"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_regenerated_example_has_the_committed_structure(path: Path,
                                                         regenerated: dict[str, dict[str, Any]]) -> None:
    committed = _load(path)
    fresh = regenerated.get(path.stem)
    assert fresh is not None, f"the firmware no longer produces {path.name}; {REGENERATE}"
    assert fresh["topic"] == committed["topic"]
    diff = _differences(shape(committed["payload"]), shape(fresh["payload"]))
    assert not diff, f"{path.name}: the firmware's message changed; {REGENERATE}:\n  " + "\n  ".join(diff)


def test_shape_sees_keys_types_and_nesting() -> None:
    base = {"a": 1, "b": [{"c": "x"}], "d": None}
    assert shape(base) == {".": "object", ".a": "int", ".b": "list", ".b[]": "object", ".b[].c": "str",
                           ".d": "null"}
    for changed in ({"a": 1.0, "b": [{"c": "x"}], "d": None},      # int -> float
                    {"a": True, "b": [{"c": "x"}], "d": None},     # int -> bool
                    {"a": 1, "b": [{"c": 1}], "d": None},          # nested type
                    {"a": 1, "b": [{"c": "x", "e": 2}], "d": None},  # nested extra key
                    {"a": 1, "b": [{"c": "x"}]},                   # missing key
                    {"a": 1, "b": [{"c": "x"}], "d": None, "z": 0}):   # extra key
        assert _differences(shape(base), shape(changed)), changed


# --- (b) the hub accepts every example as sent -----------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_hub_accepts_example(path: Path) -> None:
    example = _load(path)
    payload = example["payload"]
    result = validate(example["topic"], _encode(payload))
    assert isinstance(result, Message), f"{path.name}: {result}"
    assert result.kind == payload["kind"] == path.stem.split(".")[0]
    assert result.channel == _channel_of(example) == path.stem.split(".")[1]
    assert result.device_id == payload["id"]
    assert (result.ts_ms, result.seq, list(result.flags)) == (payload["ts"], payload["seq"], payload["q"])
    assert isinstance(result.data, data_model(KINDS[result.kind], result.channel))
    # nothing dropped, nothing coerced to another value
    assert result.data.model_dump(exclude_unset=True) == payload["data"]


# --- (c) every hub field is something the firmware sends; the hub checks what it asks for -----------------

def _fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


def _required(model: type[BaseModel]) -> set[str]:
    return {name for name, field in model.model_fields.items() if field.is_required()}


def test_every_registered_channel_has_an_example() -> None:
    seen = {(e["payload"]["kind"], _channel_of(e)) for e in _examples().values()}
    wanted = {(kind, channel) for kind in KINDS for channel in CHANNELS}
    assert not wanted - seen, f"no example for {sorted(wanted - seen)}"


def test_every_envelope_field_is_sent() -> None:
    for name, example in _examples().items():
        assert set(example["payload"]) == _fields(Envelope), name


def test_every_data_model_field_is_sent_by_the_firmware() -> None:
    sent: dict[tuple[str, str], set[str]] = {}
    for example in _examples().values():
        key = (example["payload"]["kind"], _channel_of(example))
        sent.setdefault(key, set()).update(example["payload"]["data"])
    for kind_name, kind in KINDS.items():
        for channel in CHANNELS:
            model = data_model(kind, channel)
            never = _fields(model) - sent.get((kind_name, channel), set())
            assert not never, (f"hub model {model.__name__} ({kind_name}/{channel}) has fields the firmware "
                               f"never sends: {sorted(never)}")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_removing_a_required_envelope_key_is_rejected(path: Path) -> None:
    example = _load(path)
    for key in sorted(_required(Envelope)):
        payload = copy.deepcopy(example["payload"])
        del payload[key]
        result = validate(example["topic"], _encode(payload))
        assert isinstance(result, Rejection) and result.category == "envelope", (key, result)
        assert key in result.reason, (key, result.reason)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_removing_a_data_key_is_rejected_only_when_required(path: Path) -> None:
    example = _load(path)
    channel = _channel_of(example)
    model = data_model(KINDS[example["payload"]["kind"]], channel)
    required = _required(model)
    assert required, model.__name__
    for key in sorted(example["payload"]["data"]):
        payload = copy.deepcopy(example["payload"])
        del payload["data"][key]
        result = validate(example["topic"], _encode(payload))
        if key in required:
            assert isinstance(result, Rejection) and result.category == "data", (key, result)
            assert key in result.reason, (key, result.reason)
        else:
            assert isinstance(result, Message), (key, result)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_renaming_the_kind_is_rejected(path: Path) -> None:
    example = _load(path)
    for kind in ("water_meter2", "Water_meter", "watermeter", ""):
        payload = copy.deepcopy(example["payload"])
        payload["kind"] = kind
        result = validate(example["topic"], _encode(payload))
        assert isinstance(result, Rejection) and result.category == "unknown_kind", (kind, result)
