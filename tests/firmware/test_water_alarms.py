# test_water_alarms.py: the leak meter's decisions (cityfw.apps.water_alarms.WaterAlarms), fed synthetic days
# one closed minute at a time. Runs on CPython and MicroPython.
import json

from cityfw.apps.water_alarms import DEFAULTS, WaterAlarms

MIN = 60000
HOUR = 60 * MIN
DAY = 24 * HOUR
DAY0 = 1700006400000  # 2023-11-15 00:00 UTC


def make_cfg(**over):
    c = dict(DEFAULTS)
    c.update(over)
    return c


def steady(lph):
    # whole litres per minute for a constant flow of lph L/h (integer), starting with a litre in minute 0
    return lambda i: ((i + 1) * lph + 59) // 60 - (i * lph + 59) // 60


def quiet(i):
    return 0


class Feed:
    # feeds closed minutes to a WaterAlarms and records (end_ms, event) pairs
    def __init__(self, alarms, t=DAY0, offset_ms=0):
        self.a = alarms
        self.t = t  # end of the last fed minute
        self.offset_ms = offset_ms
        self.log = []

    def run(self, minutes, litres_of, span_of=None):
        # span_of(i): the pulse counter's longest span of two pulse intervals in minute i (ms; 0 = none)
        for i in range(minutes):
            self.t += MIN
            span = span_of(i) if span_of is not None else 0
            for ev in self.a.minute(self.t, litres_of(i), self.offset_ms, span):
                self.log.append((self.t, ev))
        return self

    def events(self, name=None):
        return [(t, ev) for t, ev in self.log if name is None or ev["alarm"] == name]

    def clear_log(self):
        self.log = []


def night_day(night_l, night_from_min=60, night_mins=240, office=True):
    # one day's minutes as a function i -> litres: night_l litres spread over the night window, office use
    # (2 L every 3 minutes from 07:00 to 19:00) and nothing else
    def litres(i):
        if night_from_min <= i < night_from_min + night_mins:
            k = i - night_from_min
            return (k + 1) * night_l // night_mins - k * night_l // night_mins
        if office and 7 * 60 <= i < 19 * 60 and i % 3 == 0:
            return 2
        return 0

    return litres


def approx(a, b, tol=0.01):
    return abs(a - b) <= tol


# --- LEAK ------------------------------------------------------------------------------------------


def leak_setup(cfg=None):
    # 25 minutes of use, a still hour, then a constant 25 L/h leak (1 L every 2.4 min) starting at `start`.
    # The still hour deliberately does not line up with the alarm's hour buckets.
    feed = Feed(WaterAlarms(cfg or make_cfg()))
    feed.run(25, steady(120)).run(60, quiet)
    return feed, feed.t


def test_leak_raised_once_when_water_never_stands_still_for_24h():
    feed, start = leak_setup()
    feed.run(24 * 60 - 1, steady(25))
    assert feed.events("LEAK") == [], ("not yet at 23h59", feed.events("LEAK"))
    feed.run(3 * 60, lambda i: steady(25)(i + 24 * 60 - 1))
    leaks = feed.events("LEAK")
    assert len(leaks) == 1, ("raised exactly once", leaks)
    t, ev = leaks[0]
    assert t == start + DAY, ("raised when the flow has lasted 24 h", t - start)
    assert ev["state"] == "raised", ev
    assert ev["since"] == start, ("since = start of the flow", ev["since"] - start)
    assert approx(ev["loss_lph"], 25, 0.5), ("loss = the leak's flow", ev)


def test_no_leak_for_office_pattern_with_quiet_nights():
    feed = Feed(WaterAlarms(make_cfg()))
    for day in range(7):
        feed.run(24 * 60, night_day(0, office=day < 5))  # 5 office days, a dry weekend
    assert feed.log == [], ("no alarm at all for a normal week", feed.log)


def test_leak_cleared_once_after_a_still_hour():
    feed, start = leak_setup()
    feed.run(25 * 60, steady(25)).run(1, lambda i: 1)  # the flow's last minute has water
    feed.clear_log()
    feed.run(59, quiet)
    assert feed.events("LEAK") == [], ("59 still minutes are not enough", feed.events("LEAK"))
    feed.run(1, quiet)
    leaks = feed.events("LEAK")
    assert len(leaks) == 1 and leaks[0][1]["state"] == "cleared", leaks
    assert leaks[0][1]["since"] == start, ("clear reports when the leak began", leaks[0][1])
    assert approx(leaks[0][1]["loss_lph"], 25, 0.5), leaks[0][1]
    feed.run(120, quiet).run(12 * 60, steady(25))
    assert len(feed.events("LEAK")) == 1, ("cleared only once, no new raise within 24 h", feed.events("LEAK"))


