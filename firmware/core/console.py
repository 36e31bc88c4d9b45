# console.py Provides Report: one line on the serial console for each change of the board's connection state
# A technician watching the USB serial line sees that the board is alive and, when it is not online, why:
#   city-sensor water_meter wm-0042 fw 0.1.0: connecting...
#   not connected: broker: connack rc=5 (not authorised)
#   online
# `say` is injected (print on a board), so the fleet simulator and the tests stay quiet.
from cityfw.core.supervisor import FW_VERSION


class Report:
    def __init__(self, sup, say=print):
        self.sup = sup
        self.say = say
        self.online = False
        self.error = ""
        say("city-sensor %s %s fw %s: connecting..." % (sup.kind, sup.device_id, FW_VERSION))

    def step(self):
        link = self.sup.link
        if link.connected:
            if not self.online:
                self.online = True
                self.error = ""
                self.say("online")
            return
        reason = link.last_error
        if self.online:
            self.online = False
            self.error = reason
            self.say("offline: %s" % reason)
        elif reason and reason != self.error:
            self.error = reason
            self.say("not connected: %s" % reason)
