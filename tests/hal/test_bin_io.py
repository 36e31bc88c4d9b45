"""The smart bin's hardware layer (firmware/hal/bin_io.py) on a stand-in `machine`/`esp32` (CPython only: the
real modules exist on the board alone). Covers the compactor's pulse counting and its deep-sleep wake."""

from __future__ import annotations

import importlib
import sys
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest


class FakePin:
    IN, OUT, PULL_UP, IRQ_FALLING = 1, 3, 2, 4

    def __init__(self, pin: int, mode: int = 1, pull: int | None = None, value: int | None = None) -> None:
        self.level = 1   # pulled up: contact open
        self.handler: Callable[[FakePin], None] | None = None

    def value(self, v: int | None = None) -> int:
        return self.level

    def irq(self, handler: Callable[[FakePin], None], trigger: int) -> None:
        self.handler = handler

    def close(self, ticks: list[int], at_ms: int) -> None:
        ticks[0] = at_ms
        self.level = 0
        if self.handler is not None:
            self.handler(self)


@pytest.fixture
def hal(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, types.SimpleNamespace, list[int]]]:
    ticks = [0]
    state = types.SimpleNamespace(cause=1, wake=0, armed=[])
    machine = types.ModuleType("machine")
    machine.Pin = FakePin   # type: ignore[attr-defined]
    machine.DEEPSLEEP_RESET, machine.EXT0_WAKE = 4, 2   # type: ignore[attr-defined]
    machine.reset_cause = lambda: state.cause   # type: ignore[attr-defined]
    machine.wake_reason = lambda: state.wake   # type: ignore[attr-defined]
    esp32 = types.ModuleType("esp32")
    esp32.WAKEUP_ALL_LOW = False   # type: ignore[attr-defined]
    esp32.wake_on_ext0 = lambda pin, level: state.armed.append(level)   # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "machine", machine)
    monkeypatch.setitem(sys.modules, "esp32", esp32)
    monkeypatch.setattr(time, "ticks_ms", lambda: ticks[0], raising=False)
    monkeypatch.setattr(time, "ticks_diff", lambda a, b: a - b, raising=False)
    monkeypatch.delitem(sys.modules, "cityfw.hal.bin_io", raising=False)
    yield importlib.import_module("cityfw.hal.bin_io"), state, ticks
    sys.modules.pop("cityfw.hal.bin_io", None)


def test_compactor_counts_closures_but_not_contact_bounce(hal: tuple[Any, Any, list[int]]) -> None:
    bin_io, _, ticks = hal
    c = bin_io.Compactor(14)
    for at in (1000, 1003, 1010, 1030):   # one closure, bouncing
        c.pin.close(ticks, at)
    c.pin.close(ticks, 9000)              # the next cycle
    assert c.take() == 2 and c.take() == 0


def test_a_closed_compactor_contact_does_not_arm_the_wake(hal: tuple[Any, Any, list[int]]) -> None:
    bin_io, state, ticks = hal
    state.cause, state.wake = 4, 2   # woken from deep sleep by the compactor (ext0)
    c = bin_io.Compactor(14)
    assert c.take() == 1, "the closure that woke the board is one cycle"
    c.pin.close(ticks, 20)   # the same closure, bouncing right after the wake
    assert c.take() == 0
    # the contact is still closed when the board goes back to sleep: a low-level wake would fire at once and
    # count this closure again, over and over (a stuck contact would keep the board awake)
    assert c.arm_wake() is False and state.armed == []
    c.pin.level = 1
    assert c.arm_wake() is True and state.armed == [False]


def test_a_chip_without_ext0_wake_sleeps_on_the_timer_instead_of_crashing(hal: tuple[Any, Any, list[int]]) -> None:
    bin_io, state, _ = hal
    del sys.modules["esp32"].wake_on_ext0   # type: ignore[attr-defined]   # ESP32-C3: no ext0
    del sys.modules["machine"].EXT0_WAKE    # type: ignore[attr-defined]
    state.cause = 4
    c = bin_io.Compactor(14)
    assert c.take() == 0, "no ext0 wake on this chip: a timer wake is no compaction"
    assert c.arm_wake() is False and state.armed == []
