# test_smart_bin_app.py: the smart bin app (cityfw.apps.smart_bin) under the real supervisor, on a fake board
# that deep-sleeps: each wake is a fresh boot with only the flash (outbox, state file) and the RTC kept.
# Runs on CPython and MicroPython.
import json
import os
from binascii import crc32

from cityfw.apps.smart_bin import APP_CHECK, APP_DEFAULTS
from cityfw.core import boot, message
from cityfw.core.config import ConfigError, check
from cityfw.drivers.ultrasonic import sound_speed
from fake_board import OfflineBoard, Watchdog
from support import FakeClock, raises, scratch_dir

T0 = 1795132800000   # 2026-11-20 00:00 UTC
SEC = 1000
PHASE_S = crc32(b"bin-0001") % 300
CFG = {"device_id": "bin-0001", "kind": "smart_bin", "mqtt": {"host": "broker.invalid"},
       "report": {"health_s": 3600}}


class Sleep(Exception):
    def __init__(self, ms):
        super().__init__(ms)
        self.ms = ms


class Rtc:
    def __init__(self, clock, valid, ntp_step_ms=None):
        self.clock = clock
        self._valid = valid
        self.ntp_step_ms = ntp_step_ms   # None: no NTP server; else how far each sync moves the clock (drift)

    def now_ms(self):
        return self.clock.now_ms()

    def ticks_ms(self):
        return self.clock.ticks_ms()

    def ticks_diff(self, a, b):
        return self.clock.ticks_diff(a, b)

    def sync(self):
        if self.ntp_step_ms is None:
            return False
        self.clock.start_ms += self.ntp_step_ms
        return True

    def valid(self):
        return self._valid


class Wifi:
    def __init__(self, up=False):
        self.attempts = 0
        self.up = up   # an access point that answers (the broker still cannot be reached)
        self.associated = False

    def connect(self, ssid, password):
        self.attempts += 1
        self.associated = self.up

    def isconnected(self):
        return self.associated

    def rssi(self):
        return -60


class World:
    # the bin's physical state, shared by every boot of the board
    def __init__(self):
        self.level_cm = 90.0   # sensor to waste surface (25 % full)
        self.temp_mv = 1650    # 25 °C
        self.g = (0.0, 0.0, 1.0)
        self.lid = False
        self.compactions = 0
        self.late = 0   # compactions that come after the reading, while the board is still awake


class Ultrasonic:
    def __init__(self, world):
        self.world = world

    def echoes_us(self, n, gap_ms, timeout_us):
        us = int(2 * self.world.level_cm / 100 / sound_speed(25.0) * 1e6)
        return [us] * (n - 1) + [None]   # one lost ping in every reading


class Adc:
    def __init__(self, read):
        self.read = read

    def read_mv(self):
        return self.read()


class Accel:
    def __init__(self, world):
        self.world = world

    def read_g(self):
        return self.world.g


class Lid:
    def __init__(self, world):
        self.world = world

    def is_open(self):
        return self.world.lid


class Compactor:
    def __init__(self, world):
        self.world = world
        self.count = 0

    def take(self):
        # closures in deep sleep are counted by the wakes they cause (world.compactions); closures while awake
        # only in this board's RAM (self.count), which a deep sleep wipes
        n, self.world.compactions = self.world.compactions + self.count, 0
        self.count, self.world.late = self.world.late, 0
        return n


class Board(OfflineBoard):
    def __init__(self, root, clock, world, reset_cause, rtc_valid, ntp_step_ms=None):
        self.fs_root = root
        self.rtc = Rtc(clock, rtc_valid, ntp_step_ms)
        self.wifi = Wifi(ntp_step_ms is not None)
        self.watchdog = Watchdog()
        self.cause = reset_cause
        self.ultrasonic = Ultrasonic(world)
        self.temp_adc = Adc(lambda: world.temp_mv)
        self.battery_adc = Adc(lambda: 1900)
        self.accel = Accel(world)
        self.lid = Lid(world)
        self.compactor = Compactor(world)

    def deep_sleep(self, ms):
        raise Sleep(ms)