def test_leak_window_and_still_minutes_from_cfg_are_honoured():
    feed, start = leak_setup(make_cfg(leak_window_h=2, leak_still_min=30))
    feed.run(3 * 60, steady(25))
    leaks = feed.events("LEAK")
    assert len(leaks) == 1, leaks
    assert leaks[0][0] == start + 2 * HOUR, ("leak_window_h=2", leaks[0][0] - start)
    assert approx(leaks[0][1]["loss_lph"], 25, 0.5), leaks[0][1]
    feed.run(1, lambda i: 1).run(29, quiet)
    assert len(feed.events("LEAK")) == 1, ("29 still minutes are not enough", feed.events("LEAK"))
    feed.run(1, quiet)
    leaks = feed.events("LEAK")
    assert len(leaks) == 2 and leaks[1][1]["state"] == "cleared", ("leak_still_min=30", leaks)
    assert leaks[1][0] == feed.t, leaks


def test_leak_loss_uses_the_new_window_after_leak_window_h_is_reduced():
    # a hub set_config shrinks the window: older hours must leave the estimate, not linger for ever
    alarms = WaterAlarms(make_cfg(leak_window_h=6))
    feed = Feed(alarms).run(7 * 60, steady(30))
    assert len(feed.events("LEAK")) == 1, feed.events("LEAK")
    alarms.cfg = make_cfg(leak_window_h=2)
    feed.run(60, steady(10)).run(120, steady(30)).run(1, lambda i: 1).run(60, quiet)
    leaks = feed.events("LEAK")
    assert len(leaks) == 2 and leaks[1][1]["state"] == "cleared", leaks
    assert approx(leaks[1][1]["loss_lph"], 30), ("quietest hour of the last 2 h only", leaks[1][1])


# --- NIGHT_FLOW ------------------------------------------------------------------------------------


def run_nights(feed, nights, **kw):
    for night_l in nights:
        feed.run(24 * 60, night_day(night_l, **kw))


def test_night_flow_raised_after_learning_3_nights_and_cleared_after_a_normal_night():
    feed = Feed(WaterAlarms(make_cfg()))
    run_nights(feed, [6, 8, 10])  # baseline: mean 8 L
    assert feed.events("NIGHT_FLOW") == [], feed.events("NIGHT_FLOW")
    day4 = feed.t
    run_nights(feed, [13])  # > 1.5 x 8 = 12 and >= night_min_l 10
    nf = feed.events("NIGHT_FLOW")
    assert len(nf) == 1, nf
    t, ev = nf[0]
    assert ev["state"] == "raised", ev
    assert t == day4 + 5 * HOUR + MIN, ("judged with the first minute after 05:00", t - day4)
    assert ev["since"] == t, ev
    assert approx(ev["loss_lph"], (13 - 8) / 4), ("(night_l - baseline) / 4 h", ev)
    assert ev["night_l"] == 13, ev
    run_nights(feed, [8])
    nf = feed.events("NIGHT_FLOW")
    assert len(nf) == 2 and nf[1][1]["state"] == "cleared", nf
    assert nf[1][1]["night_l"] == 8 and nf[1][1]["since"] == t, nf[1][1]
    run_nights(feed, [8, 9])
    assert len(feed.events("NIGHT_FLOW")) == 2, ("cleared once", feed.events("NIGHT_FLOW"))


def test_night_at_exactly_the_factor_is_not_an_alarm():
    feed = Feed(WaterAlarms(make_cfg()))
    run_nights(feed, [8, 8, 8, 12])  # 12 == 1.5 x 8: not above
    assert feed.events("NIGHT_FLOW") == [], feed.events("NIGHT_FLOW")


def test_no_night_flow_while_learning_even_for_a_big_night():
    feed = Feed(WaterAlarms(make_cfg()))
    run_nights(feed, [5, 40, 5])
    assert feed.events("NIGHT_FLOW") == [], ("learning nights never alarm", feed.events("NIGHT_FLOW"))
    run_nights(feed, [24])  # baseline 16.7: 24 < 25
    assert feed.events("NIGHT_FLOW") == [], feed.events("NIGHT_FLOW")


