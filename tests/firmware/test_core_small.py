# test_core_small.py: the small core pieces: Backoff, Clock, config.check/load, AlarmSet, StateFile and
# commands.answer. Runs on CPython and MicroPython.
import json
import os

from cityfw.core import commands
from cityfw.core.alarms import AlarmSet
from cityfw.core.backoff import Backoff
from cityfw.core.clock import RESYNC_MS, RETRY_MS, Clock
from cityfw.core.config import DEFAULTS, ConfigError, check, read
from cityfw.core.state_file import StateFile
from support import TICKS_PERIOD, FakeClock, raises, scratch_dir

# --- Backoff ----------------------------------------------------------------------------------------


def test_backoff_grows_exponentially_and_is_capped():
    calls = []

    def rand_max(n):
        calls.append(n)
        return n - 1

    b = Backoff(rand_max, base_ms=1000, max_ms=60000)
    got = [b.next_ms() for _ in range(9)]
    assert got == [999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999], got
    assert calls[:3] == [500, 1500, 3500], ("rand spans [base/2, ceiling)", calls)
    for _ in range(40):
        last = b.next_ms()
    assert last == 59999, ("still capped after many attempts", last)


def test_backoff_never_below_half_the_base():
    b = Backoff(lambda n: 0, base_ms=1000, max_ms=60000)
    got = [b.next_ms() for _ in range(10)]
    assert got == [500] * 10, got


def test_backoff_jitter_stays_within_half_base_and_ceiling():
    state = [12345]

    def lcg(n):
        state[0] = (state[0] * 1103515245 + 12345) & 0x7FFFFFFF
        return state[0] % n

    for _ in range(20):
        b = Backoff(lcg, base_ms=1000, max_ms=30000)
        for attempt in range(12):
            ceiling = min(1000 << attempt, 30000)
            d = b.next_ms()
            assert 500 <= d <= ceiling, (attempt, d, ceiling)
    seen = {Backoff(lcg, 1000, 30000).next_ms() for _ in range(20)}
    assert len(seen) > 5, ("jitter actually varies", seen)


def test_backoff_reset_starts_again_from_base():
    b = Backoff(lambda n: n - 1, base_ms=1000, max_ms=60000)
    for _ in range(5):
        b.next_ms()
    b.reset()
    assert b.next_ms() == 999, "back to the first ceiling"
    assert b.next_ms() == 1999, "and growing again"


# --- Clock ------------------------------------------------------------------------------------------


class FakeRtc(FakeClock):
    # FakeClock plus sync(): results is a list of True / False / "oserror", one per attempt
    def __init__(self, results):
        super().__init__(ms=TICKS_PERIOD - 10000)  # ticks wrap during the test
        self.results = list(results)
        self.calls = 0

    def sync(self):
        self.calls += 1
        r = self.results.pop(0)
        if r == "oserror":
            raise OSError(110)
        return r


def test_clock_retries_a_failed_sync_after_a_minute_and_resyncs_every_6_hours():
    rtc = FakeRtc([False, "oserror", True, True])
    clock = Clock(rtc)
    assert not clock.synced, "unsynced at boot"
    assert clock.maybe_sync() is False and rtc.calls == 1, "first try at once, failed"
    rtc.advance(RETRY_MS - 1)
    assert clock.maybe_sync() is False and rtc.calls == 1, "no retry before 1 min"
    rtc.advance(1)
    assert clock.maybe_sync() is False and rtc.calls == 2, "retry after 1 min; OSError is a failure"
    assert not clock.synced, "still unsynced"
    rtc.advance(RETRY_MS)
    assert clock.maybe_sync() is True and rtc.calls == 3, "third try succeeds"
    assert clock.synced, "synced"
    rtc.advance(RESYNC_MS - 1)
    assert clock.maybe_sync() is False and rtc.calls == 3, "no resync before 6 h"
    rtc.advance(1)
    assert clock.maybe_sync() is True and rtc.calls == 4, "resync after 6 h"


def test_clock_failed_resync_keeps_it_synced():
    rtc = FakeRtc([True, False])
    clock = Clock(rtc)
    clock.maybe_sync()
    rtc.advance(RESYNC_MS)
    assert clock.maybe_sync() is False and rtc.calls == 2, "resync attempted and failed"
    assert clock.synced, "a clock synced once stays usable"


