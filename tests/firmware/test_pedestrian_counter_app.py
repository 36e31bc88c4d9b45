# test_pedestrian_counter_app.py: the pedestrian counter app (cityfw.apps.pedestrian_counter) on a fake board:
# quarter-hour bins, BEAM_BLOCKED raised once and cleared once, flagged bins, configuration rules.
# Runs on CPython and MicroPython.
import json

from cityfw.apps.pedestrian_counter import APP_CHECK, APP_DEFAULTS, APP_SIGNED, PedestrianCounterApp
from cityfw.core import message
from cityfw.core.commands import answer, overrides_file
from cityfw.core.config import ConfigError, check
from support import TICKS_PERIOD, FakeClock, raises, scratch_dir

MIN = 60000
DAY0 = 1700006400000  # 2023-11-15 00:00 UTC
Y2000 = 946684800000


class FakeBeams:
    def __init__(self):
        self.on_edge = None
        self.state = [False, False]

    def attach(self, on_edge):
        self.on_edge = on_edge

    def broken(self, beam):
        return self.state[beam]

    def edge(self, beam, broken, ticks):
        self.state[beam] = broken
        self.on_edge(beam, broken, ticks)


class FakeBoard:
    def __init__(self, fs_root, clock):
        self.fs_root = fs_root
        self.rtc = clock
        self.beams = FakeBeams()


def config(**app_cfg):
    return check({"device_id": "ped-1", "kind": "pedestrian_counter", "mqtt": {"host": "hub"}, "app": app_cfg},
                 APP_DEFAULTS, APP_CHECK, APP_SIGNED)


class Counter:
    # an app on a fake board; the main loop runs every second (`run`), walkers are fed as interrupts
    def __init__(self, root, start_ms=DAY0 + 5000, synced=True, **app_cfg):
        self.clock = FakeClock(start_ms=start_ms, ms=TICKS_PERIOD - 600000)   # ticks wrap 10 min in
        self.clock.synced = synced
        self.board = FakeBoard(root, self.clock)
        self.app = PedestrianCounterApp(self.board, config(**app_cfg))
        self.out = []

    def tick(self):
        self.out.extend(self.app.tick(self.clock))

    def run(self, seconds):
        for _ in range(seconds):
            self.clock.advance(1000)
            self.tick()

    def walk(self, first, n=1):
        # n people one after the other, 2 s apart, each taking 2 s of loop time
        for _ in range(n):
            t = self.clock.ticks_ms()
            second = 1 - first
            b = self.board.beams
            b.edge(first, True, t)
            b.edge(second, True, t + 110)
            b.edge(first, False, t + 260)
            b.edge(second, False, t + 370)
            self.run(2)

    def tele(self):
        return [(data, flags) for channel, data, flags in self.out if channel == message.TELE]

    def events(self):
        return [(data, flags) for channel, data, flags in self.out if channel == message.EVT]


def test_counts_in_and_out_per_quarter_hour_aligned_to_the_clock():
    c = Counter(scratch_dir("ped_bins"))
    c.tick()
    c.walk(0, 3)    # in
    c.walk(1, 2)    # out
    c.run(15 * 60)
    tele = c.tele()
    assert len(tele) == 1, ("one bin closed at 00:15", tele)
    data, flags = tele[0]
    assert (data["count_in"], data["count_out"]) == (3, 2), data
    assert data["bin_start"] == DAY0 + 5000 and data["bin_s"] == 895, ("first bin after boot is partial", data)
    assert flags == [], flags
    c.walk(0, 1)
    c.run(15 * 60)
    data, flags = c.tele()[1]
    assert (data["count_in"], data["count_out"]) == (1, 0), data
    assert (data["bin_start"], data["bin_s"]) == (DAY0 + 15 * MIN, 900), ("a full aligned bin", data)
    assert data["glitches"] == 0 and data["unpaired"] == 0 and data["overflow"] == 0, data