class Bin:
    # boots the board, runs passes 1 s apart until it asks for deep sleep, then lets the time pass
    def __init__(self, root, **app):
        self.root = root
        self.world = World()
        self.now = T0
        self.cause = "power_on"
        self.valid = False
        self.valid_after_sleep = True   # the RTC keeps its (NTP-set) time through deep sleep
        self.cfg = dict(CFG)
        self.cfg["app"] = app
        self.boards = []
        self.sleeps = []
        self.flash_fails = False   # the outbox cannot be written: the pass raises, main.py resets the board
        self.ntp_step_ms = None    # WiFi and NTP answer (no broker); each sync corrects the RTC by this

    def wake(self, max_passes=100):
        # one awake cycle; returns (passes, slept ms, the board)
        clock = FakeClock(start_ms=self.now)
        board = Board(self.root, clock, self.world, self.cause, self.valid, self.ntp_step_ms)
        self.boards.append(board)
        sup = boot.build(board, json.loads(json.dumps(self.cfg)))
        self.sup = sup
        if self.flash_fails:
            def fail(channel, payload, seq):
                raise OSError("flash write failed")
            sup.outbox.append = fail
        for n in range(1, max_passes + 1):
            clock.advance(SEC)
            try:
                sup.run_once()
            except Sleep as s:
                self.now = clock.now_ms() + s.ms
                self.cause = "deep_sleep"
                self.valid = self.valid_after_sleep
                self.sleeps.append(s.ms)
                return n, s.ms, board
        raise AssertionError("the board never went to sleep")

    def messages(self):
        # everything the board has queued so far (it never reaches a broker here), oldest first, read from the
        # outbox's segment files without sending anything
        out = []
        root = self.root + "/outbox"
        for name in sorted(os.listdir(root)):
            if name[0] != "s" or not name[1:].isdigit():
                continue
            with open(root + "/" + name) as f:
                for line in f.read().split("\n"):
                    if line:
                        parts = line.split(" ", 3)
                        out.append((int(parts[1]), parts[2], json.loads(parts[3])))
        return out


def test_power_on_measures_reports_and_sleeps_until_the_next_reading():
    b = Bin(scratch_dir("bin_boot"))
    passes, slept, board = b.wake()
    assert board.wifi.attempts >= 1, "after a power-up the board connects at once"
    assert passes == 30, "it gives up on an unreachable broker after radio_max_s (30 s) and sleeps"
    msgs = b.messages()
    assert [m[1] for m in msgs] == [message.TELE, message.HEALTH], msgs
    tele = msgs[0][2]["data"]
    assert tele["pings"] == 6 and abs(tele["fill_pct"] - 25.0) < 0.5 and abs(tele["temp_c"] - 25.0) < 0.1, tele
    assert tele["lid_open"] is False and tele["tilt_deg"] == 0.0 and tele["battery_v"] == 3.8, tele
    assert message.CLOCK_UNSYNCED in msgs[0][2]["q"], "no NTP yet after a power-up"
    assert 0 < slept <= 300 * SEC, slept


def test_a_wake_with_nothing_to_send_keeps_the_radio_off():
    b = Bin(scratch_dir("bin_quiet"), retry_s=86400)   # no retry of the power-up's failed connection today
    b.wake()
    queued = len(b.messages())
    for _ in range(5):
        passes, slept, board = b.wake()
        assert passes == 1, "measure, decide, sleep: one pass"
        # on the 5-minute grid, shifted by this bin's phase (from its id: bins do not all wake together)
        assert (b.now - T0 - PHASE_S * SEC) % (300 * SEC) == 0, "off the grid: %d" % (b.now - T0)
    assert board.wifi.attempts == 0 and board.reset_cause() == "deep_sleep", board.wifi.attempts
    assert len(b.messages()) == queued, "quiet readings send nothing"


