# test_pedestrian_beam_pair.py: two-beam direction counting (cityfw.drivers.beam_pair.BeamPair).
# Runs on CPython and MicroPython. Edges are fed like the pin interrupts do, then processed like the main loop.
from cityfw.drivers.beam_pair import IN, A, B, BeamPair
from support import TICKS_PERIOD, FakeClock


def new_pair(clock, **kw):
    return BeamPair(clock.ticks_diff, kw.get("min_break_ms", 25), kw.get("window_ms", 1000),
                    kw.get("blocked_ms", 2500), kw.get("size", 64), now=clock.ticks_ms())


def play(pair, clock, edges):
    # edges: (ms from now, beam, broken), increasing; each is stored as the interrupt would, then the main loop
    # processes everything once, 100 ms after the last edge
    done = 0
    for at, beam, broken in edges:
        clock.advance(at - done)
        done = at
        pair.on_edge(beam, broken, clock.ticks_ms())
    clock.advance(100)
    pair.process(clock.ticks_ms())


def walker(first, start=0, lag=110, held=250):
    # one person: the first beam breaks at start, the second lag ms later; each stays broken held ms
    second = 1 - first
    edges = [(start, first, True), (start + lag, second, True), (start + held, first, False),
             (start + lag + held, second, False)]
    edges.sort()
    return edges


def test_a_then_b_is_in_and_b_then_a_is_out():
    clock = FakeClock()
    pair = new_pair(clock)
    play(pair, clock, walker(A))
    assert pair.counts == [1, 0], ("a then b is one passage in", pair.counts)
    play(pair, clock, walker(B))
    assert pair.counts == [1, 1], ("b then a is one passage out", pair.counts)
    assert (pair.unpaired, pair.glitches) == (0, 0), (pair.unpaired, pair.glitches)


def test_walkers_one_after_the_other_each_count_even_while_a_beam_is_still_broken():
    clock = FakeClock()
    pair = new_pair(clock)
    # the second walker breaks a 300 ms after the first: b is still broken by the first walker
    play(pair, clock, sorted(walker(A, 0) + walker(A, 300) + walker(A, 900)))
    assert pair.counts[IN] == 3, ("three passages in", pair.counts)


def test_breaks_shorter_than_25_ms_are_ignored_and_counted_as_glitches():
    clock = FakeClock()
    pair = new_pair(clock)
    # an insect on b (24 ms), then a on a (10 ms), then a real walker out
    play(pair, clock, [(0, B, True), (24, B, False), (200, A, True), (210, A, False)] + walker(B, 500))
    assert pair.glitches == 2, ("two glitches", pair.glitches)
    assert pair.counts == [0, 1], ("the glitches did not arm the pair: one passage out", pair.counts)
    assert pair.unpaired == 0, pair.unpaired


def test_a_25_ms_break_counts():
    clock = FakeClock()
    pair = new_pair(clock)
    play(pair, clock, [(0, A, True), (25, A, False), (30, B, True), (55, B, False)])
    assert pair.counts == [1, 0], ("breaks of exactly min_break_ms take part", pair.counts)


def test_a_break_confirmed_while_still_broken_counts_at_the_next_pass():
    clock = FakeClock()
    pair = new_pair(clock)
    pair.on_edge(A, True, clock.ticks_ms())
    clock.advance(120)
    pair.on_edge(B, True, clock.ticks_ms())
    clock.advance(50)
    pair.process(clock.ticks_ms())   # both beams still broken; a 170 ms, b 50 ms
    assert pair.counts == [1, 0], ("counted without waiting for the releases", pair.counts)


def test_second_beam_must_break_within_the_window():
    clock = FakeClock()
    pair = new_pair(clock)
    play(pair, clock, [(0, A, True), (100, A, False), (1001, B, True), (1100, B, False)])
    assert pair.counts == [0, 0], ("b broke 1001 ms after a: not a passage", pair.counts)
    assert pair.unpaired >= 1, ("a found no partner within 1 s", pair.unpaired)
    clock.advance(5000)
    play(pair, clock, [(0, A, True), (100, A, False), (1000, B, True), (1100, B, False)])
    assert pair.counts == [1, 0], ("b broke 1000 ms after a: within the window", pair.counts)


def test_window_expires_between_passes():
    clock = FakeClock()
    pair = new_pair(clock)
    play(pair, clock, [(0, B, True), (200, B, False)])   # someone turned back after b
    clock.advance(2000)
    pair.process(clock.ticks_ms())
    assert pair.unpaired == 1 and pair.armed == -1, ("the lone break expired", pair.unpaired, pair.armed)
    play(pair, clock, walker(A))
    assert pair.counts == [1, 0], ("the stale b did not turn the next walker around", pair.counts)


def test_beam_blocked_after_2500_ms_and_clear_when_released():
    clock = FakeClock()
    pair = new_pair(clock)
    start = clock.ticks_ms()
    pair.on_edge(A, True, start)
    clock.advance(2499)
    pair.process(clock.ticks_ms())
    assert not pair.is_blocked(), "2499 ms is not yet blocked"
    clock.advance(1)
    pair.process(clock.ticks_ms())
    assert pair.is_blocked() and pair.blocked == [True, False], ("blocked at 2500 ms", pair.blocked)
    assert pair.block_start() == start, (pair.block_start(), start)
    clock.advance(60000)
    pair.on_edge(A, False, clock.ticks_ms())
    pair.process(clock.ticks_ms())
    assert not pair.is_blocked(), "released: no longer blocked"
    assert pair.blocks == 1, pair.blocks