def test_clock_sync_due_after_a_week_offline():
    # ticks_diff wraps after 2**29 ms (~6.2 days): a long outage must not postpone the next sync by days
    for days in (7, 10):
        rtc = FakeRtc([False, True])
        clock = Clock(rtc)
        clock.maybe_sync()
        rtc.advance(days * 24 * 3600 * 1000)
        assert clock.due_for_sync(), f"due after {days} days without a try"
        assert clock.maybe_sync() is True and rtc.calls == 2, rtc.calls


def test_clock_passes_through_time_and_ticks():
    rtc = FakeRtc([])
    clock = Clock(rtc)
    t = clock.ticks_ms()
    rtc.advance(25000)  # across the tick wrap
    assert clock.since_ms(t) == 25000, clock.since_ms(t)
    assert clock.now_ms() == rtc.now_ms(), (clock.now_ms(), rtc.now_ms())


# --- config -----------------------------------------------------------------------------------------

APP = {"tele_s": 900, "night_factor": 1.5, "leak_window_h": 24}


def base_cfg(**over):
    c = {"device_id": "wm-1", "kind": "water_meter", "mqtt": {"host": "hub.local"}}
    c.update(over)
    return c


def test_config_check_fills_in_defaults():
    cfg = check(base_cfg(mqtt={"host": "hub.local", "port": 8883}, app={"tele_s": 300}), APP)
    assert cfg["mqtt"]["host"] == "hub.local" and cfg["mqtt"]["port"] == 8883, cfg["mqtt"]
    assert cfg["mqtt"]["keepalive_s"] == 60 and cfg["mqtt"]["user"] is None, cfg["mqtt"]
    assert cfg["report"] == {"health_s": 3600, "utc_offset_min": 60, "eu_dst": True}, cfg["report"]
    assert cfg["outbox"] == {"max_segments": 16, "segment_records": 64}, cfg["outbox"]
    assert cfg["wifi"]["backoff_base_ms"] == 1000, cfg["wifi"]
    assert cfg["app"] == {"tele_s": 300, "night_factor": 1.5, "leak_window_h": 24}, cfg["app"]


def test_config_check_does_not_share_or_change_defaults():
    given = base_cfg()
    cfg = check(given, APP)
    cfg["mqtt"]["port"] = 1
    cfg["app"]["tele_s"] = 1
    again = check(base_cfg(), APP)
    assert again["mqtt"]["port"] == 1883 and DEFAULTS["mqtt"]["port"] == 1883, again["mqtt"]
    assert again["app"]["tele_s"] == 900 and APP["tele_s"] == 900, again["app"]
    assert given == base_cfg(), ("the caller's dict is left alone", given)


def test_config_missing_device_id_kind_or_mqtt_host_is_an_error():
    cases = [
        ({"kind": "water_meter", "mqtt": {"host": "h"}}, "device_id"),
        (base_cfg(device_id=""), "device_id"),
        (base_cfg(device_id=42), "device_id"),
        ({"device_id": "wm-1", "mqtt": {"host": "h"}}, "kind"),
        ({"device_id": "wm-1", "kind": "water_meter"}, "mqtt.host"),
        (base_cfg(mqtt={"port": 1883}), "mqtt.host"),
        (base_cfg(device_id="wm/1"), "device_id"),
        (base_cfg(device_id="wm+1"), "device_id"),
        (base_cfg(device_id="wm#"), "device_id"),
    ]
    for raw, word in cases:
        e = raises(ConfigError, check, raw, APP)
        assert word in str(e), (raw, str(e))


def test_config_unknown_app_setting_is_an_error():
    e = raises(ConfigError, check, base_cfg(app={"colour": "blue"}), APP)
    assert "unknown app setting" in str(e) and "colour" in str(e), str(e)