def test_a_blocked_beam_raises_beam_blocked_once_clears_once_and_flags_the_bins():
    c = Counter(scratch_dir("ped_block"))
    c.tick()
    c.run(60)
    block_ms = c.clock.now_ms()
    c.board.beams.edge(0, True, c.clock.ticks_ms())   # a bag left in beam a
    c.run(2)
    assert c.events() == [], "2 s is not yet blocked"
    c.run(25 * 60)
    for _ in range(3):   # walkers meanwhile: a stays broken by the bag, only b changes; nothing is counted
        t = c.clock.ticks_ms()
        c.board.beams.edge(1, True, t)
        c.board.beams.edge(1, False, t + 250)
        c.run(2)
    events = c.events()
    assert len(events) == 1, events
    data, flags = events[0]
    assert (data["alarm"], data["state"], data["beam"]) == ("BEAM_BLOCKED", "raised", "a"), data
    assert data["since"] == block_ms, ("since = when the beam broke", data["since"], block_ms)
    assert "loss_lph" not in data, data
    assert flags == [message.SENSOR_FAULT], flags
    c.board.beams.edge(0, False, c.clock.ticks_ms())
    c.run(1)
    assert len(c.events()) == 1, "not cleared before unblock_ms"
    c.run(5)
    events = c.events()
    assert len(events) == 2, events
    assert (events[1][0]["state"], events[1][0]["since"], events[1][0]["beam"]) == ("cleared", block_ms, "a"), events
    c.run(30 * 60)
    bins = c.tele()
    faults = [message.SENSOR_FAULT in flags for _, flags in bins]
    # blocked from 00:01 to ~00:27: the bins ending 00:15 and 00:30 are flagged, the one ending 00:45 is not
    assert faults == [True, True, False], faults
    assert bins[1][0]["count_out"] == 0, ("b alone counts nothing", bins[1][0])


def test_an_alarm_open_at_reboot_is_not_raised_again():
    root = scratch_dir("ped_reboot")
    c = Counter(root)
    c.tick()
    c.board.beams.edge(1, True, c.clock.ticks_ms())
    c.run(10)
    assert len(c.events()) == 1, c.events()
    again = PedestrianCounterApp(c.board, config())   # the beam is still blocked after the reboot
    c.app = again
    c.out = []
    c.run(10)
    assert c.events() == [], ("still blocked: no second raise", c.events())
    c.board.beams.edge(1, False, c.clock.ticks_ms())
    c.run(5)
    assert [e[0]["state"] for e in c.events()] == ["cleared"], c.events()


def test_bins_counted_before_the_clock_was_set_are_flagged_and_kept():
    c = Counter(scratch_dir("ped_unsynced"), start_ms=Y2000 + 5000, synced=False)
    c.tick()
    c.walk(0, 2)
    c.clock.start_ms += DAY0 - Y2000   # NTP: the wall clock jumps to 2023
    c.clock.synced = True
    c.tick()
    c.walk(0, 1)
    c.run(15 * 60)
    bins = c.tele()
    assert len(bins) == 2, bins
    data, flags = bins[0]
    assert data["count_in"] == 2 and data["bin_start"] == Y2000 + 5000, ("the counts before the sync", data)
    assert flags == [message.CLOCK_UNSYNCED], ("measured on an unsynced clock", flags)
    data, flags = bins[1]
    assert data["count_in"] == 1 and flags == [], (data, flags)


def test_thresholds_come_from_the_config_and_are_checked():
    c = Counter(scratch_dir("ped_cfg"), min_break_ms=50)
    c.tick()
    t = c.clock.ticks_ms()
    b = c.board.beams
    b.edge(0, True, t)
    b.edge(1, True, t + 10)
    b.edge(0, False, t + 40)
    b.edge(1, False, t + 45)
    c.run(2)
    assert c.app.pair.glitches == 2 and c.app.pair.counts == [0, 0], ("40 ms < 50 ms", c.app.pair.glitches)
    cfg = config(window_ms=300)
    c.app.configure(cfg["app"])
    assert c.app.pair.window_ms == 300 and c.app.pair.min_break_ms == 25, "configure applies the new values"
    for bad in ({"bin_s": 420}, {"bin_s": 30}, {"window_ms": 0}, {"blocked_ms": 900}, {"min_break_ms": 2.5}):
        assert isinstance(raises(ConfigError, lambda b=bad: config(**b)), ConfigError), bad
    assert config(bin_s=300)["app"]["bin_s"] == 300, "5-minute bins are fine"


