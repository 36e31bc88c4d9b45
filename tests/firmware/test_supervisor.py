# test_supervisor.py: the board's main loop (cityfw.core.supervisor via cityfw.core.boot) on a fake board with
# its WiFi down: health at boot, quality flags, watchdog fed only by completed passes, seq across reboots.
# Runs on CPython and MicroPython.
import json

from cityfw.core import boot, message
from fake_board import OfflineBoard, Watchdog
from support import FakeClock, raises, scratch_dir

MIN = 60000
DAY0 = 1700006400000


class Rtc:
    def __init__(self, clock):
        self.clock = clock
        self.ntp = False

    def now_ms(self):
        return self.clock.now_ms()

    def ticks_ms(self):
        return self.clock.ticks_ms()

    def ticks_diff(self, a, b):
        return self.clock.ticks_diff(a, b)

    def sync(self):
        return self.ntp


class Wifi:
    def __init__(self):
        self.attempts = 0

    def connect(self, ssid, password):
        self.attempts += 1

    def isconnected(self):
        return False

    def rssi(self):
        return -60


class Pulse:
    def attach(self, cb):
        self.cb = cb

    def level(self):
        return 0

    def sense_mv(self):
        return None


class Board(OfflineBoard):
    def __init__(self, root, clock):
        self.fs_root = root
        self.rtc = Rtc(clock)
        self.wifi = Wifi()
        self.watchdog = Watchdog()
        self.pulse_input = Pulse()


CFG = {"device_id": "wm-0001", "kind": "water_meter", "mqtt": {"host": "broker.invalid"},
       "report": {"health_s": 3600}}


def start(root, clock=None):
    clock = clock or FakeClock(start_ms=DAY0)
    board = Board(root, clock)
    return boot.build(board, json.loads(json.dumps(CFG))), board, clock


def queued(sup):
    out = []
    while True:
        rec = sup.outbox.peek()
        if rec is None:
            return out
        out.append((rec[0], rec[1], json.loads(rec[2])))
        sup.outbox.ack()


def test_health_at_boot_flagged_backfilled_and_unsynced_while_offline():
    sup, board, clock = start(scratch_dir("sup_boot"))
    sup.run_once()
    recs = queued(sup)
    assert [r[1] for r in recs] == [message.HEALTH], recs
    msg = recs[0][2]
    assert msg["seq"] == 1 and msg["id"] == "wm-0001" and msg["kind"] == "water_meter", msg
    assert message.BACKFILLED in msg["q"] and message.CLOCK_UNSYNCED in msg["q"], msg["q"]
    assert msg["data"]["reset_cause"] == "power_on" and msg["data"]["outbox_depth"] == 0, msg["data"]
    assert board.wifi.attempts == 1, "WiFi bring-up attempted"


def test_readings_after_a_clock_sync_are_not_flagged_unsynced():
    sup, board, clock = start(scratch_dir("sup_sync"))
    board.rtc.ntp = True
    board.wifi.isconnected = lambda: True
    board.open_socket = lambda *a: (_ for _ in ()).throw(OSError("broker down"))
    sup.run_once()
    msg = queued(sup)[0][2]
    assert message.CLOCK_UNSYNCED not in msg["q"], msg["q"]
    assert message.BACKFILLED in msg["q"], "broker unreachable: still offline"


def test_telemetry_every_15_minutes_and_health_every_hour_with_increasing_seq():
    sup, board, clock = start(scratch_dir("sup_tele"))
    for _ in range(2 * 60 + 1):   # first pass 1 min after start: health at minutes 1, 61, 121
        clock.advance(MIN)
        sup.run_once()
    recs = queued(sup)
    channels = [r[1] for r in recs]
    assert channels.count(message.TELE) == 8, channels
    assert channels.count(message.HEALTH) == 3, channels
    assert [r[0] for r in recs] == list(range(1, len(recs) + 1)), "seq 1, 2, 3, ... without gaps"


def test_watchdog_fed_once_per_completed_pass_and_not_when_the_app_crashes():
    sup, board, clock = start(scratch_dir("sup_wdt"))
    for _ in range(3):
        sup.run_once()
    assert board.watchdog.feeds == 3, board.watchdog.feeds

    def broken(clock):
        raise ValueError("sensor driver bug")

    sup.app.tick = broken
    raises(ValueError, sup.run_once)
    assert board.watchdog.feeds == 3, "a crashing loop starves the watchdog"


def test_sequence_continues_after_a_reboot():
    root = scratch_dir("sup_reboot")
    sup, board, clock = start(root)
    for _ in range(30):
        clock.advance(MIN)
        sup.run_once()
    last = sup.outbox.last_seq
    assert last >= 3, last
    sup2, board2, clock2 = start(root, clock)
    sup2.run_once()
    assert sup2.outbox.last_seq == last + 1, (last, sup2.outbox.last_seq)
    seqs = [r[0] for r in queued(sup2)]
    assert seqs == list(range(1, last + 2)), "unsent messages kept, numbering continues"


def test_commands_beyond_the_queue_are_counted_in_health():
    sup, board, clock = start(scratch_dir("sup_cmds"))
    for i in range(10):
        sup._command(json.dumps({"id": str(i), "op": "ping"}))
    assert sup.commands_dropped == 2, sup.commands_dropped
    sup.run_once()
    recs = queued(sup)
    acks = [r[2]["data"] for r in recs if r[1] == message.ACK]
    assert len(acks) == 8 and all(a["ok"] for a in acks), acks
    health = [r[2]["data"] for r in recs if r[1] == message.HEALTH][0]
    assert health["commands_dropped"] == 2, health


def test_saved_thresholds_that_no_longer_pass_are_dropped_and_the_board_still_boots():
    root = scratch_dir("sup_overrides")
    with open(root + "/overrides.json", "w") as f:
        f.write(json.dumps({"leak_estimate_h": 1.5}))   # saved by an older firmware that allowed it
    sup, board, clock = start(root)
    sup.run_once()
    assert sup.cfg["app"]["leak_estimate_h"] == 6, "the installed default is used"
    with open(root + "/overrides.json") as f:
        assert json.loads(f.read()) == {}, "the bad overrides are forgotten"


def test_backfill_is_sent_in_bounded_passes_and_feeds_the_watchdog_per_delivery():
    from cityfw.core import supervisor as sup_mod

    sup, board, clock = start(scratch_dir("sup_budget"))
    for _ in range(100):
        sup.emit(message.TELE, {"n": _})

    class Link:
        connected = True

        def publish(self, topic, payload):
            clock.advance(400)   # a slow broker: 0.4 s per PUBACK

    sup.link = Link()
    feeds = board.watchdog.feeds
    sup._send()
    sent = sup.sent
    assert 0 < sent < sup_mod.SEND_PER_PASS, ("stopped by the time budget", sent)
    assert sent * 400 >= sup_mod.SEND_BUDGET_MS, sent
    assert board.watchdog.feeds - feeds == sent, "each delivery is progress"


def test_oversized_commands_dropped_by_the_mqtt_client_count_in_health_across_sessions():
    sup, board, clock = start(scratch_dir("sup_oversized"))

    class Client:
        oversized = 3

    sup.link._oversized_before = 2   # dropped by an earlier session's client
    sup.link.client = Client()
    assert sup.health()["commands_dropped"] == 5, sup.health()["commands_dropped"]