def test_night_flow_needs_night_min_l():
    feed = Feed(WaterAlarms(make_cfg()))
    run_nights(feed, [2, 2, 2, 9])  # 9 > 1.5 x 2 but below night_min_l 10
    assert feed.events("NIGHT_FLOW") == [], feed.events("NIGHT_FLOW")
    run_nights(feed, [12])
    nf = feed.events("NIGHT_FLOW")
    assert len(nf) == 1 and nf[0][1]["state"] == "raised", nf


def test_night_window_is_local_time():
    # UTC-2: the local night 01:00-05:00 is 03:00-07:00 UTC
    feed = Feed(WaterAlarms(make_cfg()), offset_ms=-2 * HOUR)
    for night_l in (4, 4, 4, 20):
        feed.run(24 * 60, night_day(night_l, night_from_min=3 * 60, office=False))
    nf = feed.events("NIGHT_FLOW")
    assert len(nf) == 1, nf
    assert (nf[0][0] - DAY0) % DAY == 7 * HOUR + MIN, ("judged at 05:01 local", (nf[0][0] - DAY0) % DAY)
    assert approx(nf[0][1]["loss_lph"], 4.0), nf


def test_partial_night_is_not_judged_nor_learned():
    # booted at 03:00 with 100 L in the rest of the night: that incomplete night must not become the baseline
    feed = Feed(WaterAlarms(make_cfg()), t=DAY0 + 3 * HOUR)
    feed.run(120, steady(50)).run(19 * 60, quiet)
    assert feed.events("NIGHT_FLOW") == [], feed.events("NIGHT_FLOW")
    run_nights(feed, [8, 8, 8, 13])  # learned 8 (not (100 + 8 + 8) / 3): 13 is an alarm
    nf = feed.events("NIGHT_FLOW")
    assert len(nf) == 1 and nf[0][1]["state"] == "raised", nf


# --- BURST ------------------------------------------------------------------------------------------


def test_burst_raised_after_30_minutes_above_half_q3_and_cleared_after_10_calm_minutes():
    feed = Feed(WaterAlarms(make_cfg())).run(10, quiet)
    start = feed.t
    feed.run(30, lambda i: 40)  # 2400 L/h >= 0.5 x 4000
    bursts = feed.events("BURST")
    assert len(bursts) == 1 and bursts[0][1]["state"] == "raised", bursts
    assert bursts[0][0] == start + 30 * MIN, bursts
    assert bursts[0][1]["since"] == start, ("since = start of the high flow", bursts[0][1])
    assert approx(bursts[0][1]["loss_lph"], 2400), bursts[0][1]
    feed.run(20, lambda i: 40).run(9, lambda i: 1)
    assert len(feed.events("BURST")) == 1, ("raised once, 9 calm minutes do not clear", feed.events("BURST"))
    feed.run(1, lambda i: 1)
    bursts = feed.events("BURST")
    assert len(bursts) == 2 and bursts[1][1]["state"] == "cleared", bursts
    assert bursts[1][1]["since"] == start, bursts[1][1]
    feed.run(30, quiet)
    assert len(feed.events("BURST")) == 2, ("cleared once", feed.events("BURST"))


def test_no_burst_for_29_minutes_of_high_flow():
    feed = Feed(WaterAlarms(make_cfg()))
    feed.run(29, lambda i: 40).run(1, lambda i: 5).run(29, lambda i: 40).run(20, quiet)
    assert feed.events("BURST") == [], feed.events("BURST")


def test_flow_just_below_burst_threshold_never_bursts():
    feed = Feed(WaterAlarms(make_cfg(q3_lph=2400)))  # threshold 1200 L/h = 20 L/min
    feed.run(120, lambda i: 19)
    assert feed.events("BURST") == [], feed.events("BURST")
    feed.run(30, lambda i: 20)
    assert len(feed.events("BURST")) == 1, ("exactly at the threshold counts", feed.events("BURST"))


# --- TAMPER / CABLE ---------------------------------------------------------------------------------


