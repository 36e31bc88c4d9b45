# pedestrian_counter.py Provides PedestrianCounterApp: counts people in and out past two break-beams
# The beams' interrupts feed drivers/beam_pair.py; each pass turns the stored edges into passages. Counts
# are reported per bin of bin_s (900 s: :00, :15, :30, :45 on the board's clock), in and out, with the
# glitches and unpaired breaks seen. Counts only: no identifiers, no images, nothing per person is kept.
# A beam blocked for blocked_ms raises BEAM_BLOCKED (cleared once neither beam has been blocked for
# unblock_ms); a bin that saw a blocked beam is flagged sensor_fault, one measured on an unsynced clock
# clock_unsynced. The bin in progress is lost on a reboot; open alarms survive it (state file).
# With light_group set, a counted passage also tells that group's park lights someone is coming: a presence
# message as a pole's ({"id", "pole": light_pole, "ts"}), QoS 0 straight through the broker, at most one per
# presence_repeat_s; sent and unsendable messages are counted in the bins (presence_tx, presence_unsent).
import json
from cityfw.core import message
from cityfw.core.alarms import AlarmSet
from cityfw.core.state_file import StateFile
from cityfw.drivers.beam_pair import IN, OUT, A, B, BeamPair

KIND = "pedestrian_counter"
APP_DEFAULTS = {
    "min_break_ms": 25,    # shorter breaks are glitches
    "window_ms": 1000,     # the second beam must break within this of the first
    "blocked_ms": 2500,    # a beam broken this long is blocked (occlusion fault)
    "unblock_ms": 2000,    # no beam blocked for this long before BEAM_BLOCKED clears
    "bin_s": 900,          # counting bin, aligned to the clock
    "light_group": "",     # park lights told of each passage ("" = none)
    "light_pole": 0,       # the counter's place on their path, in poles (-1: just before pole 0)
    "presence_repeat_s": 10,   # at most one presence message this often
}
APP_SIGNED = ("light_pole",)   # may be negative
APP_FIXED = ("light_group",)   # set at registration: the broker lets the counter publish on that group only
RING = 256           # edges stored between two passes (a pass every 200 ms on a board)
JUMP_MS = 6 * 3600 * 1000   # a wall-clock step forward larger than this is a correction, not time
BACK_MS = 60 * 1000         # a step back larger than this too (smaller ones: NTP trimming a drifted clock)
ALARM = "BEAM_BLOCKED"


def APP_CHECK(c):
    # rules beyond "a non-negative number of the default's type" (core/config.py; light_pole may be negative)
    from cityfw.core.config import ConfigError
    if c["bin_s"] < 60 or c["bin_s"] % 60 or 3600 % c["bin_s"]:
        raise ConfigError("config: app.bin_s must be whole minutes that divide an hour (60, 300, 900, 3600...)")
    if c["window_ms"] < 1:
        raise ConfigError("config: app.window_ms must be at least 1")
    if c["blocked_ms"] <= c["min_break_ms"] or c["blocked_ms"] <= c["window_ms"]:
        raise ConfigError("config: app.blocked_ms must be above min_break_ms and window_ms")
    g = c["light_group"]
    if not isinstance(g, str) or len(g) > 32 or not all("A" <= ch <= "Z" or "a" <= ch <= "z" or "0" <= ch <= "9"
                                                        or ch in "_-" for ch in g):
        raise ConfigError("config: app.light_group must be 0-32 of A-Z a-z 0-9 _ -")
    if not 1 <= c["presence_repeat_s"] <= 86400:
        raise ConfigError("config: app.presence_repeat_s must be 1-86400")
    if not -1000 <= c["light_pole"] <= 1000:
        raise ConfigError("config: app.light_pole must be -1000 to 1000")


def presence_topic(group):
    return message.TOPIC_PREFIX + "group/" + group + "/presence"


