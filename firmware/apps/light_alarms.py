# light_alarms.py Provides LightAlarms: the park light's alarms, judged on each pass from what the board sees
#   LAMP_FAILURE  lamp driven at >= 10 % but its current sense below lamp_fail_frac x the expected for lamp_fail_s
#   DAY_BURNER    lamp driven off (0 %) but current above day_burner_mv for day_burner_s (driver stuck on)
#   COMMS_LOST    no broker session for failsafe_s (raised late, from the outbox, once contact is back)
#   SENSOR_STUCK  motion sensor output held active for pir_stuck_s (its detections are then ignored)
# Durations run on the tick counter (a clock correction is not elapsed time) and only while the condition can be
# judged (LAMP_FAILURE: driven at >= 10 %; DAY_BURNER: driven off); `since` is the wall time at which it began.
# Cleared after alarm_clear_s without the condition (COMMS_LOST: as soon as contact is back).
# Raised once, cleared once (core/alarms.py; the active set is persisted by the app).
from cityfw.core.alarms import AlarmSet

MIN_LEVEL = 10   # % below which the lamp current is too small to judge


class LightAlarms:
    def __init__(self, ticks_diff, cfg, active=None):
        self.diff = ticks_diff
        self.cfg = cfg
        self.alarms = AlarmSet(active)
        self._bad = {}    # name -> ticks when the condition began
        self._good = {}   # name -> ticks when the condition ended

    def is_active(self, name):
        return self.alarms.is_active(name)

    def _judge(self, name, present, now, now_ms, raise_s, clear_s=None):
        # present: True/False, or None when it cannot be judged right now (the alarm stays as it is, and the
        # condition must be seen again for the whole delay: 30 s of a bad reading before dawn and one more at
        # dusk are not 60 s). Returns the event (raised or cleared) or None; no allocation without an event
        if present is None:
            self._bad.pop(name, None)
            self._good.pop(name, None)
            return None
        if present:
            self._good.pop(name, None)
            start = self._bad.get(name)
            if start is None:
                self._bad[name] = start = now
            elapsed = self.diff(now, start)
            if elapsed >= raise_s * 1000:
                return self._event(self.alarms.raise_alarm(name, now_ms - elapsed))
            return None
        self._bad.pop(name, None)
        if not self.alarms.is_active(name):
            return None
        start = self._good.get(name)
        if start is None:
            self._good[name] = start = now
        if self.diff(now, start) >= (self.cfg["alarm_clear_s"] if clear_s is None else clear_s) * 1000:
            self._good.pop(name, None)
            return self._event(self.alarms.clear(name))
        return None

    def _event(self, event):
        if event is not None:
            del event["loss_lph"]   # a water figure: lights lose no water
        return event

    def lamp(self, out, now, now_ms, level, lamp_mv):
        # level: the % the lamp is driven at; lamp_mv: current sense reading (None: no sense input wired).
        # Events are appended to out, with the figures they were judged on
        if lamp_mv is None:
            return
        c = self.cfg
        expected = c["sense_mv_full"] * level // 100
        failing = None if level < MIN_LEVEL else lamp_mv < c["lamp_fail_frac"] * expected
        burning = None if level > 0 else lamp_mv > c["day_burner_mv"]
        for event in (self._judge("LAMP_FAILURE", failing, now, now_ms, c["lamp_fail_s"]),
                      self._judge("DAY_BURNER", burning, now, now_ms, c["day_burner_s"])):
            if event is not None:
                event["level_pct"] = level
                event["lamp_mv"] = lamp_mv
                event["expected_mv"] = expected
                out.append(event)

    def motion(self, out, now, now_ms, held):
        event = self._judge("SENSOR_STUCK", held, now, now_ms, self.cfg["pir_stuck_s"])
        if event is not None:
            out.append(event)

    def comms(self, out, now, now_ms, connected):
        event = self._judge("COMMS_LOST", not connected, now, now_ms, self.cfg["failsafe_s"], 0)
        if event is not None:
            out.append(event)