def test_config_non_number_threshold_is_an_error():
    for bad in ("900", True, None, [900], {"s": 900}):
        e = raises(ConfigError, check, base_cfg(app={"tele_s": bad}), APP)
        assert "app.tele_s must be a number" in str(e), (bad, str(e))
    cfg = check(base_cfg(app={"tele_s": 450, "night_factor": 2}), APP)
    assert cfg["app"]["tele_s"] == 450 and cfg["app"]["night_factor"] == 2, "an int where a float is expected"
    from cityfw.apps.water_meter import APP_DEFAULTS
    e = raises(ConfigError, check, base_cfg(app={"leak_estimate_h": 1.5}), APP_DEFAULTS)
    assert "whole number" in str(e), str(e)
    e = raises(ConfigError, check, base_cfg(app={"litres_per_pulse": -10}), APP_DEFAULTS)
    assert "negative" in str(e), str(e)


def test_water_meter_rules_refuse_values_that_would_break_the_app():
    from cityfw.apps.water_meter import APP_CHECK, APP_DEFAULTS
    for bad, words in (({"litres_per_pulse": 0}, "at least 1"), ({"tele_s": 90}, "multiple of 60"),
                       ({"night_end_h": 24}, "0-23"), ({"leak_window_h": 0}, "at least 1")):
        e = raises(ConfigError, check, base_cfg(app=bad), APP_DEFAULTS, APP_CHECK)
        assert words in str(e), (bad, str(e))
    assert check(base_cfg(app={"tele_s": 0}), APP_DEFAULTS, APP_CHECK)["app"]["tele_s"] == 0, "0 = no telemetry"


def test_config_error_is_a_value_error():
    assert isinstance(ConfigError("x"), ValueError), "callers may catch ValueError"


def test_config_load_reads_checks_and_reports_bad_files():
    root = scratch_dir("core_config")
    path = root + "/config.json"
    e = raises(ConfigError, read, path)
    assert "cannot read" in str(e), str(e)
    with open(path, "w") as f:
        f.write('{"device_id": "wm-1", ')
    e = raises(ConfigError, read, path)
    assert "not valid JSON" in str(e), str(e)
    with open(path, "w") as f:
        f.write(json.dumps(base_cfg(app={"leak_window_h": 12})))
    cfg = check(read(path), APP)
    assert cfg["app"]["leak_window_h"] == 12 and cfg["app"]["tele_s"] == 900, cfg["app"]


# --- AlarmSet ---------------------------------------------------------------------------------------


def test_alarm_raised_once_with_since_and_loss():
    a = AlarmSet()
    ev = a.raise_alarm("LEAK", 1000, 25.0)
    assert ev == {"alarm": "LEAK", "state": "raised", "since": 1000, "loss_lph": 25.0}, ev
    assert a.raise_alarm("LEAK", 2000, 30.0) is None, "already active: no second event"
    assert a.is_active("LEAK"), "active"
    assert not a.is_active("BURST"), "other alarms unaffected"


def test_alarm_cleared_once_with_original_since_and_latest_loss():
    a = AlarmSet()
    a.raise_alarm("LEAK", 1000, 25.0)
    a.raise_alarm("LEAK", 2000, 31.234)
    ev = a.clear("LEAK", {"night_l": 3})
    assert ev == {"alarm": "LEAK", "state": "cleared", "since": 1000, "loss_lph": 31.23, "night_l": 3}, ev
    assert a.clear("LEAK") is None, "cleared once"
    assert not a.is_active("LEAK"), "inactive"
    assert a.clear("BURST") is None, "clearing an inactive alarm says nothing"
    ev = a.raise_alarm("LEAK", 5000, 1.0)
    assert ev is not None and ev["since"] == 5000, ("a new episode raises again", ev)


def test_alarm_detail_is_merged_into_the_event():
    ev = AlarmSet().raise_alarm("NIGHT_FLOW", 7, 1.23456, {"night_l": 13})
    assert ev == {"alarm": "NIGHT_FLOW", "state": "raised", "since": 7, "loss_lph": 1.23, "night_l": 13}, ev


def test_alarm_shift_moves_since_of_active_alarms():
    a = AlarmSet()
    a.raise_alarm("LEAK", 1000, 1.0)
    a.raise_alarm("TAMPER", 2000)
    a.shift(10**12)
    assert a.clear("LEAK")["since"] == 1000 + 10**12, "LEAK shifted"
    assert a.clear("TAMPER")["since"] == 2000 + 10**12, "TAMPER shifted"