class PedestrianCounterApp:
    kind = KIND

    def __init__(self, board, cfg):
        self.c = cfg["app"]
        c = self.c
        beams = board.beams
        self.pair = BeamPair(board.rtc.ticks_diff, c["min_break_ms"], c["window_ms"], c["blocked_ms"], RING,
                             beams.broken(A), beams.broken(B), board.rtc.ticks_ms())
        beams.attach(self.pair.on_edge)
        self.store = StateFile(board.fs_root + "/pedestrian_state.json")
        st = self.store.load() or {}
        self.alarms = AlarmSet(st.get("active"))
        self.bin_start = None     # aligned start of the bin in progress (wall ms)
        self.measured_from = 0    # when this bin's counting began (later than bin_start after a boot)
        self.bin_fault = False
        self.bin_unsynced = False
        self._taken = [0, 0, 0, 0]   # in, out, glitches, unpaired already reported
        self._blocks = 0
        self._clear_since = None
        self._last = None          # (wall ms, ticks) of the previous pass
        self._rebin = False        # bin_s changed: close the bin in progress at the next pass
        self.device_id = cfg["device_id"]
        self.link = None
        self._passages = 0         # in + out already told to the lights
        self._last_pub = None      # ticks of the last presence message (None: none within presence_repeat_s)
        self.presence_tx = 0       # in the bin in progress
        self.presence_unsent = 0

    def attach_link(self, link):
        # called by the supervisor: presence goes straight through the broker (the counter only publishes)
        self.link = link

    def configure(self, app_cfg):
        # new thresholds from the hub (already checked); a new bin length starts with a new bin, so that
        # counts already made never land in a bin of the new length that ended before they happened
        if app_cfg["bin_s"] != self.c["bin_s"] and self.bin_start is not None:
            self._rebin = True
        self.c = app_cfg
        self.pair.configure(app_cfg["min_break_ms"], app_cfg["window_ms"], app_cfg["blocked_ms"])

    def tick(self, clock):
        now = clock.now_ms()
        ticks = clock.ticks_ms()
        out = []
        bin_ms = self.c["bin_s"] * 1000
        if self.bin_start is None:
            self._open(now - now % bin_ms, now, clock)
        elif self.measured_from - now > BACK_MS or now - self.measured_from > JUMP_MS:
            # the clock was set (NTP after boot) or corrected: what was counted so far belongs to the old
            # clock; report it flagged and start again on the new one
            self._process(ticks, 0)
            self.bin_unsynced = True
            old_now = self._last[0] + clock.ticks_diff(ticks, self._last[1])   # now, on the old clock
            out.append(self._close(old_now, clock))
            self._open(now - now % bin_ms, now, clock)
        elif self._rebin:
            self._process(ticks, 0)
            out.append(self._close(now, clock))
            self._open(now - now % bin_ms, now, clock)
        self._rebin = False
        self._last = (now, ticks)
        if not clock.synced:
            self.bin_unsynced = True
        while True:
            end = (self.bin_start // bin_ms + 1) * bin_ms
            if now < end:
                break
            self._process(ticks, now - end)   # the edges up to the bin's end belong to it
            out.append(self._close(end, clock))
            self._open(end, end, clock)
        self._process(ticks, 0)
        self._alarm(now, ticks, clock, out)
        self._presence(now, ticks, clock)
        return out

    def _presence(self, now, ticks, clock):
        # a passage counted since the last pass tells the lights (at most once per presence_repeat_s). QoS 0,
        # never queued: a presence that could not go now is worthless later, it is only counted
        counts = self.pair.counts
        passages = counts[IN] + counts[OUT]
        new = passages != self._passages
        self._passages = passages
        if self._last_pub is not None:
            since = clock.ticks_diff(ticks, self._last_pub)
            if since < 0 or since >= self.c["presence_repeat_s"] * 1000:
                self._last_pub = None   # forgotten every pass: an old tick would read as recent once ticks wrap
        group = self.c["light_group"]
        if not new or not group or self._last_pub is not None:
            return
        self._last_pub = ticks
        link = self.link
        if link is not None and link.connected:
            body = {"id": self.device_id, "pole": self.c["light_pole"], "ts": now if clock.synced else 0}
            if link.send_now(presence_topic(group), json.dumps(body)):
                self.presence_tx += 1
                return
        self.presence_unsent += 1

    def _open(self, start, measured_from, clock):
        self.bin_start = start
        self.measured_from = measured_from
        self.bin_fault = self.pair.is_blocked()
        self.bin_unsynced = not clock.synced

    def _process(self, ticks, upto_ago):
        pair = self.pair
        pair.process(ticks, upto_ago)
        if pair.is_blocked() or pair.blocks != self._blocks:
            self._blocks = pair.blocks
            self.bin_fault = True

    def _close(self, end, clock):
        p = self.pair
        now = [p.counts[IN], p.counts[OUT], p.glitches, p.unpaired]
        t = self._taken
        data = {
            "count_in": now[0] - t[0],
            "count_out": now[1] - t[1],
            "bin_start": self.measured_from,
            "bin_s": max(0, end - self.measured_from) // 1000,   # < 0: the clock was trimmed back a moment
            "glitches": now[2] - t[2],
            "unpaired": now[3] - t[3],
            "overflow": p.overflow,
        }
        if self.c["light_group"] or self.presence_tx or self.presence_unsent:
            data["presence_tx"] = self.presence_tx
            data["presence_unsent"] = self.presence_unsent
            self.presence_tx = self.presence_unsent = 0
        self._taken = now
        flags = []
        if self.bin_fault:
            flags.append(message.SENSOR_FAULT)
        if self.bin_unsynced and clock.synced:   # the supervisor flags it while the clock is still unsynced
            flags.append(message.CLOCK_UNSYNCED)
        return (message.TELE, data, flags)

    def _alarm(self, now, ticks, clock, out):
        pair = self.pair
        event = None
        if pair.is_blocked():
            self._clear_since = None
            since = now - clock.ticks_diff(ticks, pair.block_start())
            beam = "a+b" if pair.blocked[A] and pair.blocked[B] else ("a" if pair.blocked[A] else "b")
            event = self.alarms.raise_alarm(ALARM, since, 0.0, {"beam": beam})
            if event is not None:
                self.alarms.active[ALARM]["beam"] = beam   # kept for the clear event
        elif self.alarms.is_active(ALARM):
            if self._clear_since is None:
                self._clear_since = ticks
            if clock.ticks_diff(ticks, self._clear_since) >= self.c["unblock_ms"]:
                event = self.alarms.clear(ALARM, {"beam": self.alarms.active[ALARM].get("beam", "a")})
                self._clear_since = None
        if event is not None:
            event.pop("loss_lph", None)   # no loss estimate for a counter
            self.store.save({"active": self.alarms.active})
            out.append((message.EVT, event, [message.SENSOR_FAULT] if pair.is_blocked() else None))


App = PedestrianCounterApp
