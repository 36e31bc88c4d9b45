# alarms.py Provides AlarmSet: alarms that are raised once and cleared once
# raise_alarm() returns an event only on the transition to active; clear() only on the transition back.
# The active set is part of the app's persisted state, so a reboot never raises an alarm twice.

RAISED = "raised"
CLEARED = "cleared"


class AlarmSet:
    def __init__(self, active=None):
        self.active = active if active is not None else {}   # name -> {"since": ms, "loss_lph": x}

    def is_active(self, name):
        return name in self.active

    def raise_alarm(self, name, now_ms, loss_lph=0.0, detail=None):
        if name in self.active:
            self.active[name]["loss_lph"] = loss_lph   # keep the estimate current for the clear event
            return None
        self.active[name] = {"since": now_ms, "loss_lph": loss_lph}
        return self._event(name, RAISED, now_ms, loss_lph, detail)

    def clear(self, name, detail=None):
        info = self.active.pop(name, None)
        if info is None:
            return None
        return self._event(name, CLEARED, info["since"], info["loss_lph"], detail)

    def _event(self, name, state, since, loss_lph, detail):
        data = {"alarm": name, "state": state, "since": since, "loss_lph": round(loss_lph, 2)}
        if detail:
            for key in detail:
                data[key] = detail[key]
        return data

    def shift(self, delta_ms):
        # the wall clock was corrected: move start times with it
        for name in self.active:
            self.active[name]["since"] += delta_ms
