# bin_rules.py Provides BinRules: the smart bin's event decisions, one reading at a time, and APP defaults
# Alarms (raised once, cleared once, same `since`): FULL, FIRE, TILT, LID_OPEN, SENSOR_FAULT.
# One-off event (state "event"): EMPTIED. Conditions that need confirming (FULL: two readings; TILT: 30 s;
# LID_OPEN: 15 min; SENSOR_FAULT: two readings) keep their little state in `state`, which the app saves on
# flash, so a confirmation works across deep sleeps. next_check_ms() says when a confirming reading is due.

RAISED = "raised"
CLEARED = "cleared"
EVENT = "event"
SEC = 1000

DEFAULTS = {
    "measure_s": 300,         # wake and measure every 5 min (the radio stays off unless there is news)
    "tele_s": 3600,           # telemetry every hour (and with every event)
    "bin_depth_cm": 110,      # sensor to bin floor: 0 %
    "full_cm": 30,            # sensor to waste surface at 100 % (outside the blind zone)
    "blind_cm": 22,           # echoes nearer than this read as this
    "max_cm": 500,            # echoes beyond this are dropped
    "pings": 7,               # pings per reading (median)
    "ping_gap_ms": 60,        # pause between pings (the JSN-SR04T needs >= 50 ms)
    "min_valid": 3,           # fewer valid pings than this: no level from this reading
    "full_pct": 85,           # FULL at or above this, on two readings in a row
    "full_clear_pct": 60,     # FULL cleared below this
    "emptied_drop_pct": 40,   # EMPTIED when the level drops by more than this between two readings
    "fire_c": 70,             # FIRE at or above this temperature
    "fire_rise_c": 10,        # ... or on a rise of this much
    "fire_rise_s": 600,       # ... within this time
    "fire_clear_c": 45,       # FIRE cleared below this (and no longer rising)
    "watch_s": 60,            # re-measure this soon while something needs confirming (warm, sensor doubt)
    "tilt_deg": 45,           # TILT above this angle ...
    "tilt_s": 30,             # ... for this long
    "lid_open_s": 900,        # LID_OPEN when the lid stays open this long
    "fault_readings": 2,      # SENSOR_FAULT after this many bad readings in a row; cleared after as many good
    "radio_max_s": 30,        # give up a connection attempt after this long awake; retry later
    "retry_s": 900,           # after a failed connection, wait at least this long before the next attempt
    "battery_div": 2.0,       # battery voltage = ADC voltage x this (resistor divider)
    "ntc_beta": 3950,         # NTC thermistor: beta, resistance at 25 degrees, divider's fixed resistor
    "ntc_r0_ohm": 10000,
    "ntc_fixed_ohm": 10000,
}


def _r1(x):
    return None if x is None else round(x, 1)


