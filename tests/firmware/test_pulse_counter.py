# test_pulse_counter.py: pulse counting with lockout (cityfw.drivers.pulse_counter) and the pulse line's
# sense-voltage states (cityfw.drivers.pulse_line). Runs on CPython and MicroPython.
from cityfw.drivers.pulse_counter import PulseCounter
from cityfw.drivers.pulse_line import CLOSED, CUT, OPEN, line_state
from support import TICKS_PERIOD, FakeClock

DAY = 24 * 3600 * 1000


def edges_at(counter, clock, offsets_ms):
    # one edge at each offset (ms, increasing) from the clock's current time
    done = 0
    for off in offsets_ms:
        clock.advance(off - done)
        done = off
        counter.on_edge(clock.ticks_ms())


def test_bounces_inside_lockout_are_counted_as_bounces_not_pulses():
    clock = FakeClock()
    pc = PulseCounter(clock.ticks_diff, 50)
    edges_at(pc, clock, [0, 3, 10, 49])
    assert pc.count == 1, ("one pulse, three bounces", pc.count)
    assert pc.bounces == 3, pc.bounces


def test_edge_after_lockout_is_a_new_pulse():
    clock = FakeClock()
    pc = PulseCounter(clock.ticks_diff, 50)
    edges_at(pc, clock, [0, 50, 99, 100, 1000])
    assert pc.count == 4, ("50 ms after the last accepted edge counts (the lockout is < 50)", pc.count)
    assert pc.bounces == 1, ("only the edge 49 ms after a pulse is a bounce", pc.bounces)


def test_lockout_is_measured_from_the_last_accepted_edge():
    clock = FakeClock()
    pc = PulseCounter(clock.ticks_diff, 50)
    edges_at(pc, clock, [i * 20 for i in range(11)])  # chatter every 20 ms for 200 ms
    assert pc.count == 4, ("accepted at 0, 60, 120, 180 ms", pc.count)
    assert pc.bounces == 7, pc.bounces


def test_take_returns_pulses_since_the_previous_take():
    clock = FakeClock()
    pc = PulseCounter(clock.ticks_diff, 50)
    assert pc.take() == 0, "nothing yet"
    edges_at(pc, clock, [0, 100, 200])
    assert pc.take() == 3, "first batch"
    assert pc.take() == 0, "already taken"
    edges_at(pc, clock, [100, 120, 300])
    assert pc.take() == 2, ("the bounce is not a pulse", pc.bounces)
    assert pc.count == 5, ("count keeps the total since boot", pc.count)


def test_lockout_works_across_the_tick_wrap():
    clock = FakeClock(ms=TICKS_PERIOD - 30)
    pc = PulseCounter(clock.ticks_diff, 50)
    edges_at(pc, clock, [0, 20, 40, 60])  # ticks wrap to 0 between the edges
    assert (pc.count, pc.bounces) == (2, 2), ("bounces at 20 and 40 ms, pulse at 60 ms", pc.count, pc.bounces)


def test_edge_after_a_week_of_silence_is_a_pulse_not_a_bounce():
    # ticks_diff wraps after 2**29 ms (~6.2 days): a holiday without water must not turn pulses into bounces
    clock = FakeClock()
    for days in (7, 9, 13):
        pc2 = PulseCounter(clock.ticks_diff, 50)
        pc2.on_edge(clock.ticks_ms())
        clock.advance(days * DAY)
        edges_at(pc2, clock, [0, 1000, 2000])
        assert (pc2.count, pc2.bounces) == (4, 0), (f"after {days} days", pc2.count, pc2.bounces)


def test_lockout_can_be_changed_at_runtime():
    clock = FakeClock()
    pc = PulseCounter(clock.ticks_diff, 50)
    pc.lockout_ms = 200
    edges_at(pc, clock, [0, 150, 200])
    assert (pc.count, pc.bounces) == (2, 1), (pc.count, pc.bounces)


def test_line_state_thresholds():
    cases = [
        (0, CLOSED),
        (495, CLOSED),
        (496, OPEN),
        (1650, OPEN),
        (2804, OPEN),
        (2805, CUT),
        (3300, CUT),
    ]
    for mv, want in cases:
        assert line_state(mv) == want, (mv, line_state(mv), want)
    assert line_state(2000, supply_mv=2200) == CUT, "thresholds follow the supply voltage"
    assert line_state(400, closed_fraction=0.1) == OPEN, "closed_fraction is honoured"


def test_bounce_when_a_long_closure_opens_is_not_a_pulse():
    # slow flow: the contact stays closed 2 s, then bounces as it opens; only the first closure counts
    c = PulseCounter(lambda a, b: a - b, lockout_ms=50)
    c.on_edge(1000, True)
    c.on_edge(3000, False)     # opens after 2 s
    c.on_edge(3003, True)      # bounce: closed again 3 ms later
    c.on_edge(3006, False)
    c.on_edge(3009, True)
    c.on_edge(3012, False)
    assert c.count == 1, ("one pulse", c.count)
    assert c.bounces == 2, c.bounces
    c.on_edge(5000, True)      # the next real pulse, long after the contact opened
    assert c.count == 2, c.count


def test_longest_span_of_two_pulse_intervals_is_kept_until_taken():
    # the LEAK estimate's pulse spacing: a steady leak can be no slower than its slowest pair of intervals
    clock = FakeClock(ms=TICKS_PERIOD - 2000)   # the spans cross the tick wrap
    pc = PulseCounter(clock.ticks_diff, 50)
    edges_at(pc, clock, [0, 1000])
    assert pc.take_span2() == 0, "two pulses are one interval: no span yet"
    edges_at(pc, clock, [1000, 1020, 3000, 3500])   # 1000 ms interval, a bounce, 2000 ms, 500 ms
    assert pc.bounces == 1, ("the bounce is not a pulse", pc.bounces)
    assert pc.take_span2() == 3000, "1000 + 2000 ms is the longest pair (the bounce does not split it)"
    assert pc.take_span2() == 0, "taken: starts again"
    edges_at(pc, clock, [200])
    assert pc.take_span2() == 700, ("500 + 200 ms: the pair spans the previous take", pc.span2_ms)