def test_tamper_after_stuck_s_of_active_line_and_cleared_when_released():
    a = WaterAlarms(make_cfg())
    t0 = DAY0
    assert a.line(t0, True, False) == [], "first active reading"
    assert a.line(t0 + 3599999, True, False) == [], "just under stuck_s"
    ev = a.line(t0 + 3600000, True, False)
    assert len(ev) == 1 and ev[0]["alarm"] == "TAMPER" and ev[0]["state"] == "raised", ev
    assert ev[0]["since"] == t0, ev
    assert a.line(t0 + 7200000, True, False) == [], "raised once"
    assert a.line(t0 + 7201000, False, False) == [], "released: not cleared before line_clear_s"
    assert a.line(t0 + 7230000, True, False) == [], "stuck again within line_clear_s: still raised"
    assert a.line(t0 + 7231000, False, False) == [], "released again: the clear timer restarts"
    assert a.line(t0 + 7290000, False, False) == [], "59 s released"
    ev = a.line(t0 + 7291000, False, False)
    assert len(ev) == 1 and ev[0]["alarm"] == "TAMPER" and ev[0]["state"] == "cleared", ev
    assert ev[0]["since"] == t0, ev
    assert a.line(t0 + 7292000, False, False) == [], "cleared once"


def test_tamper_timer_restarts_when_the_line_is_released_in_between():
    a = WaterAlarms(make_cfg(stuck_s=60))
    t0 = DAY0
    a.line(t0, True, False)
    a.line(t0 + 50000, False, False)  # a normal pulse ended
    a.line(t0 + 51000, True, False)
    assert a.line(t0 + 100000, True, False) == [], "60 s since the line became active again not reached"
    ev = a.line(t0 + 111000, True, False)
    assert [e["alarm"] for e in ev] == ["TAMPER"] and ev[0]["since"] == t0 + 51000, ev


def test_cable_after_cut_s_and_cleared_when_reconnected():
    a = WaterAlarms(make_cfg())
    t0 = DAY0
    assert a.line(t0, False, True) == [], "first cut reading"
    assert a.line(t0 + 59999, False, True) == [], "just under cut_s"
    ev = a.line(t0 + 60000, False, True)
    assert len(ev) == 1 and ev[0]["alarm"] == "CABLE" and ev[0]["state"] == "raised", ev
    assert ev[0]["since"] == t0, ev
    assert a.line(t0 + 120000, False, True) == [], "raised once"
    assert a.line(t0 + 121000, False, False) == [], "reconnected: cleared only after line_clear_s"
    ev = a.line(t0 + 181000, False, False)
    assert len(ev) == 1 and ev[0]["alarm"] == "CABLE" and ev[0]["state"] == "cleared", ev
    assert a.line(t0 + 182000, False, False) == [], "cleared once"


# --- NO_CONSUMPTION ---------------------------------------------------------------------------------


def test_no_consumption_after_7_days_without_water_cleared_by_the_next_litre():
    feed = Feed(WaterAlarms(make_cfg())).run(1, lambda i: 1)
    last = feed.t
    feed.run(7 * 24 * 60 - 1, quiet)
    assert feed.events("NO_CONSUMPTION") == [], ("not before 7 days", feed.events("NO_CONSUMPTION"))
    feed.run(1, quiet)
    nc = feed.events("NO_CONSUMPTION")
    assert len(nc) == 1 and nc[0][1]["state"] == "raised", nc
    assert nc[0][0] == last + 7 * DAY and nc[0][1]["since"] == last, (nc, last)
    feed.run(600, quiet)
    assert len(feed.events("NO_CONSUMPTION")) == 1, "raised once"
    feed.run(1, lambda i: 1)
    nc = feed.events("NO_CONSUMPTION")
    assert len(nc) == 2 and nc[1][1]["state"] == "cleared" and nc[1][0] == feed.t, nc
    feed.run(5, lambda i: 1)
    assert len(feed.events("NO_CONSUMPTION")) == 2, "cleared once"


# --- state and configuration -----------------------------------------------------------------------


def test_state_round_trip_does_not_raise_active_alarms_again():
    cfg = make_cfg(leak_window_h=2, stuck_s=600)
    old = WaterAlarms(cfg)
    feed = Feed(old)
    feed.run(60, quiet)
    start = feed.t
    t_line = feed.t
    old.line(t_line, True, False)
    feed.run(150, lambda i: 40)  # burst, and a leak after 2 h
    old.line(feed.t, True, False)
    active = sorted(ev["alarm"] for _, ev in feed.log)
    assert active == ["BURST", "LEAK"], feed.log
    assert old.alarms.is_active("TAMPER"), "tamper raised by line()"

    saved = json.loads(json.dumps(old.state()))  # what the app writes to flash
    new = WaterAlarms(cfg, saved)
    feed2 = Feed(new, t=feed.t)
    feed2.run(90, lambda i: 40)
    ev = new.line(feed2.t, True, False) + new.line(feed2.t + 700000, True, False)
    assert feed2.log == [] and ev == [], ("nothing raised twice after the reboot", feed2.log, ev)

    feed2.run(10, quiet)
    ev = new.line(feed2.t, False, False) + new.line(feed2.t + 60000, False, False)  # released for line_clear_s
    cleared = [(e["alarm"], e["state"], e["since"]) for _, e in feed2.log] + [
        (e["alarm"], e["state"], e["since"]) for e in ev
    ]
    want = [("BURST", "cleared", start), ("TAMPER", "cleared", t_line)]
    assert sorted(cleared) == want, cleared
    feed2.clear_log()
    feed2.run(60, quiet)
    leaks = [(e["alarm"], e["state"], e["since"]) for _, e in feed2.log]
    assert leaks == [("LEAK", "cleared", start)], leaks


