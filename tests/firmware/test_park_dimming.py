# test_park_dimming.py: the park light's ramp-hold-fade (cityfw.apps.dimming.Dimmer). CPython and MicroPython.
from cityfw.apps.dimming import Dimmer
from support import TICKS_PERIOD, FakeClock

CFG = {"base_pct": 20, "high_pct": 100, "ramp_ms": 500, "hold_s": 60, "fade_s": 30}


def _dimmer():
    clock = FakeClock(ms=TICKS_PERIOD - 5000)   # the tick counter wraps during the test
    return Dimmer(clock.ticks_diff, dict(CFG)), clock


def test_rests_at_base_without_presence():
    d, clock = _dimmer()
    assert d.level(clock.ticks_ms()) == 20, d.level(clock.ticks_ms())


def test_ramp_to_full_in_under_a_second_hold_then_fade_to_base():
    d, clock = _dimmer()
    d.trigger(clock.ticks_ms())
    clock.advance(250)
    mid = d.level(clock.ticks_ms())
    assert 20 < mid < 100, "half way up the ramp: %d" % mid
    clock.advance(750)
    assert d.level(clock.ticks_ms()) == 100, "full within 1 s"
    clock.advance(58000)    # 59 s after the detection
    assert d.level(clock.ticks_ms()) == 100, "held 60 s"
    clock.advance(16000)    # 15 s into the 30 s fade
    fading = d.level(clock.ticks_ms())
    assert 55 <= fading <= 65, "half way down: %d" % fading
    clock.advance(15000)
    assert d.level(clock.ticks_ms()) == 20, "back at base after the fade"


def test_each_detection_restarts_the_hold():
    d, clock = _dimmer()
    d.trigger(clock.ticks_ms())
    for _ in range(5):
        clock.advance(50000)
        d.trigger(clock.ticks_ms())
    clock.advance(59000)
    assert d.level(clock.ticks_ms()) == 100, "hold counts from the last detection"
    clock.advance(2000)
    assert d.level(clock.ticks_ms()) < 100, "then it fades"


def test_detection_during_the_fade_ramps_up_from_where_it_is():
    d, clock = _dimmer()
    d.trigger(clock.ticks_ms())
    clock.advance(75000)    # 15 s into the fade
    before = d.level(clock.ticks_ms())
    d.trigger(clock.ticks_ms())
    assert d.level(clock.ticks_ms()) == before, "no jump down: the ramp starts at the present level"
    clock.advance(500)
    assert d.level(clock.ticks_ms()) == 100, "full again"


def test_new_settings_apply_at_once():
    d, clock = _dimmer()
    d.cfg["base_pct"] = 35
    assert d.level(clock.ticks_ms()) == 35, d.level(clock.ticks_ms())