class FakeSup:
    # what cityfw.core.commands.answer needs of the supervisor
    def __init__(self, app, board, cfg):
        self.app, self.board, self.cfg = app, board, cfg
        self.app_defaults, self.app_check, self.app_signed = APP_DEFAULTS, APP_CHECK, APP_SIGNED
        self.device_id, self.kind = cfg["device_id"], cfg["kind"]


def test_set_config_from_the_hub_is_checked_applied_and_kept():
    c = Counter(scratch_dir("ped_set_config"))
    sup = FakeSup(c.app, c.board, config())
    reply = answer(sup, json.dumps({"id": "c1", "op": "set_config", "params": {"window_ms": 600, "blocked_ms": 4000}}))
    assert reply["ok"], reply
    assert (c.app.pair.window_ms, c.app.pair.blocked_ms) == (600, 4000), "applied at once"
    assert overrides_file(c.board).load() == {"window_ms": 600, "blocked_ms": 4000}, "kept for the next boot"
    reply = answer(sup, json.dumps({"id": "c2", "op": "set_config", "params": {"blocked_ms": 500}}))
    assert not reply["ok"] and "blocked_ms" in reply["reason"], reply
    assert c.app.pair.blocked_ms == 4000, "a refused value changes nothing"


def test_a_shorter_bin_from_the_hub_keeps_each_count_in_the_bin_it_happened_in():
    # the technician's site check: bin_s 900 -> 60 seven minutes into a quarter hour. The counts of those seven
    # minutes are reported once, as a bin that says it counted 7 minutes; the next bins are whole minutes.
    c = Counter(scratch_dir("ped_rebin"), start_ms=DAY0)
    c.tick()
    c.walk(0, 3)
    c.run(7 * 60 - 6)
    c.app.configure(config(bin_s=60)["app"])
    c.tick()
    c.run(30)
    c.walk(1, 2)
    c.run(3 * 60)
    bins = [data for data, _ in c.tele()]
    assert bins[0]["bin_start"] == DAY0 and bins[0]["bin_s"] == 7 * 60, ("the first 7 minutes", bins[0])
    assert (bins[0]["count_in"], bins[0]["count_out"]) == (3, 0), bins[0]
    rest = bins[1:]
    assert [(b["bin_start"], b["bin_s"]) for b in rest] == [(DAY0 + (7 + i) * MIN, 60) for i in range(len(rest))], rest
    assert [(b["count_in"], b["count_out"]) for b in rest[:2]] == [(0, 2), (0, 0)], rest
    assert sum(b["count_in"] for b in bins) == 3 and sum(b["count_out"] for b in bins) == 2, bins


def test_a_small_clock_correction_is_not_taken_for_a_clock_jump():
    # an NTP resync steps the clock back 400 ms just after a bin closed: no extra bin, nothing flagged unsynced
    c = Counter(scratch_dir("ped_small_step"), start_ms=DAY0 + 14 * MIN + 50000)
    c.tick()
    c.run(10)                       # 00:15:00: the bin closes
    c.clock.advance(100)
    c.tick()
    c.clock.start_ms -= 400         # the clock now reads 00:14:59.7
    c.tick()
    c.walk(0, 1)
    c.run(15 * 60)
    bins = c.tele()
    assert len(bins) == 2, bins
    assert all(flags == [] for _, flags in bins), bins
    data = bins[1][0]
    assert (data["bin_start"], data["count_in"]) == (DAY0 + 15 * MIN, 1), data