def test_reboot_during_a_long_dry_spell_does_not_raise_leak():
    # the app saves state on minutes with water only: after a reboot in an empty house last_still is old
    for leak_first in (False, True):
        old = WaterAlarms(make_cfg())
        feed = Feed(old).run(60, quiet)
        feed.run((25 if leak_first else 12) * 60, steady(25)).run(1, lambda i: 1)
        saved = json.dumps(old.state())  # the last save: the last minute with water
        assert old.alarms.is_active("LEAK") == leak_first, old.alarms.active
        feed.run(30 * 60, quiet)  # nobody home for 30 h, then a power cut
        new = WaterAlarms(make_cfg(), json.loads(saved))
        feed2 = Feed(new, t=feed.t).run(120, quiet)
        got = [(e["alarm"], e["state"]) for _, e in feed2.log]
        want = [("LEAK", "cleared")] if leak_first else []
        assert got == want, ("no LEAK raised by the reboot", leak_first, got)


def test_learned_night_baseline_survives_state_round_trip():
    old = WaterAlarms(make_cfg())
    feed = Feed(old)
    run_nights(feed, [8, 8, 8])
    new = WaterAlarms(make_cfg(), json.loads(json.dumps(old.state())))
    feed2 = Feed(new, t=feed.t)
    run_nights(feed2, [13])
    nf = feed2.events("NIGHT_FLOW")
    assert len(nf) == 1 and nf[0][1]["state"] == "raised", ("no new learning phase after a reboot", nf)


def test_other_thresholds_from_cfg_are_honoured():
    feed = Feed(WaterAlarms(make_cfg(burst_min=5, burst_clear_min=2, no_consumption_d=1, night_learn=1)))
    feed.run(5, lambda i: 40).run(2, quiet)
    got = [(t - DAY0, e["alarm"], e["state"]) for t, e in feed.events("BURST")]
    assert got == [(5 * MIN, "BURST", "raised"), (7 * MIN, "BURST", "cleared")], got
    feed.run(24 * 60, quiet)
    nc = feed.events("NO_CONSUMPTION")
    assert len(nc) == 1 and nc[0][0] == DAY0 + 5 * MIN + DAY, ("no_consumption_d=1", nc)
    feed2 = Feed(WaterAlarms(make_cfg(night_learn=1)))
    run_nights(feed2, [8, 13])
    assert len(feed2.events("NIGHT_FLOW")) == 1, ("night_learn=1: the second night is judged", feed2.log)


def test_leak_that_starts_late_in_the_window_is_estimated_at_its_own_rate():
    # a still hour, 18 h of sparse use that never lets the water stand still (1 L every 20 min),
    # then a 400 L/h leak: the estimate comes from the last hours, not from the sparse ones before.
    # With and without the pulse spacing (1 L every 9 s: two intervals take 18 s)
    for spacing in (False, True):
        feed = Feed(WaterAlarms(make_cfg())).run(60, quiet)
        sparse = lambda i: 1 if i % 20 == 0 else 0  # noqa: E731
        feed.run(18 * 60, sparse, (lambda i: 40 * MIN if i % 20 == 0 else 0) if spacing else None)
        big = lambda i: 7 if i % 3 else 6  # noqa: E731  (400 L/h = 6.67 L/min)
        feed.run(7 * 60, big, (lambda i: 18000) if spacing else None)
        leaks = feed.events("LEAK")
        assert len(leaks) == 1 and leaks[0][1]["state"] == "raised", (spacing, leaks)
        assert 380 <= leaks[0][1]["loss_lph"] <= 420, ("a 400 L/h leak", spacing, leaks[0][1]["loss_lph"])