def test_a_backlog_is_retried_after_retry_s():
    b = Bin(scratch_dir("bin_retry"))
    b.wake()
    attempts = []
    while b.now < T0 + 1800 * SEC:
        passes, slept, board = b.wake()
        attempts.append((b.now - T0) // 1000 if board.wifi.attempts else 0)
    tried = [a for a in attempts if a]
    assert len(tried) == 1 and tried[0] > 900, "one retry, once retry_s (900 s) had passed: %s" % attempts


def test_full_confirmed_across_two_wakes_with_seq_continuing_and_clock_kept():
    b = Bin(scratch_dir("bin_full"))
    b.wake()
    b.world.level_cm = 30 + 80 * 0.1   # 90 % full
    passes, slept, board = b.wake()
    assert board.wifi.attempts == 0, "one reading at 90 % is not news yet"
    passes, slept, board = b.wake()
    assert board.wifi.attempts >= 1, "FULL confirmed: the board connects to send it"
    msgs = b.messages()
    evts = [m[2] for m in msgs if m[1] == message.EVT]
    assert [(e["data"]["alarm"], e["data"]["state"]) for e in evts] == [("FULL", "raised")], evts
    ev = evts[0]
    assert message.CLOCK_UNSYNCED not in ev["q"], "the RTC kept the time through deep sleep"
    assert ev["data"]["since"] < ev["ts"], ev
    seqs = [m[0] for m in msgs]
    assert seqs == list(range(1, len(seqs) + 1)), "seq continues across wakes without gap: %s" % seqs
    assert msgs[-1][1] == message.TELE, "telemetry goes with every event"


def test_tilt_is_confirmed_30_seconds_later_across_a_sleep():
    b = Bin(scratch_dir("bin_tilt"))
    b.wake()
    b.world.g = (0.87, 0.0, 0.5)   # 60 degrees
    passes, slept, board = b.wake()
    assert slept == 30 * SEC, "next reading 30 s after the first tilted one: %d" % slept
    b.wake()
    evts = [m[2]["data"] for m in b.messages() if m[1] == message.EVT]
    assert [(e["alarm"], e["state"]) for e in evts] == [("TILT", "raised")], evts
    assert abs(evts[0]["tilt_deg"] - 60.0) < 0.5, evts


def test_compactions_are_counted_and_awake_time_reported():
    b = Bin(scratch_dir("bin_compact"))
    b.wake()
    for _ in range(12):
        b.world.compactions += 1
        b.wake()
    tele = [m[2]["data"] for m in b.messages() if m[1] == message.TELE]
    assert tele[-1]["compactions"] == 12, tele[-1]
    assert tele[-1]["wakes"] >= 11 and tele[-1]["awake_ms"] >= tele[-1]["wakes"] * SEC, tele[-1]


def test_thresholds_are_checked():
    def cfg(app):
        c = dict(CFG)
        c["app"] = app
        return check(c, APP_DEFAULTS, APP_CHECK)
    assert cfg({})["app"]["full_pct"] == 85 and cfg({})["app"]["tilt_s"] == 30
    for bad, words in (({"full_cm": 15}, "blind_cm"), ({"full_clear_pct": 90}, "full_clear_pct"),
                       ({"measure_s": 5}, "measure_s"), ({"min_valid": 9}, "min_valid"),
                       ({"fire_clear_c": 80}, "fire_clear_c"), ({"tele_s": 60}, "tele_s"),
                       ({"full_pct": 85.5}, "whole number"), ({"tilt_deg": -1}, "negative"),
                       ({"radio_max_s": 0}, "radio_max_s")):   # 0: a woken bin would never even try
        e = raises(ConfigError, cfg, bad)
        assert words in str(e), (bad, str(e))


def test_a_bin_without_ntp_keeps_its_schedule_and_still_confirms_a_tilt():
    # NTP never answers: the RTC runs on from its power-up value (2000-01-01 on an ESP32) through every deep
    # sleep and never counts as valid. The schedule and the confirmations must still work on that clock.
    b = Bin(scratch_dir("bin_no_ntp"), retry_s=86400)
    b.now = 946684800000   # an unset ESP32 RTC
    b.valid_after_sleep = False
    b.wake()
    queued = len(b.messages())
    for _ in range(5):
        passes, slept, board = b.wake()
        assert passes == 1 and board.wifi.attempts == 0, "a quiet wake keeps the radio off without NTP too"
    assert len(b.messages()) == queued, "quiet readings send nothing, synced or not"
    b.world.g = (0.87, 0.0, 0.5)   # knocked to 60 degrees
    passes, slept, board = b.wake()
    assert slept == 30 * SEC, slept
    b.wake()
    evts = [m[2] for m in b.messages() if m[1] == message.EVT]
    assert [(e["data"]["alarm"], e["data"]["state"]) for e in evts] == [("TILT", "raised")], evts
    assert message.CLOCK_UNSYNCED in evts[0]["q"], evts[0]


def test_backfilled_marks_only_what_was_built_after_a_failed_connection():
    # a bin builds its report just before it switches the radio on: that is not backfill. Once a connection
    # has failed, what it builds waits for a later wake: backfilled.
    b = Bin(scratch_dir("bin_backfill"), retry_s=86400)
    b.wake()   # power-up: report, the connection fails (no broker here)
    first = b.messages()
    assert first and all(message.BACKFILLED not in m[2]["q"] for m in first), first
    b.world.g = (0.87, 0.0, 0.5)
    b.wake()
    b.wake()   # TILT confirmed: event + telemetry, built while the bin knows it is offline
    later = b.messages()[len(first):]
    assert [m[1] for m in later] == [message.EVT, message.TELE], later
    assert all(message.BACKFILLED in m[2]["q"] for m in later), later


def test_an_event_whose_queuing_crashed_the_board_is_raised_again_after_the_reset():
    b = Bin(scratch_dir("bin_crash"))
    b.wake()
    b.world.g = (0.87, 0.0, 0.5)
    b.wake()   # the first tilted reading
    b.flash_fails = True
    e = raises(OSError, b.wake)   # TILT confirmed, but queuing it fails: the board resets
    assert "flash" in str(e), e
    b.flash_fails = False
    b.now += 10 * SEC
    b.cause = "hard"
    b.wake()
    evts = [m[2]["data"] for m in b.messages() if m[1] == message.EVT]
    assert [(e["alarm"], e["state"]) for e in evts] == [("TILT", "raised")], "the TILT was lost: %s" % evts


def test_a_compaction_while_the_board_is_awake_after_its_reading_is_not_lost_to_the_sleep():
    b = Bin(scratch_dir("bin_late_compaction"), tele_s=300)
    b.world.late = 1   # the compactor runs during the power-up's connection attempt
    b.wake()
    b.wake()
    tele = [m[2]["data"] for m in b.messages() if m[1] == message.TELE]
    assert tele[-1]["compactions"] == 1, tele[-1]


def test_a_compactor_wake_before_the_reading_counts_the_cycle_and_sleeps_on_to_the_planned_reading():
    b = Bin(scratch_dir("bin_early"), tele_s=300)   # every reading reports
    b.wake()
    b.wake()
    planned = b.now
    b.now = planned - 100 * SEC   # the compactor's closure wakes the board (ext0) 100 s before the reading
    b.world.compactions += 1
    queued = len(b.messages())
    passes, slept, board = b.wake()
    assert passes == 1 and board.wifi.attempts == 0 and len(b.messages()) == queued, "no reading, no radio"
    assert b.now == planned, "back to sleep until the planned reading: slept %d ms" % slept
    b.wake()
    tele = [m[2]["data"] for m in b.messages() if m[1] == message.TELE]
    assert tele[-1]["compactions"] == 1, tele[-1]


def test_an_ntp_correction_of_the_drifting_rtc_does_not_bring_the_next_report_forward():
    # the RTC drifts in deep sleep: each NTP sync moves the clock by a few seconds. The plan moves with it;
    # the next wake must not report again (and sync again, and report again...)
    b = Bin(scratch_dir("bin_drift"), retry_s=86400)
    b.ntp_step_ms = 4 * SEC
    b.wake()   # power-up: WiFi and NTP answer, the broker does not
    radio = []
    for _ in range(24):   # two hours of readings
        passes, slept, board = b.wake()
        radio.append(board.wifi.attempts > 0)
    assert 1 <= radio.count(True) <= 2, "radio on at %d of 24 wakes: %s" % (radio.count(True), radio)
