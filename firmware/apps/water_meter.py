# water_meter.py Provides WaterMeterApp: the water-leak meter on a building's water meter pulse output
# Counts pulses (interrupt + lockout), closes one minute at a time on the wall clock, reports telemetry
# every tele_s (aligned to the clock: :00, :15, :30, :45) and raises/clears the alarms of water_alarms.py.
# The running total and the alarm state survive reboots (state file written each minute with water).
from cityfw.core import message
from cityfw.core.localtime import offset_ms
from cityfw.core.state_file import StateFile
from cityfw.drivers.pulse_counter import PulseCounter
from cityfw.drivers.pulse_line import line_state, CUT
from cityfw.apps.water_alarms import WaterAlarms, DEFAULTS, MIN_MS

KIND = "water_meter"
APP_DEFAULTS = DEFAULTS


def APP_CHECK(c):
    # rules beyond "a non-negative number of the default's type" (core/config.py)
    from cityfw.core.config import ConfigError
    if c["litres_per_pulse"] < 1:
        raise ConfigError("config: app.litres_per_pulse must be at least 1")
    if c["tele_s"] % 60:
        raise ConfigError("config: app.tele_s must be whole minutes (a multiple of 60), or 0 for none")
    if c["night_start_h"] > 23 or c["night_end_h"] > 23:
        raise ConfigError("config: app.night_start_h and night_end_h are hours 0-23")
    for key in ("leak_still_min", "leak_window_h", "burst_min"):
        if c[key] < 1:
            raise ConfigError("config: app.%s must be at least 1" % key)
JUMP_MS = 6 * 3600 * 1000   # a wall-clock step larger than this (or backwards) is a correction, not time


class WaterMeterApp:
    kind = KIND

    def __init__(self, board, cfg):
        self.cfg = cfg
        self.c = cfg["app"]
        self.utc_offset_min = cfg["report"]["utc_offset_min"]
        self.eu_dst = cfg["report"]["eu_dst"]
        self.pulse = board.pulse_input
        self.counter = PulseCounter(board.rtc.ticks_diff, self.c["lockout_ms"])
        self.pulse.attach(self.counter.on_edge)
        self.store = StateFile(board.fs_root + "/water_state.json")
        st = self.store.load() or {}
        # whole litres in an integer: ESP32 MicroPython floats are single precision and would stop
        # counting above 16,777,216 L (litres_per_pulse is a whole number, checked in config)
        self.total_l = int(st.get("total_l", 0))
        self.alarms = WaterAlarms(self.c, st.get("alarms"))
        self.minute_start = None
        self._saved_at = st.get("saved_at")   # wall time of the last save, on the clock of that moment
        self._reset_period()

    def _reset_period(self):
        self.p_pulses = 0
        self.p_litres = 0
        self.p_min = None
        self.p_max = None

    def configure(self, app_cfg):
        # new thresholds from the hub (already checked)
        self.c = app_cfg
        self.alarms.cfg = app_cfg
        self.counter.lockout_ms = app_cfg["lockout_ms"]

    def tick(self, clock):
        now = clock.now_ms()
        out = []
        aligned = now - now % MIN_MS
        if self.minute_start is None:
            self.minute_start = aligned
            saved = self._saved_at
            if saved is not None and (not clock.synced or now < saved or now - saved > JUMP_MS):
                # booted without a trustworthy clock (power cut resets it): carry the saved times over to
                # this clock as if no time had passed; the step at NTP sync is then undone like any jump
                self.alarms.shift(aligned - saved)
        elif now < self.minute_start or now - self.minute_start > JUMP_MS:
            self.alarms.shift(aligned - self.minute_start)
            self.minute_start = aligned
        changed = False
        while now - self.minute_start >= MIN_MS:
            pulses = self.counter.take()
            span2 = self.counter.take_span2()   # pulse spacing for the LEAK estimate (water_alarms.py)
            litres = pulses * self.c["litres_per_pulse"]
            end = self.minute_start + MIN_MS
            self.minute_start = end
            self._account(pulses, litres)
            local = offset_ms(end, self.utc_offset_min, self.eu_dst)
            for event in self.alarms.minute(end, litres, local, span2):
                out.append((message.EVT, self._with_total(event), self._flags()))
                changed = True
            tele_ms = self.c["tele_s"] * 1000   # 0 (accepted by config.check) must not crash: no telemetry
            if tele_ms > 0 and end % tele_ms == 0:
                out.append((message.TELE, self._telemetry(), self._flags()))
            changed = changed or litres > 0
        sense = self.pulse.sense_mv()
        cut = sense is not None and line_state(sense) == CUT
        for event in self.alarms.line(now, self.pulse.level() == 1 and not cut, cut):
            out.append((message.EVT, self._with_total(event), self._flags()))
            changed = True
        if changed:
            self.store.save({"total_l": self.total_l, "alarms": self.alarms.state(), "saved_at": self.minute_start})
        return out

    def _account(self, pulses, litres):
        self.total_l += litres
        self.p_pulses += pulses
        self.p_litres += litres
        flow = litres * 60
        if self.p_min is None or flow < self.p_min:
            self.p_min = flow
        if self.p_max is None or flow > self.p_max:
            self.p_max = flow

    def _flags(self):
        if self.alarms.alarms.is_active("TAMPER") or self.alarms.alarms.is_active("CABLE"):
            return [message.SENSOR_FAULT]
        return None

    def _with_total(self, event):
        event["total_l"] = self.total_l
        return event

    def _telemetry(self):
        data = {
            "total_l": self.total_l,
            "pulses": self.p_pulses,
            "litres": self.p_litres,
            "flow_min_lph": self.p_min if self.p_min is not None else 0.0,
            "flow_max_lph": self.p_max if self.p_max is not None else 0.0,
            "night_min_lph": self.alarms.night_min_lph,
            "period_s": self.c["tele_s"],
            "bounces": self.counter.bounces,
        }
        self._reset_period()
        return data
App = WaterMeterApp