def office_hours(litres_of):
    # litres_of plus 3 L every minute (180 L/h of use)
    return lambda i: litres_of(i) + 3


def test_leak_hidden_by_daytime_use_is_estimated_from_the_pulse_spacing():
    # a 25 L/h leak (1 L every 2.4 min: two intervals take 288 s) for 18 h, then 6 h of busy use in which
    # no hour is below 200 L: the hourly volumes alone would say ~205 L/h. Use adds pulses, it never
    # delays the leak's: the busy hours' spacing (no pair of intervals longer than 150 s: <= 48 L/h)
    # does not contradict the 25 L/h of the quiet hours before them
    feed, start = leak_setup()
    feed.run(18 * 60, steady(25), lambda i: 288000 if steady(25)(i) else 0)
    feed.run(6 * 60 + 1, office_hours(lambda i: steady(25)(i + 18 * 60)), lambda i: 150000)
    leaks = feed.events("LEAK")
    assert len(leaks) == 1 and leaks[0][0] == start + DAY, ("raised at 24 h", leaks)
    assert approx(leaks[0][1]["loss_lph"], 25, 0.5), ("the leak, not the use", leaks[0][1]["loss_lph"])


def test_spacing_that_reaches_back_into_the_still_hour_is_not_the_leak():
    # the first two pulses after the still hour end intervals that began before it: a span of 65 min would
    # say "at most 2 L/h" for a 25 L/h leak; every hour since the still hour counts (leak_estimate_h=0)
    cfg = make_cfg(leak_window_h=2, leak_estimate_h=0)
    feed, start = leak_setup(cfg)
    early = lambda i: 65 * MIN if i < 3 and steady(25)(i) else (288000 if steady(25)(i) else 0)  # noqa: E731
    feed.run(2 * 60, steady(25), early)
    leaks = feed.events("LEAK")
    assert len(leaks) == 1 and leaks[0][0] == start + 2 * HOUR, leaks
    assert approx(leaks[0][1]["loss_lph"], 25, 0.5), ("the still hour is not the leak's pace", leaks[0][1])


def test_night_window_across_midnight_is_judged():
    # night 23:00 -> 05:00 UTC (offset 0): 3 learning nights of 6 L, then a night of 60 L raises NIGHT_FLOW
    cfg = make_cfg(night_start_h=23, night_end_h=5, night_min_l=5)
    feed = Feed(WaterAlarms(cfg))

    def day(night_l):
        def litres(i):
            hour = i // 60
            if (hour >= 23 or hour < 5) and i % 60 == 0:
                return night_l // 6
            return 0
        return litres

    for _ in range(4):
        feed.run(24 * 60, day(6))
    assert feed.events("NIGHT_FLOW") == [], feed.events("NIGHT_FLOW")
    feed.run(24 * 60, day(60))
    ev = feed.events("NIGHT_FLOW")
    assert len(ev) == 1 and ev[0][1]["state"] == "raised", ev



def test_a_three_hour_night_at_the_march_clock_change_is_still_judged():
    # learning nights: 1 L every 30 min all day (2 L/h); then the clocks go forward at the start of the
    # night (local 01:00 -> 02:00), leaving 3 h of window, with 6 L/h running: NIGHT_FLOW is raised
    feed = Feed(WaterAlarms(make_cfg(night_min_l=1)))
    for _ in range(4):
        feed.run(24 * 60, lambda i: 1 if i % 30 == 0 else 0)
    assert feed.events("NIGHT_FLOW") == []
    feed.run(60, lambda i: 0)           # 00:00-01:00 local
    feed.offset_ms = HOUR               # summer time: local 01:00 becomes 02:00
    feed.run(3 * 60, lambda i: 1 if i % 10 == 0 else 0)   # 02:00-05:00 local at 6 L/h
    feed.run(60, lambda i: 0)
    ev = feed.events("NIGHT_FLOW")
    assert len(ev) == 1 and ev[0][1]["state"] == "raised", ("a short night is judged, scaled to 4 h", ev)


def test_nights_with_an_open_leak_are_not_learned_as_the_baseline():
    a = WaterAlarms(make_cfg(night_min_l=1))
    a.alarms.raise_alarm("LEAK", DAY0, 25.0)
    events = []
    a._judge_night(DAY0, 100.0, 4, events)
    assert a.baseline is None, ("a leaking night is not normal", a.baseline)
    a.alarms.clear("LEAK")
    a._judge_night(DAY0, 8.0, 4, events)
    assert a.baseline == 8.0, a.baseline
