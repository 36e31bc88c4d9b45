# pulse_counter.py Provides PulseCounter: counts water-meter pulse edges with a software lockout
# on_edge(ticks_ms) is called from the pin interrupt (or the simulated pin): no allocation, no I/O.
# An edge closer than lockout_ms to the last accepted edge is contact bounce and is ignored (and counted).
# The lockout must stay below the pulse period at the meter's maximum flow (see docs/water-meter.md).


class PulseCounter:
    def __init__(self, ticks_diff, lockout_ms=50):
        self.ticks_diff = ticks_diff
        self.lockout_ms = lockout_ms
        self.count = 0          # accepted pulses since boot
        self.bounces = 0        # edges rejected by the lockout
        self.last_edge = None   # ticks of the last accepted edge
        self._taken = 0

    def on_edge(self, ticks):
        last = self.last_edge
        # ticks wrap (2**30 ms): after > 2**29 ms of silence the diff turns negative; that is a long gap, not bounce
        if last is not None and 0 <= self.ticks_diff(ticks, last) < self.lockout_ms:
            self.bounces += 1
            return
        self.last_edge = ticks
        self.count += 1

    def take(self):
        # pulses accepted since the previous take()
        now = self.count
        n = now - self._taken
        self._taken = now
        return n
