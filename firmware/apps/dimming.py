# dimming.py Provides Dimmer: the park light's ramp-hold-fade on presence, on the board's tick counter
# trigger(t) at each detection (own sensor or a neighbour's presence): ramp from the present level up to high_pct
# in ramp_ms, stay there until hold_s after the LAST trigger, then fade down to base_pct over fade_s.
# Times are ticks (ticks_diff only, so the 2**30 wrap of a board's counter is harmless). Levels are whole %.


class Dimmer:
    def __init__(self, ticks_diff, cfg):
        self.diff = ticks_diff
        self.cfg = cfg            # base_pct, high_pct, ramp_ms, hold_s, fade_s (the app's settings)
        self.start = None         # ticks of the ramp's start (None: resting at base)
        self.start_level = 0
        self.last = None          # ticks of the last trigger: the hold counts from it

    def trigger(self, now):
        c = self.cfg
        if self.start is not None and (self.diff(now, self.start) < c["ramp_ms"]
                                       or self.diff(now, self.last) < c["hold_s"] * 1000):
            self.last = now   # ramping or holding: the hold restarts from this detection
            return
        self.start_level = self.level(now)   # at rest, or from the middle of a fade
        self.start = now
        self.last = now

    def level(self, now):
        c = self.cfg
        base, high = c["base_pct"], c["high_pct"]
        if high < base:
            high = base
        if self.start is None:
            return base
        since = self.diff(now, self.start)
        if since < 0:
            return base
        ramp = c["ramp_ms"]
        if since < ramp:
            return self.start_level + (high - self.start_level) * since // ramp
        hold_end = self.diff(now, self.last) - c["hold_s"] * 1000   # ms past the end of the hold
        if hold_end < 0:
            return high
        fade = c["fade_s"] * 1000
        if hold_end < fade:
            return high - (high - base) * hold_end // fade
        self.start = None   # back at rest: forget the old ticks (they would wrap)
        self.last = None
        return base
