# test_smart_bin_rules.py: the smart bin's sensor maths (drivers) and event rules (apps/bin_rules.py).
# Runs on CPython and MicroPython.
import json

from cityfw.apps.bin_rules import DEFAULTS, BinRules
from cityfw.drivers.thermistor import ntc_temp_c
from cityfw.drivers.tilt import tilt_deg
from cityfw.drivers.ultrasonic import distance_cm, echo_cm, fill_pct, sound_speed

T0 = 1795132800000
SEC = 1000
MIN = 60 * SEC


def close(a, b, tol):
    return a is not None and abs(a - b) <= tol


def test_speed_of_sound_follows_temperature():
    assert close(sound_speed(0), 331.3, 0.01) and close(sound_speed(20), 343.42, 0.01), sound_speed(20)
    # 100 cm there and back at 20 °C: 2 * 1.0 m / 343.42 m/s = 5824 us
    assert close(echo_cm(5824, 20), 100.0, 0.1), echo_cm(5824, 20)
    # the same echo read as if it were 0 °C gives a distance 3.5 % short: compensation matters
    assert close(echo_cm(5824, 0), 96.5, 0.2), echo_cm(5824, 0)


def test_median_of_pings_ignores_timeouts_and_outliers():
    us = int(2 * 0.8 / sound_speed(10) * 1e6)   # 80 cm at 10 °C
    echoes = [us, None, us + 20, 0, us - 15, 1200, us + 5, 29000]   # 2 lost, a near and a far outlier
    d, valid = distance_cm(echoes, 10, 22, 500)
    assert valid == 6, valid
    assert close(d, 80.0, 0.5), d


def test_echoes_beyond_range_are_dropped_and_blind_zone_reads_as_blind_distance():
    near = int(2 * 0.10 / sound_speed(20) * 1e6)   # 10 cm: inside the 22 cm blind zone
    far = int(2 * 6.0 / sound_speed(20) * 1e6)     # 6 m: beyond 5 m
    d, valid = distance_cm([near, near, far], 20, 22, 500)
    assert valid == 2 and d == 22, (d, valid)
    d, valid = distance_cm([None, None, far], 20, 22, 500)
    assert d is None and valid == 0, (d, valid)


def test_fill_is_linear_between_floor_and_full_level_and_clamped():
    assert fill_pct(110, 110, 30) == 0.0 and fill_pct(30, 110, 30) == 100.0
    assert close(fill_pct(70, 110, 30), 50.0, 0.01), fill_pct(70, 110, 30)
    assert fill_pct(150, 110, 30) == 0.0 and fill_pct(22, 110, 30) == 100.0


def test_thermistor_reads_temperature_open_cable_and_heat():
    assert close(ntc_temp_c(1650), 25.0, 0.01), ntc_temp_c(1650)          # R = R0 at 25 °C
    assert close(ntc_temp_c(2553), 0.0, 0.5), ntc_temp_c(2553)            # 10 kOhm NTC at 0 °C ~ 32.6 kOhm
    assert ntc_temp_c(3300) is None and ntc_temp_c(None) is None          # open: no temperature
    assert ntc_temp_c(5) > 150, ntc_temp_c(5)                             # near 0 V: very hot (fail-safe)


def test_tilt_from_gravity():
    assert close(tilt_deg(0, 0, 1.0), 0.0, 0.01) and close(tilt_deg(1.0, 0, 0), 90.0, 0.01)
    assert close(tilt_deg(0.7071, 0, 0.7071), 45.0, 0.1), tilt_deg(0.7071, 0, 0.7071)
    assert tilt_deg(0, 0, 0.1) is None, "no gravity: the accelerometer is not reading"


def cfg(**over):
    c = dict(DEFAULTS)
    for k in over:
        c[k] = over[k]
    return c


def reading(now, fill=30.0, pings=7, temp=10.0, tilt=2.0, lid=False, compactions=0):
    return {"now": now, "fill": fill, "pings": pings, "temp": temp, "tilt": tilt, "lid_open": lid,
            "compactions": compactions}


def names(events):
    return [(e["alarm"], e["state"]) for e in events]


