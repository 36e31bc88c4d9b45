# water_alarms.py Provides WaterAlarms: the leak meter's decisions, fed one closed minute at a time
# Alarms (modelled on the info codes of household/utility meters, thresholds in DEFAULTS):
#   LEAK           water never stood still for leak_still_min continuous minutes in leak_window_h hours
#   NIGHT_FLOW     volume in the night window above night_factor x the learned baseline
#   BURST          flow above burst_fraction x Q3 for burst_min minutes
#   TAMPER         pulse line held active for stuck_s (contact stuck, magnet)
#   CABLE          pulse cable cut (sense input at supply voltage) for cut_s
#   NO_CONSUMPTION no pulse for no_consumption_d days
# Each is raised once and cleared once (core/alarms.py), with an estimate of the lost water in L/h.
from cityfw.apps.leak_window import LeakWindow
from cityfw.core.alarms import AlarmSet

MIN_MS = 60000
HOUR_MS = 3600000

DEFAULTS = {
    "litres_per_pulse": 1, "lockout_ms": 50, "tele_s": 900,
    "leak_still_min": 60, "leak_window_h": 24,
    "night_start_h": 1, "night_end_h": 5, "night_factor": 1.5, "night_clear_factor": 1.2,
    "night_min_l": 10, "night_learn": 3,
    "q3_lph": 4000, "burst_fraction": 0.5, "burst_min": 30, "burst_clear_min": 10,
    "stuck_s": 3600, "cut_s": 60, "line_clear_s": 60, "no_consumption_d": 7, "leak_estimate_h": 6,
}