def test_alarm_set_restored_from_persisted_active_does_not_raise_again():
    a = AlarmSet()
    a.raise_alarm("CABLE", 1000)
    b = AlarmSet(json.loads(json.dumps(a.active)))
    assert b.raise_alarm("CABLE", 9000) is None, "still active after the round trip"
    assert b.clear("CABLE")["since"] == 1000, "with its original since"


# --- StateFile --------------------------------------------------------------------------------------


def test_state_file_save_and_load_round_trip_without_tmp_left():
    root = scratch_dir("core_state")
    sf = StateFile(root + "/s.json")
    assert sf.load() is None, "missing file loads as None"
    doc = {"total_l": 123.5, "alarms": {"active": {"LEAK": {"since": 1, "loss_lph": 2.5}}}, "n": [1, 2]}
    sf.save(doc)
    assert sf.load() == doc, sf.load()
    sf.save({"total_l": 124})
    assert StateFile(root + "/s.json").load() == {"total_l": 124}, "replaced, read by a new instance"
    assert sorted(os.listdir(root)) == ["s.json"], ("no s.json.tmp left", os.listdir(root))
    assert sf.writes == 2, sf.writes


def test_state_file_corrupt_content_loads_as_none():
    root = scratch_dir("core_state_bad")
    sf = StateFile(root + "/s.json")
    for junk in ('{"total_l": 12', "", "not json", "\x00\x00\x00"):
        with open(root + "/s.json", "w") as f:
            f.write(junk)
        assert sf.load() is None, ("corrupt file", junk)


def test_state_file_leftover_tmp_does_not_hide_the_saved_version():
    root = scratch_dir("core_state_tmp")
    sf = StateFile(root + "/s.json")
    sf.save({"v": 1})
    with open(root + "/s.json.tmp", "w") as f:
        f.write('{"v": 2')  # power cut while writing the next version
    assert sf.load() == {"v": 1}, "the old complete version"
    sf.save({"v": 3})
    assert sf.load() == {"v": 3} and "s.json.tmp" not in os.listdir(root), os.listdir(root)


# --- commands.answer --------------------------------------------------------------------------------


class FakeApp:
    def __init__(self, with_command=False):
        self.configured = []
        if with_command:
            self.command = self._command

    def configure(self, app_cfg):
        self.configured.append(dict(app_cfg))

    def _command(self, op, params):
        if op == "reset_total":
            return True, None
        return False, "unknown op"


class FakeBoard:
    def __init__(self, fs_root):
        self.fs_root = fs_root


class FakeSupervisor:
    # only what commands.py reads: app_defaults, cfg, device_id, kind, app, board
    def __init__(self, root, app=None):
        self.app_defaults = APP
        self.cfg = check(base_cfg(), APP)
        self.device_id = "wm-1"
        self.kind = "water_meter"
        self.app = app or FakeApp()
        self.board = FakeBoard(root)
        self.app_check = None


def cmd(op, params=None, cmd_id="c1"):
    body = {"id": cmd_id, "op": op}
    if params is not None:
        body["params"] = params
    return json.dumps(body).encode()  # the MQTT payload is bytes


def overrides(sup):
    return StateFile(sup.board.fs_root + "/overrides.json").load()


def test_command_ping_is_answered():
    sup = FakeSupervisor(scratch_dir("cmd_ping"))
    reply = commands.answer(sup, cmd("ping"))
    assert reply == {"id": "c1", "op": "ping", "ok": True, "reason": None}, reply


def test_command_set_config_valid_value_applied_and_kept_on_flash():
    sup = FakeSupervisor(scratch_dir("cmd_set_ok"))
    reply = commands.answer(sup, cmd("set_config", {"leak_window_h": 12}))
    assert reply == {"id": "c1", "op": "set_config", "ok": True, "reason": None}, reply
    assert sup.cfg["app"]["leak_window_h"] == 12, sup.cfg["app"]
    assert sup.cfg["app"]["tele_s"] == 900, ("other settings kept", sup.cfg["app"])
    assert sup.app.configured == [sup.cfg["app"]], ("the app got the new thresholds", sup.app.configured)
    assert overrides(sup) == {"leak_window_h": 12}, overrides(sup)
    reply = commands.answer(sup, cmd("set_config", {"tele_s": 300}, "c2"))
    assert reply["ok"] is True and reply["id"] == "c2", reply
    assert overrides(sup) == {"leak_window_h": 12, "tele_s": 300}, ("overrides accumulate", overrides(sup))


