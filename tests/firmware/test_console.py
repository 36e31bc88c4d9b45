# test_console.py: the serial console lines a technician sees (boot line, online, why not), one per change
from cityfw.core.console import Report
from cityfw.core.supervisor import FW_VERSION


class _Link:
    def __init__(self):
        self.connected = False
        self.last_error = ""


class _Sup:
    def __init__(self):
        self.kind = "water_meter"
        self.device_id = "wm-0042"
        self.link = _Link()


def test_boot_line_then_one_line_per_change_of_state():
    sup = _Sup()
    said = []
    report = Report(sup, said.append)
    assert said == ["city-sensor water_meter wm-0042 fw %s: connecting..." % FW_VERSION], said
    report.step()
    assert len(said) == 1, said
    sup.link.last_error = "broker: connack rc=5 (not authorised)"
    report.step()
    report.step()
    assert said[1:] == ["not connected: broker: connack rc=5 (not authorised)"], said
    sup.link.connected = True
    report.step()
    report.step()
    assert said[2:] == ["online"], said
    sup.link.connected = False
    sup.link.last_error = "wifi lost"
    report.step()
    report.step()
    assert said[3:] == ["offline: wifi lost"], said
