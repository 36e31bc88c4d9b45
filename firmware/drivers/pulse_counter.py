# pulse_counter.py Provides PulseCounter: counts water-meter pulse edges with a software lockout
# on_edge(ticks_ms) is called from the pin interrupt (or the simulated pin): no allocation, no I/O.
# An edge closer than lockout_ms to the last accepted edge is contact bounce and is ignored (and counted).
# The lockout must stay below the pulse period at the meter's maximum flow (see docs/water-meter.md).
# It also keeps the longest time two pulse intervals in a row took (span2_ms, read by take_span2()): a steady
# leak puts a pulse at least every litres_per_pulse / flow, whatever else is used, so that span bounds the
# leak's flow from above (apps/water_alarms.py). Two intervals, not one: one late pulse moves it less.


class PulseCounter:
    def __init__(self, ticks_diff, lockout_ms=50):
        self.ticks_diff = ticks_diff
        self.lockout_ms = lockout_ms
        self.count = 0          # accepted pulses since boot
        self.bounces = 0        # edges rejected by the lockout
        self.last_edge = None   # ticks of the last accepted closure
        self.prev_edge = None   # ticks of the accepted closure before it
        self.span2_ms = 0       # longest span of two pulse intervals since the previous take_span2()
        self.last_open = None   # ticks of the last opening
        self._taken = 0

    def on_edge(self, ticks, closed=True):
        # closed: the contact closed (falling edge); False: it opened (rising edge, when the pin reports both).
        # A closure counts only when the contact had been open for lockout_ms: the bounces of a contact that
        # opens after a long closure are closures too, right after the opening.
        if not closed:
            self.last_open = ticks
            return
        if self._recent(ticks, self.last_edge) or self._recent(ticks, self.last_open):
            self.bounces += 1
            return
        if self.last_edge is not None:
            if self.prev_edge is not None:
                span = self.ticks_diff(ticks, self.prev_edge)   # negative after a tick wrap: a still line
                if span > self.span2_ms:
                    self.span2_ms = span
            self.prev_edge = self.last_edge
        self.last_edge = ticks
        self.count += 1

    def _recent(self, ticks, then):
        # ticks wrap (2**30 ms): after > 2**29 ms of silence the diff turns negative; that is a long gap
        return then is not None and 0 <= self.ticks_diff(ticks, then) < self.lockout_ms

    def take(self):
        # pulses accepted since the previous take()
        now = self.count
        n = now - self._taken
        self._taken = now
        return n

    def take_span2(self):
        # the longest span of two consecutive pulse intervals that ended since the previous call (ms; 0: none)
        span = self.span2_ms
        self.span2_ms = 0
        return span