def test_a_block_that_ends_between_two_passes_is_still_seen():
    clock = FakeClock()
    pair = new_pair(clock)
    play(pair, clock, [(0, B, True), (3000, B, False)])   # both edges stored before the main loop ran
    assert pair.blocks == 1 and not pair.is_blocked(), (pair.blocks, pair.blocked)


def test_process_upto_leaves_later_edges_for_later():
    clock = FakeClock()
    pair = new_pair(clock)
    for at, beam, broken in walker(A, 0):
        pair.on_edge(beam, broken, clock.ticks_ms() + at)
    clock.advance(10000)
    # a bin ended 9,990 ms ago, before the walker reached b (110 ms after a at t = 0)
    pair.process(clock.ticks_ms(), 9990)
    assert pair.counts == [0, 0], ("not counted in the bin that ended before b broke", pair.counts)
    pair.process(clock.ticks_ms())
    assert pair.counts == [1, 0], ("counted in the next one", pair.counts)


def test_counting_works_across_the_tick_wrap():
    clock = FakeClock(ms=TICKS_PERIOD - 150)
    pair = new_pair(clock)
    play(pair, clock, walker(B) + [(3000, A, True), (3100, A, False)])   # ticks wrap to 0 during the walker
    assert pair.counts == [0, 1], ("one passage out across the wrap", pair.counts)
    clock.advance(1000)
    pair.process(clock.ticks_ms())
    assert pair.unpaired == 1 and not pair.is_blocked(), (pair.unpaired, pair.blocked)


def test_blocked_detected_across_the_tick_wrap():
    clock = FakeClock(ms=TICKS_PERIOD - 1000)
    pair = new_pair(clock)
    pair.on_edge(A, True, clock.ticks_ms())
    clock.advance(2600)
    pair.process(clock.ticks_ms())
    assert pair.is_blocked(), "blocked across the wrap"


def test_a_full_ring_drops_and_counts_edges():
    clock = FakeClock()
    pair = new_pair(clock, size=8)
    for i in range(10):
        pair.on_edge(i % 2, True, clock.ticks_ms() + i)
    assert pair.overflow == 3, ("a ring of 8 holds 7 edges", pair.overflow)


def test_a_partner_that_broke_in_time_counts_even_if_a_pass_runs_before_its_glitch_filter_ends():
    # b breaks 990 ms after a (within the 1 s window); a loop pass runs at 1,005 ms, when the window has run out
    # but b has been broken only 15 ms (not yet past the 25 ms filter). The passage must not depend on when the
    # passes run: it counts, as it does when the pass comes later.
    clock = FakeClock()
    pair = new_pair(clock)
    pair.on_edge(A, True, clock.ticks_ms())
    clock.advance(200)
    pair.on_edge(A, False, clock.ticks_ms())
    clock.advance(790)
    pair.on_edge(B, True, clock.ticks_ms())
    clock.advance(15)
    pair.process(clock.ticks_ms())
    assert pair.counts == [0, 0] and pair.unpaired == 0, ("b still in its glitch filter", pair.counts, pair.unpaired)
    clock.advance(200)
    pair.on_edge(B, False, clock.ticks_ms())
    pair.process(clock.ticks_ms())
    assert pair.counts == [1, 0] and pair.unpaired == 0, ("one passage in", pair.counts, pair.unpaired)


def test_a_late_partner_that_turns_out_a_glitch_leaves_the_first_break_unpaired():
    clock = FakeClock()
    pair = new_pair(clock)
    play(pair, clock, [(0, A, True), (200, A, False), (990, B, True), (1000, B, False)])
    clock.advance(2000)
    pair.process(clock.ticks_ms())
    assert pair.counts == [0, 0] and (pair.unpaired, pair.glitches, pair.armed) == (1, 1, -1), (
        pair.counts, pair.unpaired, pair.glitches, pair.armed)


def test_counts_do_not_depend_on_when_the_loop_passes_run():
    # the same walkers (closely following, both directions, slow and fast) processed once at the end, or with a
    # pass every 1, 7, 50 or 200 ms: the same counts
    edges = []
    t = 0
    for i, (first, lag, held) in enumerate(((A, 110, 250), (B, 990, 300), (A, 1000, 180), (B, 60, 400),
                                            (A, 700, 30), (B, 140, 26), (A, 995, 500))):
        edges += walker(first, t, lag, held)
        t += 2600 + 37 * i
    edges.sort()
    results = []
    for period in (0, 1, 7, 50, 200):
        clock = FakeClock(ms=TICKS_PERIOD - 3000)
        pair = new_pair(clock)
        done = 0
        for at, beam, broken in edges:
            while period and done + period <= at:
                clock.advance(period)
                done += period
                pair.process(clock.ticks_ms())
            clock.advance(at - done)
            done = at
            pair.on_edge(beam, broken, clock.ticks_ms())
        clock.advance(3000)
        pair.process(clock.ticks_ms())
        results.append((list(pair.counts), pair.unpaired, pair.glitches))
    assert results[0] == ([4, 3], 0, 0), results[0]
    assert all(r == results[0] for r in results), results
