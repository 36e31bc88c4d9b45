# test_park_light_app.py: the park light app (cityfw.apps.park_light) on a fake board and a fake broker link.
# Runs on CPython and MicroPython.
import json
from cityfw.apps.park_light import APP_DEFAULTS, APP_CHECK, ParkLightApp, presence_topic
from cityfw.core import message
from cityfw.core.config import check, ConfigError
from support import TICKS_PERIOD, FakeClock, raises, scratch_dir

NIGHT = 1734811200000   # 2024-12-21 20:00 UTC, dark in Brussels
NOON = 1734782400000    # 2024-12-21 12:00 UTC
S = 1000
MIN = 60 * S


class FakeLamp:
    def __init__(self):
        self.level = None

    def set_level(self, pct):
        self.level = pct


class FakePir:
    def __init__(self):
        self.edges = 0
        self.high = 0

    def take(self):
        n, self.edges = self.edges, 0
        return n

    def value(self):
        return self.high


class FakeSense:
    def __init__(self, lamp):
        self.lamp = lamp
        self.dead = False
        self.forced = None

    def read_mv(self):
        if self.forced is not None:
            return self.forced
        return 0 if self.dead or self.lamp.level is None else self.lamp.level * 10


class FakeBoard:
    def __init__(self, root, clock):
        self.fs_root = root
        self.rtc = clock
        self.lamp = FakeLamp()
        self.pir = FakePir()
        self.lamp_current = FakeSense(self.lamp)


class FakeLink:
    def __init__(self):
        self.connected = True
        self.subs = []
        self.sent = []

    def subscribe_extra(self, topic, callback):
        self.subs.append((topic, callback))

    def send_now(self, topic, payload):
        if not self.connected:
            return False
        self.sent.append((topic, json.loads(payload)))
        return True


