# clock.py Provides Clock: wall time (UTC ms) and monotonic ticks for the firmware, with sync tracking
# The hardware layer passes in its real-time clock and tick source; the simulator passes accelerated ones.
# Readings taken before the first successful sync are flagged clock_unsynced by the caller.

RESYNC_MS = 6 * 3600 * 1000     # re-sync the wall clock every 6 h
RETRY_MS = 60 * 1000            # retry a failed sync after 1 min


class Clock:
    def __init__(self, rtc):
        # rtc: object with now_ms() (UTC epoch ms), ticks_ms(), ticks_diff(a, b), sync() -> bool (NTP on a board),
        # optionally valid() -> bool (the wall clock is already right, e.g. kept through deep sleep)
        self.rtc = rtc
        # an RTC that kept its time through deep sleep (rtc.valid(), where the board has it) needs no NTP first
        valid = getattr(rtc, "valid", None)
        self.synced = bool(valid is not None and valid())
        self._last_try = None

    def now_ms(self):
        return self.rtc.now_ms()

    def ticks_ms(self):
        return self.rtc.ticks_ms()

    def ticks_diff(self, a, b):
        return self.rtc.ticks_diff(a, b)

    def since_ms(self, t):
        return self.rtc.ticks_diff(self.rtc.ticks_ms(), t)

    def due_for_sync(self):
        if self._last_try is None:
            return True
        wait = RESYNC_MS if self.synced else RETRY_MS
        elapsed = self.since_ms(self._last_try)
        return elapsed < 0 or elapsed >= wait   # < 0: ticks wrapped, over 2**29 ms (~6 days) offline

    def maybe_sync(self):
        # call while the network is up; returns True when a sync was attempted and succeeded
        if not self.due_for_sync():
            return False
        self._last_try = self.rtc.ticks_ms()
        try:
            ok = self.rtc.sync()
        except OSError:
            ok = False
        if ok:
            self.synced = True
        return ok