class BinRules:
    def __init__(self, cfg, state=None):
        self.cfg = cfg
        st = state or {}
        self.active = st.get("active") or {}     # alarm name -> since (ms)
        self.full_at = st.get("full_at")         # first reading at/above full_pct (unconfirmed)
        self.last_fill = st.get("last_fill")     # level of the last reading with a valid distance
        self.temps = st.get("temps") or []       # [[t_ms, temp_c], ...] within fire_rise_s
        self.tilt_at = st.get("tilt_at")         # first reading above tilt_deg
        self.lid_at = st.get("lid_at")           # first reading with the lid open
        self.bad = st.get("bad", 0)              # bad readings in a row
        self.compacted = st.get("compacted", 0)  # compactions since last_fill was read
        self.good = st.get("good", 0)            # good readings in a row (while SENSOR_FAULT is active)
        self.watch = False

    def state(self):
        return {"active": self.active, "full_at": self.full_at, "last_fill": self.last_fill,
                "temps": self.temps, "tilt_at": self.tilt_at, "lid_at": self.lid_at,
                "bad": self.bad, "good": self.good, "compacted": self.compacted}

    def is_active(self, name):
        return name in self.active

    def shift(self, delta_ms):
        # the wall clock was corrected: move remembered instants with it
        for name in self.active:
            self.active[name] += delta_ms
        for key in ("full_at", "tilt_at", "lid_at"):
            if getattr(self, key) is not None:
                setattr(self, key, getattr(self, key) + delta_ms)
        for t in self.temps:
            t[0] += delta_ms

    def _event(self, out, r, name, state, since, extra=None):
        ev = {"alarm": name, "state": state, "since": since, "fill_pct": _r1(r["fill"]),
              "temp_c": _r1(r["temp"]), "tilt_deg": _r1(r["tilt"])}
        if extra:
            for k in extra:
                ev[k] = extra[k]
        out.append(ev)

    def _raise(self, out, r, name, since, extra=None):
        if name not in self.active:
            self.active[name] = since
            self._event(out, r, name, RAISED, since, extra)

    def _clear(self, out, r, name, extra=None):
        since = self.active.pop(name, None)
        if since is not None:
            self._event(out, r, name, CLEARED, since, extra)

    def reading(self, r):
        # r: {"now", "fill" (None: no valid distance), "pings" (valid ones), "temp", "tilt", "lid_open",
        #     "compactions" (cycles since the previous reading)}; returns the events, oldest decision first
        c = self.cfg
        out = []
        self.watch = False
        self._sensors(out, r)
        self._level(out, r)
        self._fire(out, r)
        now, tilt = r["now"], r["tilt"]
        if tilt is not None:
            if tilt > c["tilt_deg"]:
                if self.tilt_at is None:
                    self.tilt_at = now
                if now - self.tilt_at >= c["tilt_s"] * SEC:
                    self._raise(out, r, "TILT", self.tilt_at)
            else:
                self.tilt_at = None
                self._clear(out, r, "TILT")
        if r["lid_open"]:
            if self.lid_at is None:
                self.lid_at = now
            if now - self.lid_at >= c["lid_open_s"] * SEC:
                self._raise(out, r, "LID_OPEN", self.lid_at)
        else:
            self.lid_at = None
            self._clear(out, r, "LID_OPEN")
        return out

    def _sensors(self, out, r):
        c = self.cfg
        failing = None
        if r["pings"] < c["min_valid"]:
            failing = "ultrasonic"
        elif r["temp"] is None:
            failing = "temperature"
        elif r["tilt"] is None:
            failing = "accelerometer"
        if failing is not None:
            self.bad += 1
            self.good = 0
            if self.bad >= c["fault_readings"]:
                self._raise(out, r, "SENSOR_FAULT", r["now"], {"sensor": failing})
            else:
                self.watch = True
        else:
            self.bad = 0
            if "SENSOR_FAULT" in self.active:
                self.good += 1
                if self.good >= c["fault_readings"]:
                    self._clear(out, r, "SENSOR_FAULT")
                    self.good = 0
                else:
                    self.watch = True

    def _level(self, out, r):
        c = self.cfg
        fill = r["fill"]
        self.compacted += r["compactions"]
        if fill is None:
            return   # compactions of a reading without a level count against the next level's drop
        now = r["now"]
        last = self.last_fill
        self.last_fill = fill
        compacted, self.compacted = self.compacted, 0
        if last is not None and last - fill > c["emptied_drop_pct"] and compacted == 0:
            # a compaction also lowers the level: a drop with a compaction counted is not taken for emptying
            self._event(out, r, "EMPTIED", EVENT, now, {"drop_pct": _r1(last - fill)})
        if fill >= c["full_pct"]:
            if self.full_at is None:
                self.full_at = now
            elif "FULL" not in self.active:
                self._raise(out, r, "FULL", self.full_at)
        else:
            self.full_at = None
            if fill < c["full_clear_pct"]:
                self._clear(out, r, "FULL")

    def _fire(self, out, r):
        c = self.cfg
        temp, now = r["temp"], r["now"]
        if temp is None:
            return
        # + a few seconds: readings planned fire_rise_s apart are within it however long each boot took
        window = c["fire_rise_s"] * SEC + 5 * SEC
        self.temps = [t for t in self.temps if 0 <= now - t[0] <= window]
        low = temp
        for t in self.temps:
            low = min(low, t[1])
        rise = temp - low
        # one kept reading per tenth of the window, the coolest of it, so the list stays short (a burning bin
        # is read every watch_s) while its minimum still spans the whole window
        slot = window // 10 or 1
        last = self.temps[-1] if self.temps else None
        if last is not None and last[0] // slot == now // slot:
            if temp <= last[1]:
                self.temps[-1] = [now, _r1(temp)]
        else:
            self.temps.append([now, _r1(temp)])
        if len(self.temps) > 12:
            self.temps = self.temps[-12:]   # a safety bound: 11 slots fit the window
        if temp >= c["fire_c"] or rise >= c["fire_rise_c"]:
            self._raise(out, r, "FIRE", now)
        elif "FIRE" in self.active and temp < c["fire_clear_c"] and rise < c["fire_rise_c"] / 2:
            self._clear(out, r, "FIRE")
        if temp >= c["fire_clear_c"] or rise >= c["fire_rise_c"] / 2:
            self.watch = True   # warm or warming: look again soon

    def next_check_ms(self, now):
        # when a confirming reading is due (wall ms), or None when the regular schedule will do
        c = self.cfg
        due = []
        if self.watch:
            due.append(now + c["watch_s"] * SEC)
        if self.tilt_at is not None and "TILT" not in self.active:
            due.append(self.tilt_at + c["tilt_s"] * SEC)
        if self.lid_at is not None and "LID_OPEN" not in self.active:
            due.append(self.lid_at + c["lid_open_s"] * SEC)
        return min(due) if due else None