class WaterAlarms:
    def __init__(self, cfg, state=None):
        self.cfg = cfg
        s = state or {}
        self.alarms = AlarmSet(s.get("active"))
        self.last_still = s.get("last_still")    # end of the last still hour (ms)
        self.last_pulse = s.get("last_pulse")    # last minute with water (ms)
        self.baseline = s.get("baseline")        # learned night volume (L)
        self.nights = s.get("nights", 0)
        self.night_min_lph = s.get("night_min_lph")
        self.window = LeakWindow()   # the hours since water last stood still: the LEAK estimate
        self._quiet = 0
        self._burst_run = 0
        self._burst_l = 0.0
        self._calm = 0
        self._night_l = 0.0
        self._night_mins = 0
        self._quarter_l = 0.0
        self._quarter_mins = 0
        self._night_quarter_min = None
        self.stuck_since = None
        self.cut_since = None
        self.stuck_ok_since = None
        self.cut_ok_since = None

    def state(self):
        return {"active": self.alarms.active, "last_still": self.last_still, "last_pulse": self.last_pulse,
                "baseline": self.baseline, "nights": self.nights, "night_min_lph": self.night_min_lph}

    def shift(self, delta_ms):
        # the wall clock was corrected by delta_ms: that is not elapsed time
        for name in ("last_still", "last_pulse", "stuck_since", "cut_since", "stuck_ok_since", "cut_ok_since"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, value + delta_ms)
        self.alarms.shift(delta_ms)

    def minute(self, end_ms, litres, utc_offset_ms, span2_ms=0):
        # one closed minute ending at end_ms (UTC) in which `litres` flowed; returns events.
        # span2_ms: the longest time two pulse intervals in a row took, for those that ended in this minute
        # (pulse_counter.py; 0 = not known)
        events = []
        if self.last_still is None:
            self.last_still = end_ms
        if self.last_pulse is None:
            self.last_pulse = end_ms
        self.window.minute(litres, span2_ms, self.cfg["litres_per_pulse"], self.cfg["leak_window_h"])
        self._leak(end_ms, litres, events)
        self._burst(end_ms, litres, events)
        self._night(end_ms, litres, utc_offset_ms, events)
        self._no_consumption(end_ms, litres, events)
        return events

    def _add(self, events, event):
        if event is not None:
            events.append(event)

    def _leak(self, end_ms, litres, events):
        c = self.cfg
        self._quiet = self._quiet + 1 if litres == 0 else 0
        # last_pulse (persisted) also proves stillness after a reboot, when _quiet restarts from 0
        dry_ms = end_ms - self.last_pulse if litres == 0 else 0
        if self._quiet >= c["leak_still_min"] or dry_ms >= c["leak_still_min"] * MIN_MS:
            self.last_still = end_ms
            # restart the hour buckets here so the window's quietest hour never contains still minutes
            self.window.reset()
            self._add(events, self.alarms.clear("LEAK"))
            return
        if end_ms - self.last_still >= c["leak_window_h"] * HOUR_MS:
            if litres == 0 and self.alarms.is_active("LEAK"):
                return   # hold the estimate while the water stands still: still minutes are not the leak's rate
            loss = self.window.loss(c["leak_estimate_h"], litres)
            self._add(events, self.alarms.raise_alarm("LEAK", self.last_still, loss))

    def _burst(self, end_ms, litres, events):
        c = self.cfg
        flow = litres * 60
        if flow >= c["q3_lph"] * c["burst_fraction"]:
            self._burst_run += 1
            self._burst_l += litres
            self._calm = 0
            if self._burst_run >= c["burst_min"]:
                loss = self._burst_l * 60 / self._burst_run
                self._add(events, self.alarms.raise_alarm("BURST", end_ms - self._burst_run * MIN_MS, loss))
        else:
            self._burst_run = 0
            self._burst_l = 0.0
            self._calm += 1
            if self._calm >= c["burst_clear_min"]:
                self._add(events, self.alarms.clear("BURST"))

    def _in_night(self, hour):
        start, end = self.cfg["night_start_h"], self.cfg["night_end_h"]
        if start <= end:
            return start <= hour < end
        return hour >= start or hour < end   # a window across midnight, e.g. 23 -> 5

    def _night(self, end_ms, litres, utc_offset_ms, events):
        c = self.cfg
        start_hour = ((end_ms - MIN_MS + utc_offset_ms) // HOUR_MS) % 24
        if self._in_night(start_hour):
            self._night_l += litres
            self._night_mins += 1
            self._quarter_l += litres
            self._quarter_mins += 1
            if self._quarter_mins == 15:
                lph = self._quarter_l * 4
                if self._night_quarter_min is None or lph < self._night_quarter_min:
                    self._night_quarter_min = lph
                self._quarter_l, self._quarter_mins = 0.0, 0
            return
        if self._night_mins == 0:
            return
        hours = (c["night_end_h"] - c["night_start_h"]) % 24
        # the night as seen; a clock change makes it 3 h or 5 h: judge it scaled to the nominal window
        seen = self._night_mins
        complete = hours > 0 and seen >= hours * 60 * 7 // 10
        night_l = self._night_l * (hours * 60) / seen if complete else 0.0
        self._night_l, self._night_mins = 0.0, 0
        self._quarter_l, self._quarter_mins = 0.0, 0
        if complete:
            self.night_min_lph = self._night_quarter_min
            self._judge_night(end_ms, night_l, hours, events)
        self._night_quarter_min = None

    def _judge_night(self, end_ms, night_l, hours, events):
        c = self.cfg
        self.nights += 1
        base = self.baseline
        if base is not None and self.nights > c["night_learn"]:
            limit = c["night_factor"] * base
            if night_l > limit and night_l >= c["night_min_l"]:
                loss = (night_l - base) / hours
                self._add(events, self.alarms.raise_alarm("NIGHT_FLOW", end_ms, loss, {"night_l": night_l}))
                return
            if night_l <= c["night_clear_factor"] * base or night_l < c["night_min_l"]:
                self._add(events, self.alarms.clear("NIGHT_FLOW", {"night_l": night_l}))
        if not self.alarms.is_active("NIGHT_FLOW") and not self.alarms.is_active("LEAK"):
            # learn from normal nights only (not while a leak runs): a running mean while learning,
            # then a slow average
            if base is None:
                self.baseline = night_l
            elif self.nights <= c["night_learn"]:
                self.baseline = base + (night_l - base) / self.nights
            else:
                self.baseline = base * 0.9 + night_l * 0.1

    def _no_consumption(self, end_ms, litres, events):
        if litres > 0:
            self.last_pulse = end_ms
            self._add(events, self.alarms.clear("NO_CONSUMPTION"))
        elif end_ms - self.last_pulse >= self.cfg["no_consumption_d"] * 24 * HOUR_MS:
            self._add(events, self.alarms.raise_alarm("NO_CONSUMPTION", self.last_pulse, 0.0))

    def line(self, now_ms, active, cut):
        # the pulse line's condition right now: active = contact closed, cut = cable cut detected.
        # Raised after stuck_s / cut_s of the condition; cleared after line_clear_s without it (hysteresis).
        events = []
        c = self.cfg
        self.stuck_since, self.stuck_ok_since = self._condition(
            events, "TAMPER", active, now_ms, self.stuck_since, self.stuck_ok_since, c["stuck_s"])
        self.cut_since, self.cut_ok_since = self._condition(
            events, "CABLE", cut, now_ms, self.cut_since, self.cut_ok_since, c["cut_s"])
        return events

    def _condition(self, events, name, present, now_ms, since, ok_since, raise_s):
        if present:
            if since is None:
                since = now_ms
            elif now_ms - since >= raise_s * 1000:
                self._add(events, self.alarms.raise_alarm(name, since, 0.0))
            return since, None
        if ok_since is None:
            ok_since = now_ms
        if now_ms - ok_since >= self.cfg["line_clear_s"] * 1000:
            self._add(events, self.alarms.clear(name))
        return None, ok_since