class Pole:
    def __init__(self, name, start_ms=NIGHT, synced=True, pole=3, **app):
        app.setdefault("group", "north-path")
        app["pole"] = pole
        self.clock = FakeClock(start_ms=start_ms, ms=TICKS_PERIOD - 30 * S)   # ticks wrap during the test
        self.clock.synced = synced
        self.board = FakeBoard(scratch_dir(name), self.clock)
        self.cfg = check({"device_id": "light-0004", "kind": "park_light", "mqtt": {"host": "hub"}, "app": app},
                         APP_DEFAULTS, APP_CHECK)
        self.app = ParkLightApp(self.board, self.cfg)
        self.link = FakeLink()
        self.app.attach_link(self.link)
        self.out = []

    def run(self, ms, step=S):
        for _ in range(ms // step):
            self.clock.advance(step)
            self.out.extend(self.app.tick(self.clock))
        return self

    def level(self):
        return self.board.lamp.level

    def events(self, alarm=None):
        return [(e[1]["alarm"], e[1]["state"]) for e in self.out
                if e[0] == message.EVT and (alarm is None or e[1]["alarm"] == alarm)]

    def presence(self, pole, ts=None, device="light-0002"):
        body = {"id": device, "pole": pole, "ts": self.clock.now_ms() if ts is None else ts}
        self.link.subs[0][1](self.link.subs[0][0], json.dumps(body).encode())


def test_boot_at_night_is_full_until_the_clock_is_known_then_base():
    p = Pole("pl-boot", synced=False)
    p.link.connected = False
    assert p.level() == 100, "power-up: full light before the first decision"
    p.run(5 * S)
    assert p.level() == 100 and p.app.mode == "failsafe", "clock unknown: full"
    p.clock.synced = True
    p.run(5 * S)
    assert p.level() == 100, "clock known but never connected since boot at night: still full"
    p.link.connected = True
    p.run(S)
    assert p.level() == 20 and p.app.mode == "dynamic", (p.level(), p.app.mode)


def test_off_by_day():
    p = Pole("pl-day", start_ms=NOON)
    p.run(3 * S)
    assert p.level() == 0 and p.app.mode == "day", (p.level(), p.app.mode)
    p.board.pir.edges = 1
    p.run(S)
    assert p.level() == 0, "presence by day does not light the lamp"


def test_own_detection_lights_the_pole_and_tells_the_group():
    p = Pole("pl-detect")
    p.run(3 * S)
    assert p.link.subs[0][0] == presence_topic("north-path") == "city/v1/group/north-path/presence"
    p.board.pir.edges = 1
    p.board.pir.high = 1
    p.run(S)
    assert len(p.link.sent) == 1, "the group is told at once: %s" % p.link.sent
    p.run(200, step=200)
    assert 20 < p.level() < 100, "ramping up: %s" % p.level()
    p.run(400, step=200)
    assert p.level() == 100, "full within 1 s of the detection"
    topic, body = p.link.sent[0]
    assert topic == "city/v1/group/north-path/presence" and body["pole"] == 3 and body["id"] == "light-0004"
    p.run(5 * S)
    assert len(p.link.sent) == 1, "still there: repeated at most every presence_repeat_s"
    p.board.pir.high = 0
    p.run(65 * S)
    assert p.level() < 100, "fading after the hold"
    p.run(30 * S)
    assert p.level() == 20, "back at base"


def test_neighbour_presence_within_two_poles_brightens_others_do_not():
    p = Pole("pl-neigh")
    p.run(3 * S)
    for far in (0, 6, 9):
        p.presence(far)
        p.run(S)
        assert p.level() == 20, "pole %d is more than 2 poles away" % far
    p.presence(3, device="light-0004")
    p.run(S)
    assert p.level() == 20, "our own message echoed by the broker"
    p.presence(5, ts=p.clock.now_ms() - 5 * MIN)
    p.run(S)
    assert p.level() == 20, "a stale presence (delayed or replayed) does not light the path"
    p.presence(1)
    p.run(S)
    assert p.level() == 100, "pole 1 is two poles away"
    assert p.link.sent == [], "a neighbour's presence is not passed on (no chain reaction along the path)"


def test_contact_lost_at_night_goes_full_after_the_failsafe_delay_and_back_after():
    p = Pole("pl-comms", failsafe_s=900)
    p.run(3 * S)
    p.link.connected = False
    p.run(899 * S)
    assert p.level() == 20, "still dynamic within the fail-safe delay"
    p.run(3 * S)
    assert p.level() == 100 and p.app.mode == "failsafe", (p.level(), p.app.mode)
    assert p.events("COMMS_LOST") == [("COMMS_LOST", "raised")], p.events()
    since = [e[1]["since"] for e in p.out if e[0] == message.EVT][0]
    assert abs(since - (NIGHT + 3 * S)) <= 2 * S, "since = when contact was lost"
    p.link.connected = True
    p.run(S)
    assert p.level() == 20 and p.app.mode == "dynamic", (p.level(), p.app.mode)
    assert p.events("COMMS_LOST") == [("COMMS_LOST", "raised"), ("COMMS_LOST", "cleared")], p.events()


def test_contact_lost_by_day_stays_off():
    p = Pole("pl-comms-day", start_ms=NOON)
    p.run(3 * S)
    p.link.connected = False
    p.run(1000 * S, step=10 * S)
    assert p.level() == 0, "fail-safe only at night"
    assert p.events("COMMS_LOST") == [("COMMS_LOST", "raised")], p.events()


def test_lamp_failure_raised_once_with_the_figures_and_cleared_after_repair():
    p = Pole("pl-lamp")
    p.run(3 * S)
    p.board.lamp_current.dead = True
    p.run(59 * S)
    assert p.events() == [], "not before lamp_fail_s"
    p.run(10 * S)
    assert p.events() == [("LAMP_FAILURE", "raised")], p.events()
    data = p.out[-1][1]
    assert data["level_pct"] == 20 and data["lamp_mv"] == 0 and data["expected_mv"] == 200, data
    assert "loss_lph" not in data, data
    assert p.out[-1][2] == [message.SENSOR_FAULT], p.out[-1]
    p.board.lamp_current.dead = False
    p.run(70 * S)
    assert p.events() == [("LAMP_FAILURE", "raised"), ("LAMP_FAILURE", "cleared")], p.events()


def test_day_burner_when_current_flows_while_driven_off():
    p = Pole("pl-burner", start_ms=NOON)
    p.board.lamp_current.forced = 950
    p.run(310 * S)
    assert p.events() == [("DAY_BURNER", "raised")], p.events()


def test_stuck_motion_sensor_raised_and_then_ignored():
    p = Pole("pl-stuck", pir_stuck_s=600)
    p.run(3 * S)
    p.board.pir.high = 1
    p.board.pir.edges = 1
    p.run(601 * S)
    assert p.events() == [("SENSOR_STUCK", "raised")], p.events()
    sent = len(p.link.sent)
    p.run(100 * S)
    assert p.level() == 20, "a stuck sensor does not keep the lamp at full"
    assert len(p.link.sent) == sent, "nor the path"
    p.board.pir.high = 0
    p.run(61 * S)
    assert p.events() == [("SENSOR_STUCK", "raised"), ("SENSOR_STUCK", "cleared")], p.events()


def test_telemetry_every_quarter_hour_with_estimated_energy():
    p = Pole("pl-tele", start_ms=NIGHT + 5 * S)
    p.run(31 * MIN, step=5 * S)
    tele = [o[1] for o in p.out if o[0] == message.TELE]
    assert len(tele) == 2, tele
    t = tele[1]
    assert t["mode"] == "dynamic" and t["level_pct"] == 20 and t["period_s"] == 900, t
    # 15 min at 20 % of 30 W plus 1 W standby = 1.75 Wh; at 100 % it would be 7.5 Wh
    assert abs(t["energy_wh"] - 1.75) < 0.01 and abs(t["full_wh"] - 7.5) < 0.01, t
    assert t["detections"] == 0 and t["presence_rx"] == 0 and t["avg_pct"] == 20.0, t
    assert t["burning_h"] > 0.49, t


def test_override_command_and_refused_parameters_change_nothing():
    p = Pole("pl-override")
    p.run(3 * S)
    for bad in ({"level": 150, "duration_s": 60}, {"level": 50}, {"level": "high", "duration_s": 60},
                {"level": 50, "duration_s": 100000}, {"level": 50, "duration_s": 60, "colour": "red"}):
        ok, reason = p.app.command("override", bad)
        assert not ok and reason.startswith("override:"), (bad, reason)
        p.run(S)
        assert p.level() == 20 and p.app.override is None, "a refused command changes nothing"
    assert p.app.command("override", {"level": 60, "duration_s": 120}) == (True, None)
    p.run(S)
    assert p.level() == 60 and p.app.mode == "override", (p.level(), p.app.mode)
    p.run(120 * S)
    assert p.level() == 20 and p.app.mode == "dynamic", "the override ends by itself"
    assert p.app.command("dance", {}) == (False, "unknown op")


def test_schedule_command_is_checked_applied_and_kept():
    p = Pole("pl-schedule")
    p.run(3 * S)
    ok, reason = p.app.command("schedule", {"on": "sunset", "off": "half past nine"})
    assert not ok and "off" in reason, reason
    assert p.app.c["off"] == "sunrise", "nothing changed"
    assert p.app.command("schedule", {"off": "20:30"}) == (True, None)   # 20:30 CET = 19:30 UTC: already past
    p.run(61 * S)
    assert p.level() == 0 and p.app.mode == "day", (p.level(), p.app.mode)
    with open(p.board.fs_root + "/overrides.json") as f:
        assert json.load(f) == {"off": "20:30"}, "kept on flash like set_config"


def test_configuration_rules():
    base = {"device_id": "light-0001", "kind": "park_light", "mqtt": {"host": "hub"}}
    for app, word in (({"on": "dusk"}, "app.on"), ({"group": "a/b"}, "group"), ({"base_pct": 120}, "base_pct"),
                      ({"base_pct": 60, "high_pct": 50}, "base_pct"), ({"tele_s": 90}, "tele_s"),
                      ({"lamp_fail_frac": 2.0}, "lamp_fail_frac"), ({"lat": 95.0}, "lat")):
        cfg = dict(base, app=app)
        e = raises(ConfigError, check, cfg, APP_DEFAULTS, APP_CHECK)
        assert word in str(e), (app, str(e))


def test_malformed_presence_never_raises_and_lights_nothing():
    p = Pole("pl-bad-presence")
    p.run(3 * S)
    topic, callback = p.link.subs[0]
    for payload in (b"", b"not json", b"\xff\xfe\x00", b"[1, 2]", b'"pole"', b"42", b"null",
                    b'{"pole": 1e999, "ts": 0}', b'{"pole": 2, "ts": 1e999}', b'{"pole": 2, "ts": NaN}',
                    b'{"pole": "two", "ts": 0}', b'{"pole": [2], "ts": 0}', b'{"pole": 2}', b'{"ts": 0}',
                    b'{"pole": 9, "ts": 0, "id": {"x": 1}}', b"[" * 3000 + b"]" * 3000, b'{"pole": {}}'):
        try:
            callback(topic, payload)
        except Exception as e:   # it would escape through the MQTT client and the main loop: a board reset
            raise AssertionError("presence %r raised %r" % (payload[:40], e))
    p.run(S)
    assert p.level() == 20 and p.app.p_presence == 0, (p.level(), p.app.p_presence)


def test_presence_still_sent_after_a_quiet_week_of_tick_wraps():
    # ticks wrap at 2**30 ms (12.4 days); the last publication's tick must not read as "recent" a week later
    p = Pole("pl-quiet-week")
    p.run(3 * S)
    p.board.pir.edges = 1
    p.run(S)
    assert len(p.link.sent) == 1, p.link.sent
    p.run(2 * MIN)
    p.clock.advance(7 * 24 * 3600 * S)   # a week without anyone (20:00 UTC again: night)
    p.run(S)
    p.board.pir.edges = 1
    p.run(S)
    assert len(p.link.sent) == 2, "the first passer-by after a quiet week is told to the group: %s" % p.link.sent


def test_no_presence_messages_by_day():
    p = Pole("pl-day-presence", start_ms=NOON)
    p.run(3 * S)
    for _ in range(5):
        p.board.pir.edges = 1
        p.run(20 * S)
    assert p.link.sent == [], "lamps off: the neighbours need not know (%d messages)" % len(p.link.sent)


def test_group_changed_by_set_config_sends_nothing_until_the_reboot():
    # the subscription (and the broker's rules) are the old group's until the reboot; mosquitto disconnects a
    # board that publishes on a topic it may not use
    p = Pole("pl-regroup")
    p.run(3 * S)
    p.app.configure(dict(p.app.c, group="south-path"))
    p.board.pir.edges = 1
    p.run(2 * S)
    assert p.link.sent == [], p.link.sent
    assert p.level() > 20, "the pole itself still brightens"


def test_an_expired_override_stays_expired_through_a_long_failsafe():
    p = Pole("pl-override-wrap")
    p.run(3 * S)
    assert p.app.command("override", {"level": 60, "duration_s": 3600}) == (True, None)
    p.run(S)
    assert p.level() == 60, p.level()
    p.link.connected = False
    p.run(1000 * S, step=10 * S)
    assert p.app.mode == "failsafe" and p.level() == 100, (p.app.mode, p.level())
    p.run(3000 * S, step=10 * S)   # the override's hour ends during the fail-safe
    p.clock.advance(7 * 24 * 3600 * S)   # a week without contact: the override's start tick is long gone
    p.run(S)
    p.link.connected = True
    p.run(S)
    assert p.app.mode == "dynamic" and p.level() == 20, (p.app.mode, p.level())


def test_schedule_command_that_breaks_a_rule_or_cannot_be_saved_changes_nothing():
    import os
    p = Pole("pl-schedule-bad")
    p.run(3 * S)
    ok, reason = p.app.command("schedule", {"off": "sunset"})
    assert not ok and "never be lit" in reason, reason
    assert p.app.c["off"] == "sunrise" and p.app.off_spec == (1, 0), (p.app.c["off"], p.app.off_spec)
    os.mkdir(p.board.fs_root + "/overrides.json")   # the file cannot be written
    ok, reason = p.app.command("schedule", {"off": "23:30"})
    assert not ok and reason.startswith("schedule: not saved"), reason
    assert p.app.c["off"] == "sunrise", "a schedule that is not kept is not applied either"
    p.run(S)
    assert p.level() == 20 and p.app.mode == "dynamic", (p.level(), p.app.mode)


def test_durations_beyond_a_day_and_zero_presence_timings_are_refused():
    base = {"device_id": "light-0001", "kind": "park_light", "mqtt": {"host": "hub"}}
    for key in ("hold_s", "fade_s", "pir_stuck_s", "lamp_fail_s", "presence_max_age_s", "failsafe_s"):
        e = raises(ConfigError, check, dict(base, app={key: 7 * 86400}), APP_DEFAULTS, APP_CHECK)
        assert key in str(e) and "at most" in str(e), (key, str(e))
    for key in ("presence_repeat_s", "presence_max_age_s"):
        e = raises(ConfigError, check, dict(base, app={key: 0}), APP_DEFAULTS, APP_CHECK)
        assert key in str(e) and "at least 1" in str(e), str(e)
    e = raises(ConfigError, check, dict(base, app={"on": "22:00", "off": "22:00"}), APP_DEFAULTS, APP_CHECK)
    assert "never be lit" in str(e), str(e)


def test_presence_sent_and_presence_that_could_not_go_are_counted_in_telemetry():
    p = Pole("pl-presence-count", start_ms=NIGHT + 5 * S)
    p.run(3 * S)
    p.board.pir.edges = 1
    p.run(S)
    p.link.connected = False   # QoS 0 and no outbox: what cannot go now is not sent later, but it is counted
    for _ in range(3):
        p.run(15 * S)
        p.board.pir.edges = 1
    p.run(S)
    p.link.connected = True
    p.run(16 * MIN, step=5 * S)
    tele = [o[1] for o in p.out if o[0] == message.TELE]
    assert tele, "a report"
    assert sum(t["presence_tx"] for t in tele) == 1 and sum(t["presence_unsent"] for t in tele) == 3, tele
    assert len(p.link.sent) == 1, p.link.sent


def test_lamp_failure_needs_the_whole_delay_of_judged_time():
    # 30 s of no current at 20 %, then 10 min at 5 % (too little current to judge), then one bad reading at 20 %
    # before the lamp is fine: not 60 s of failure, no alarm
    p = Pole("pl-lamp-gap")
    p.run(3 * S)
    p.board.lamp_current.dead = True
    p.run(30 * S)
    assert p.app.command("override", {"level": 5, "duration_s": 600}) == (True, None)
    p.run(601 * S)
    assert p.app.mode == "dynamic" and p.level() == 20, (p.app.mode, p.level())
    p.board.lamp_current.dead = False
    p.run(120 * S)
    assert p.events() == [], p.events()
    p.board.lamp_current.dead = True
    p.run(70 * S)
    assert p.events() == [("LAMP_FAILURE", "raised")], "a lasting failure is still raised: %s" % p.events()