def test_full_needs_two_readings_and_survives_a_deep_sleep():
    rules = BinRules(cfg())
    assert rules.reading(reading(T0, fill=86)) == [], "one reading at 86 % is not yet FULL"
    # the board sleeps: only the saved state goes through to the next wake
    rules = BinRules(cfg(), json.loads(json.dumps(rules.state())))
    ev = rules.reading(reading(T0 + 5 * MIN, fill=88))
    assert names(ev) == [("FULL", "raised")], ev
    assert ev[0]["since"] == T0 and ev[0]["fill_pct"] == 88, ev
    assert rules.reading(reading(T0 + 10 * MIN, fill=90)) == [], "raised once"
    rules2 = BinRules(cfg())
    rules2.reading(reading(T0, fill=86))
    assert rules2.reading(reading(T0 + 5 * MIN, fill=84)) == [] and rules2.full_at is None, "not confirmed"


def test_emptied_on_a_drop_over_40_points_but_not_on_a_compaction():
    rules = BinRules(cfg())
    rules.reading(reading(T0, fill=90))
    rules.reading(reading(T0 + 5 * MIN, fill=91))
    ev = rules.reading(reading(T0 + 10 * MIN, fill=3))
    assert names(ev) == [("EMPTIED", "event"), ("FULL", "cleared")], ev
    assert ev[0]["drop_pct"] == 88.0 and ev[1]["since"] == T0, ev
    rules.reading(reading(T0 + 15 * MIN, fill=70))
    ev = rules.reading(reading(T0 + 20 * MIN, fill=25, compactions=1))
    assert ev == [], "a compaction lowered the level: not an emptying"
    ev = rules.reading(reading(T0 + 25 * MIN, fill=65))
    assert rules.reading(reading(T0 + 30 * MIN, fill=26)) == [], "a drop of 39 points is no emptying"


def test_fire_on_temperature_or_on_a_fast_rise_only():
    rules = BinRules(cfg())
    t = T0
    for temp in (10, 13, 16, 19):   # +3 °C per 5 min: +9 within 10 min, not yet FIRE
        assert rules.reading(reading(t, temp=temp)) == [], temp
        t += 5 * MIN
    ev = rules.reading(reading(t, temp=26))   # +10 over 10 min (16 -> 26)
    assert names(ev) == [("FIRE", "raised")] and ev[0]["temp_c"] == 26, ev
    assert rules.next_check_ms(t) == t + 60 * SEC, "a warm bin is watched every minute"
    rules = BinRules(cfg())
    ev = rules.reading(reading(T0, temp=71))
    assert names(ev) == [("FIRE", "raised")], "70 °C is FIRE at once"
    assert rules.reading(reading(T0 + MIN, temp=50)) == [], "not cleared while still hot"
    ev = rules.reading(reading(T0 + 20 * MIN, temp=30))
    assert names(ev) == [("FIRE", "cleared")], ev


def test_tilt_must_last_30_seconds():
    rules = BinRules(cfg())
    assert rules.reading(reading(T0, tilt=60)) == []
    assert rules.next_check_ms(T0) == T0 + 30 * SEC, "a confirming reading 30 s later"
    rules = BinRules(cfg(), json.loads(json.dumps(rules.state())))
    assert rules.reading(reading(T0 + 20 * SEC, tilt=60)) == [], "20 s is not enough"
    ev = rules.reading(reading(T0 + 30 * SEC, tilt=61))
    assert names(ev) == [("TILT", "raised")] and ev[0]["since"] == T0, ev
    ev = rules.reading(reading(T0 + 5 * MIN, tilt=3))
    assert names(ev) == [("TILT", "cleared")], ev
    rules.reading(reading(T0 + 6 * MIN, tilt=50))
    assert rules.reading(reading(T0 + 6 * MIN + 40 * SEC, tilt=30)) == [], "a bump is not a TILT"


def test_lid_open_after_15_minutes():
    rules = BinRules(cfg())
    assert rules.reading(reading(T0, lid=True)) == []
    assert rules.next_check_ms(T0) == T0 + 900 * SEC
    ev = rules.reading(reading(T0 + 900 * SEC, lid=True))
    assert names(ev) == [("LID_OPEN", "raised")], ev
    assert names(rules.reading(reading(T0 + 1200 * SEC, lid=False))) == [("LID_OPEN", "cleared")]