def test_command_set_config_refuses_a_setting_only_the_registry_sets():
    sup = FakeSupervisor(scratch_dir("cmd_set_fixed"))
    sup.app_fixed = ("leak_window_h",)   # stands for a light's group: the broker's rules follow the registry
    before = sup.cfg["app"]["leak_window_h"]
    reply = commands.answer(sup, cmd("set_config", {"leak_window_h": before + 1, "tele_s": 300}))
    assert reply["ok"] is False and "registered" in reply["reason"], reply
    assert sup.cfg["app"]["leak_window_h"] == before and sup.cfg["app"]["tele_s"] == 900, "nothing applied"
    reply = commands.answer(sup, cmd("set_config", {"leak_window_h": before, "tele_s": 300}, "c2"))
    assert reply["ok"] is True and sup.cfg["app"]["tele_s"] == 300, ("the same value is no change", reply)


def test_command_set_config_that_cannot_be_saved_is_refused_and_not_applied():
    sup = FakeSupervisor(scratch_dir("cmd_set_nosave") + "/no-such-dir")   # the flash cannot take the file
    before = dict(sup.cfg["app"])
    reply = commands.answer(sup, cmd("set_config", {"leak_window_h": 12}))
    assert reply["ok"] is False and "cannot save" in reply["reason"], reply
    assert sup.cfg["app"] == before and sup.app.configured == [], ("nothing applied", sup.cfg["app"])


def test_command_set_config_invalid_value_refused_and_config_unchanged():
    sup = FakeSupervisor(scratch_dir("cmd_set_bad"))
    before = dict(sup.cfg["app"])
    cases = [
        ({"leak_window_h": "12"}, "must be a number"),
        ({"colour": 3}, "unknown app setting"),
        ({"tele_s": 300, "night_factor": True}, "must be a number"),  # one bad value refuses the lot
    ]
    for params, why in cases:
        reply = commands.answer(sup, cmd("set_config", params))
        assert reply["ok"] is False and reply["op"] == "set_config" and reply["id"] == "c1", reply
        assert why in reply["reason"], (params, reply)
        assert sup.cfg["app"] == before, ("config unchanged", params, sup.cfg["app"])
    assert sup.app.configured == [], ("the app was not reconfigured", sup.app.configured)
    assert overrides(sup) is None, ("nothing written to flash", overrides(sup))


def test_command_unknown_op_is_refused():
    sup = FakeSupervisor(scratch_dir("cmd_unknown"))
    reply = commands.answer(sup, cmd("self_destruct"))
    assert reply == {"id": "c1", "op": "self_destruct", "ok": False, "reason": "unknown op"}, reply


def test_command_app_ops_are_delegated_to_the_app():
    sup = FakeSupervisor(scratch_dir("cmd_app"), FakeApp(with_command=True))
    reply = commands.answer(sup, cmd("reset_total", {}))
    assert reply == {"id": "c1", "op": "reset_total", "ok": True, "reason": None}, reply
    reply = commands.answer(sup, cmd("self_destruct"))
    assert reply["ok"] is False and reply["reason"] == "unknown op", reply


def test_command_not_json_or_malformed_is_refused():
    sup = FakeSupervisor(scratch_dir("cmd_bad"))
    for payload in (b"{not json", b"", b"\xff\xfe\x00garbage"):
        reply = commands.answer(sup, payload)
        assert reply == {"id": None, "op": None, "ok": False, "reason": "not JSON"}, (payload, reply)
    for payload in (b"[1, 2]", b'"ping"', b'{"id": "c9"}', b'{"id": "c9", "op": 5}'):
        reply = commands.answer(sup, payload)
        assert reply["ok"] is False and reply["reason"] == "missing op", (payload, reply)
    reply = commands.answer(sup, b'{"id": "c3", "op": "set_config", "params": [1]}')
    assert reply == {"id": "c3", "op": "set_config", "ok": False, "reason": "params must be an object"}, reply
    assert sup.cfg["app"] == check(base_cfg(), APP)["app"], "nothing changed"
