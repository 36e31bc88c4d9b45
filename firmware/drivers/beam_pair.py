# beam_pair.py Provides BeamPair: directional counting with two break-beams (a on the "out" side, b on "in")
# on_edge(beam, broken, ticks) is called from the pin interrupts: it only stores the edge in a preallocated
# ring (no allocation, no I/O); a full ring drops the edge and counts it in `overflow`.
# process(now, upto_ago) runs in the main loop and turns the stored edges into counts:
#   * a break shorter than min_break_ms is a glitch (insect, rain drop, sensor noise): ignored, counted;
#   * the first beam that breaks arms the pair; the other beam breaking within window_ms of it counts one
#     passage: a then b = IN, b then a = OUT. A break that finds no partner in time is counted `unpaired`;
#   * a beam broken for blocked_ms or more is blocked (occlusion fault) until it is clear again.
# The counts do not depend on when the passes run: a partner that broke within the window but has not yet
# passed the glitch filter keeps the pair armed until it is confirmed or found to be a glitch.
# Ticks wrap (2**30 ms on a board): every comparison goes through ticks_diff.
A = 0
B = 1
IN = 0
OUT = 1


class BeamPair:
    def __init__(self, ticks_diff, min_break_ms=25, window_ms=1000, blocked_ms=2500, size=256,
                 broken_a=False, broken_b=False, now=0):
        self.diff = ticks_diff
        self.min_break_ms = min_break_ms
        self.window_ms = window_ms
        self.blocked_ms = blocked_ms
        self.size = size
        self._t = [0] * size          # edge ticks
        self._e = bytearray(size)     # edge code: beam | 2 if broken
        self._head = 0                # written by the interrupt
        self._tail = 0                # read by the main loop
        self.overflow = 0             # edges lost because the ring was full
        self.broken = [broken_a, broken_b]
        self.since = [now, now]       # ticks of the current break's start
        self.valid = [False, False]   # the current break lasted min_break_ms: it took part in counting
        self.blocked = [False, False]
        self.armed = -1               # beam that broke first and waits for its partner, -1: none
        self.armed_at = 0
        self.counts = [0, 0]          # IN, OUT since boot
        self.glitches = 0
        self.unpaired = 0
        self.blocks = 0               # blocked episodes seen since boot (also those that ended between passes)

    def on_edge(self, beam, broken, ticks):
        # interrupt context: store and return
        h = self._head
        n = h + 1
        if n == self.size:
            n = 0
        if n == self._tail:
            self.overflow += 1
            return
        self._t[h] = ticks
        self._e[h] = beam | 2 if broken else beam
        self._head = n

    def process(self, now, upto_ago=0):
        # handle the stored edges that happened at least upto_ago ms before `now` (ticks), then the timers
        # (confirmations, window, blockage) as they stand upto_ago ms before now
        while self._tail != self._head:
            i = self._tail
            t = self._t[i]
            age = self.diff(now, t)
            if age < upto_ago:
                break
            self._timers(now, age)
            code = self._e[i]
            self._tail = i + 1 if i + 1 < self.size else 0
            self._edge(code & 1, code & 2 != 0, t)
        self._timers(now, upto_ago)

    def _edge(self, beam, broken, t):
        if broken:
            if not self.broken[beam]:
                self.broken[beam] = True
                self.since[beam] = t
                self.valid[beam] = False
            return
        if not self.broken[beam]:
            return   # a release without its break (edge lost or the pin read at boot): nothing to do
        self.broken[beam] = False
        held = self.diff(t, self.since[beam])
        if not self.valid[beam]:
            if held < self.min_break_ms:
                self.glitches += 1
            else:
                self._confirmed(beam, self.since[beam])
        if held >= self.blocked_ms and not self.blocked[beam]:
            self.blocks += 1
        self.blocked[beam] = False

    def _timers(self, now, age):
        # the state at `age` ms before now: confirm breaks older than min_break_ms (oldest first, so the
        # beam that broke first arms the pair), give up a partner-less break after window_ms, detect blockage
        first = A
        if self.broken[B] and (not self.broken[A] or self.diff(self.since[A], self.since[B]) > 0):
            first = B
        self._beam_timers(first, now, age)
        self._beam_timers(1 - first, now, age)
        armed = self.armed
        if armed >= 0 and self.diff(now, self.armed_at) - age > self.window_ms:
            other = 1 - armed
            if (self.broken[other] and not self.valid[other]
                    and self.diff(self.since[other], self.armed_at) <= self.window_ms):
                return   # the partner broke in time and waits for its min_break_ms: it decides
            self.armed = -1
            self.unpaired += 1

    def _beam_timers(self, beam, now, age):
        if not self.broken[beam]:
            return
        held = self.diff(now, self.since[beam]) - age
        if not self.valid[beam] and held >= self.min_break_ms:
            self._confirmed(beam, self.since[beam])
        if held >= self.blocked_ms and not self.blocked[beam]:
            self.blocked[beam] = True
            self.blocks += 1

    def _confirmed(self, beam, start):
        self.valid[beam] = True
        if self.armed == 1 - beam and self.diff(start, self.armed_at) <= self.window_ms:
            self.counts[IN if beam == B else OUT] += 1
            self.armed = -1
            return
        if self.armed >= 0:
            self.unpaired += 1   # the same beam again, or the partner came too late
        self.armed = beam
        self.armed_at = start

    def is_blocked(self):
        return self.blocked[A] or self.blocked[B]

    def block_start(self):
        # ticks at which the (earliest) blocked beam broke, or None
        if self.blocked[A] and self.blocked[B]:
            return self.since[A] if self.diff(self.since[B], self.since[A]) > 0 else self.since[B]
        for beam in (A, B):
            if self.blocked[beam]:
                return self.since[beam]
        return None

    def configure(self, min_break_ms, window_ms, blocked_ms):
        self.min_break_ms = min_break_ms
        self.window_ms = window_ms
        self.blocked_ms = blocked_ms