def test_sensor_fault_after_two_bad_readings_cleared_after_two_good():
    rules = BinRules(cfg())
    assert rules.reading(reading(T0, fill=None, pings=1)) == []
    assert rules.next_check_ms(T0) == T0 + 60 * SEC, "a doubtful reading is checked again soon"
    ev = rules.reading(reading(T0 + MIN, fill=None, pings=0))
    assert names(ev) == [("SENSOR_FAULT", "raised")] and ev[0]["sensor"] == "ultrasonic", ev
    assert rules.reading(reading(T0 + 2 * MIN)) == [], "one good reading does not clear it"
    ev = rules.reading(reading(T0 + 3 * MIN))
    assert names(ev) == [("SENSOR_FAULT", "cleared")] and ev[0]["since"] == T0 + MIN, ev
    rules = BinRules(cfg())
    rules.reading(reading(T0, temp=None))
    ev = rules.reading(reading(T0 + MIN, temp=None))
    assert ev[0]["sensor"] == "temperature", ev


def test_thresholds_come_from_the_configuration():
    rules = BinRules(cfg(full_pct=70, emptied_drop_pct=20, tilt_deg=30, tilt_s=10))
    rules.reading(reading(T0, fill=72))
    assert names(rules.reading(reading(T0 + MIN, fill=72))) == [("FULL", "raised")]
    assert names(rules.reading(reading(T0 + 2 * MIN, fill=45))) == [("EMPTIED", "event"), ("FULL", "cleared")]
    rules.reading(reading(T0 + 3 * MIN, fill=45, tilt=35))
    assert names(rules.reading(reading(T0 + 3 * MIN + 10 * SEC, fill=45, tilt=35))) == [("TILT", "raised")]


def test_fire_rise_is_seen_over_the_whole_window_however_often_the_bin_is_watched():
    # watch_s 10 s: a warming bin is read every 10 s; a rise of 1 °C a minute is 10 °C within fire_rise_s
    # (600 s) and must raise FIRE, although more readings fall in the window than the state keeps
    rules = BinRules(cfg(watch_s=10))
    t, raised = T0, None
    while t < T0 + 30 * MIN and raised is None:
        temp = 10.0 + (t - T0) / MIN
        ev = rules.reading(reading(t, temp=temp))
        if ev:
            raised = (names(ev), temp)
        t = rules.next_check_ms(t) or t + 5 * MIN
        rules = BinRules(cfg(watch_s=10), json.loads(json.dumps(rules.state())))   # a deep sleep
    assert raised is not None and raised[0] == [("FIRE", "raised")] and raised[1] <= 21, raised
    assert len(rules.temps) <= 12, "the kept temperatures stay bounded"


def test_a_compaction_during_a_reading_without_level_is_no_emptying():
    rules = BinRules(cfg())
    rules.reading(reading(T0, fill=95))
    rules.reading(reading(T0 + 5 * MIN, fill=None, pings=1, compactions=1))   # the compactor ran, no level
    ev = rules.reading(reading(T0 + 6 * MIN, fill=50))
    assert ev == [], "the drop since the last level came with a compaction: %s" % ev
    ev = rules.reading(reading(T0 + 11 * MIN, fill=2))
    assert names(ev) == [("EMPTIED", "event")], ev


def test_fire_rise_over_readings_planned_10_minutes_apart_whatever_the_boot_takes():
    # readings every 5 min, each taken a little later after its wake than the one before (boot time varies)
    rules = BinRules(cfg())
    assert rules.reading(reading(T0, temp=10)) == []
    rules = BinRules(cfg(), json.loads(json.dumps(rules.state())))
    rules.reading(reading(T0 + 5 * MIN + 300, temp=15))
    rules = BinRules(cfg(), json.loads(json.dumps(rules.state())))
    ev = rules.reading(reading(T0 + 10 * MIN + 700, temp=20))
    assert names(ev) == [("FIRE", "raised")], "+10 °C between readings planned 10 min apart: %s" % ev
