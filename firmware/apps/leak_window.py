# leak_window.py Provides LeakWindow: the hours since water last stood still, and the LEAK loss estimate
# Each full hour keeps its litres and a bound from its pulse spacing: a steady flow of F L/h puts a pulse at least
# every litres_per_pulse / F hours, and use only adds pulses, it never delays the leak's (docs/water-meter.md,
# "How LEAK estimates the loss").

HOUR_MS = 3600000


class LeakWindow:
    def __init__(self):
        self.reset()

    def reset(self):
        # water stood still: start the hour buckets here, so no hour contains still minutes
        self.hours = []          # litres per full hour, the last leak_window_h hours
        self.gap_lph = []        # per hour: the flow bound from its longest pulse spacing (L/h), 0 = none
        self._hour_l = 0.0
        self._hour_min = 0
        self._hour_span = 0      # longest span of two pulse intervals ending in this hour (ms)
        self._pulses_after_still = 0

    def minute(self, litres, span2_ms, litres_per_pulse, window_h):
        # the first two pulses after a still hour end spans that reach back into it: not the leak's pace
        if self._pulses_after_still >= 2 and span2_ms > self._hour_span:
            self._hour_span = span2_ms
        if self._pulses_after_still < 2:
            self._pulses_after_still += litres // litres_per_pulse
        self._hour_l += litres
        self._hour_min += 1
        if self._hour_min == 60:
            self.hours.append(self._hour_l)
            span = self._hour_span
            self.gap_lph.append(2 * litres_per_pulse * HOUR_MS / span if span > 0 else 0)
            while len(self.hours) > window_h:   # while: the window may have been shrunk
                self.hours.pop(0)
                self.gap_lph.pop(0)
            self._hour_l = 0.0
            self._hour_min = 0
            self._hour_span = 0

    def loss(self, estimate_h, litres):
        # the flow that never stopped, from the full hours, newest first. A steady hour (litres at most
        # 1.25 x its pulse-spacing bound, or no spacing known) ran evenly like a leak: its litres are the
        # flow. A busy hour's litres are mostly use, but its spacing bound still holds. The lowest figure down
        # to the estimate_h-th steady hour: busy daytime hours do not inflate the estimate, and a leak that
        # began late in the window is not averaged away with the quiet hours before it.
        loss = None
        steady = 0
        i = len(self.hours)
        while i > 0:
            i -= 1
            bound = self.hours[i]
            gap = self.gap_lph[i]
            if gap == 0 or bound <= 1.25 * gap:
                steady += 1
            else:
                bound = gap
            if loss is None or bound < loss:
                loss = bound
            if steady == estimate_h:
                break
        return loss if loss is not None else litres * 60