class FakeLink:
    # what the app needs of cityfw.core.link.Link: send_now (QoS 0, False when not sent)
    def __init__(self):
        self.connected = True
        self.sent = []
        self.subs = []

    def subscribe_extra(self, topic, callback):
        self.subs.append(topic)

    def send_now(self, topic, payload):
        if not self.connected:
            return False
        self.sent.append((topic, json.loads(payload)))
        return True


def linked(name, **app_cfg):
    c = Counter(scratch_dir(name), **app_cfg)
    c.link = FakeLink()
    c.app.attach_link(c.link)
    return c


def test_a_counted_passage_tells_the_light_group_at_most_once_per_repeat():
    c = linked("ped_presence", light_group="park-north", light_pole=-1)
    c.tick()
    c.run(5)
    assert c.link.sent == [], "nobody walked: nothing sent"
    c.walk(0, 1)    # in
    assert len(c.link.sent) == 1, c.link.sent
    topic, body = c.link.sent[0]
    assert topic == "city/v1/group/park-north/presence", topic
    assert body == {"id": "ped-1", "pole": -1, "ts": c.clock.now_ms() - 1000}, body
    c.walk(1, 2)    # out, 2 and 4 s later: within presence_repeat_s (10 s)
    assert len(c.link.sent) == 1, ("at most one per presence_repeat_s", c.link.sent)
    c.run(10)
    assert len(c.link.sent) == 1, "nothing new counted: nothing sent"
    c.walk(1, 1)
    assert len(c.link.sent) == 2 and c.link.subs == [], ("an out passage too; the counter never subscribes",
                                                         c.link.sent)
    c.link.connected = False
    c.run(10)
    c.walk(0, 1)
    c.run(30 * 60)
    data = c.tele()[0][0]
    assert (data["count_in"], data["count_out"]) == (2, 3), data
    assert (data["presence_tx"], data["presence_unsent"]) == (2, 1), ("sent and unsendable are counted", data)
    assert c.tele()[1][0]["presence_tx"] == 0, "the counts are per bin"


def test_presence_ts_is_zero_while_the_clock_is_not_synced():
    c = linked("ped_presence_unsynced", synced=False, light_group="g1", light_pole=4)
    c.tick()
    c.walk(1, 1)
    assert [body for _, body in c.link.sent] == [{"id": "ped-1", "pole": 4, "ts": 0}], c.link.sent


def test_a_counter_without_a_light_group_sends_nothing_and_reports_as_before():
    c = linked("ped_presence_none")
    c.tick()
    c.walk(0, 3)
    c.run(15 * 60)
    assert c.link.sent == [] and c.link.subs == [], c.link.sent
    data = c.tele()[0][0]
    assert "presence_tx" not in data and "presence_unsent" not in data, data


def test_light_settings_are_checked():
    assert config(light_pole=-1, light_group="A-z_09")["app"]["light_pole"] == -1, "negative: before pole 0"
    for bad in ({"light_group": "a/#"}, {"light_group": "x" * 33}, {"light_group": 5}, {"light_group": "é"},
                {"presence_repeat_s": 0}, {"light_pole": 1.5}, {"window_ms": -1}):
        e = raises(ConfigError, lambda b=bad: config(**b))
        assert isinstance(e, ConfigError), bad
    assert "light_group" in str(raises(ConfigError, lambda: config(light_group="a b"))), "names the setting"
    c = Counter(scratch_dir("ped_presence_set"))
    sup = FakeSup(c.app, c.board, config())
    reply = answer(sup, json.dumps({"id": "c1", "op": "set_config", "params": {"light_pole": -2,
                                                                             "light_group": "south"}}))
    assert reply["ok"] and c.app.c["light_pole"] == -2, reply
    reply = answer(sup, json.dumps({"id": "c2", "op": "set_config", "params": {"light_group": "a+"}}))
    assert not reply["ok"] and c.app.c["light_group"] == "south", reply
