"""Board definitions (boards/*.json) and the pin checks run on the host before anything is flashed."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from hub.provision.boards import (
    BOARDS_DIR,
    Board,
    BoardError,
    board_names,
    check_pins,
    load_board,
    parse_pin_options,
)
from hub.provision.bundle import apps_registry
from hub.provision.roles import ROLES

DEVKITC = "esp32-devkitc"
C3 = "esp32-c3-devkitm-1"


def test_shipped_boards_include_a_classic_esp32_and_a_c3() -> None:
    assert {DEVKITC, C3} <= set(board_names())
    assert load_board(DEVKITC).chip == "ESP32"
    assert load_board(C3).chip == "ESP32C3"


@pytest.mark.parametrize("name", board_names())
def test_every_default_wiring_of_every_board_passes_its_own_checks(name: str) -> None:
    board = load_board(name)
    assert set(board.pins) == set(ROLES), f"{name} must give a default wiring for every kind"
    for kind, pins in board.pins.items():
        assert check_pins(board, kind, pins) == pins


def test_every_firmware_kind_has_pin_roles() -> None:
    assert set(apps_registry()) <= set(ROLES), "a kind in firmware/core/boot.py APPS has no pin roles"


def test_capabilities_say_which_board_has_a_hardware_pulse_counter() -> None:
    assert load_board(DEVKITC).capabilities["pcnt"] is True
    assert load_board(C3).capabilities["pcnt"] is False
    for name in (DEVKITC, C3):
        assert load_board(name).capabilities["deep_sleep"] is True


def _error(board: Board, kind: str, pins: dict[str, int]) -> str:
    with pytest.raises(BoardError) as err:
        check_pins(board, kind, pins)
    return str(err.value)


def test_unknown_pin_is_refused() -> None:
    msg = _error(load_board(DEVKITC), "water_meter", {"pulse": 40})
    assert "has no GPIO 40" in msg and "pulse" in msg


def test_input_only_pin_used_as_output_is_refused() -> None:
    board = load_board(DEVKITC)
    pins = board.default_pins("smart_bin") | {"us_trig": 34, "temp": 32}
    msg = _error(board, "smart_bin", pins)
    assert "GPIO 34 is input-only" in msg and "us_trig" in msg


def test_pin_used_twice_is_refused() -> None:
    msg = _error(load_board(DEVKITC), "pedestrian_counter", {"beam_a": 32, "beam_b": 32})
    assert "GPIO 32 is used twice" in msg and "beam_a" in msg and "beam_b" in msg


def test_missing_capability_is_refused() -> None:
    board = load_board(DEVKITC)
    no_sleep = replace(board, name="mains-only", capabilities=board.capabilities | {"deep_sleep": False})
    msg = _error(no_sleep, "smart_bin", board.default_pins("smart_bin"))
    assert "smart_bin needs capability 'deep_sleep'" in msg and "mains-only" in msg
    no_pwm = replace(board, name="no-pwm", capabilities=board.capabilities | {"pwm": False})
    assert "needs capability 'pwm'" in _error(no_pwm, "park_light", board.default_pins("park_light"))


def test_pulse_input_without_internal_pull_up_is_refused() -> None:
    msg = _error(load_board(DEVKITC), "water_meter", {"pulse": 35})
    assert "no internal pull-up" in msg


def test_motion_input_without_internal_pull_down_is_refused() -> None:
    board = load_board(DEVKITC)
    msg = _error(board, "park_light", board.default_pins("park_light") | {"pir": 36})
    assert "GPIO 36 has no internal pull-down" in msg


def test_reserved_and_strapping_pins_are_refused_with_the_reason() -> None:
    assert "SPI flash" in _error(load_board(DEVKITC), "water_meter", {"pulse": 6})
    assert "strapping" in _error(load_board(DEVKITC), "water_meter", {"pulse": 12})
    assert "console" in _error(load_board(C3), "water_meter", {"pulse": 21})


def test_analogue_role_needs_an_adc_pin_usable_with_wifi() -> None:
    msg = _error(load_board(DEVKITC), "water_meter", {"pulse": 27, "sense": 26})
    assert "cannot be read by the ADC while WiFi is on" in msg


def test_required_role_missing_and_unknown_role_are_refused() -> None:
    assert "needs pin pulse" in _error(load_board(DEVKITC), "water_meter", {"sense": 34})
    assert "unknown pin role 'flow'" in _error(load_board(DEVKITC), "water_meter", {"pulse": 27, "flow": 26})


def test_unknown_board_lists_the_known_ones() -> None:
    with pytest.raises(BoardError) as err:
        load_board("esp8266")
    assert "unknown board 'esp8266'" in str(err.value) and DEVKITC in str(err.value)


def test_a_broken_definition_file_is_refused(tmp_path: Path) -> None:
    data = json.loads((BOARDS_DIR / f"{DEVKITC}.json").read_text())
    del data["capabilities"]["pwm"]
    (tmp_path / f"{DEVKITC}.json").write_text(json.dumps(data))
    with pytest.raises(BoardError) as err:
        load_board(DEVKITC, tmp_path)
    assert "capabilities" in str(err.value)


def test_the_chip_micropython_reports_is_matched_exactly() -> None:
    assert load_board(DEVKITC).matches_machine("Generic ESP32 module with ESP32")
    assert not load_board(DEVKITC).matches_machine("ESP32C3 module with ESP32C3")
    assert load_board(C3).matches_machine("ESP32C3 module with ESP32C3")


def test_pin_options_parse_and_refuse_garbage() -> None:
    assert parse_pin_options(["pulse=26", "sense=0x22"]) == {"pulse": 26, "sense": 34}
    with pytest.raises(BoardError):
        parse_pin_options(["pulse"])


def test_every_pin_role_the_firmware_hardware_layer_reads_is_in_the_contract() -> None:
    """firmware/hal/*.py reads config pins by role name; each must be a role of some kind (no drift)."""
    hal = Path(__file__).resolve().parents[2] / "firmware" / "hal"
    read = {m.group(1) for f in hal.glob("*.py")
            for m in re.finditer(r"pins(?:\[|\.get\()\s*\"(\w+)\"", f.read_text(encoding="utf-8"))}
    known = {role for roles in ROLES.values() for role in roles}
    assert read, "found no pin reads in firmware/hal"
    assert read <= known, f"roles read by the HAL but not in hub/provision/roles.py: {sorted(read - known)}"
