# park_light.py Provides ParkLightApp: a dynamic LED park light (astronomical clock, presence, fail-safe)
# Off by day; by night at base_pct, brought to high_pct by its own motion sensor or by a neighbouring pole's
# presence message (ramp, hold, fade: dimming.py). Presence goes to the group's topic straight through the
# broker (QoS 0, not the outbox: a stale presence must never light a path), so a path works without the hub.
# Fail-safe: high_pct at night while the clock is unknown, until the first broker session after boot, and when
# contact is lost for more than failsafe_s. Telemetry every tele_s: level, detections, estimated energy.
import json
from cityfw.core import message
from cityfw.core.localtime import offset_ms
from cityfw.core.state_file import StateFile
from cityfw.apps import sun
from cityfw.apps.dimming import Dimmer
from cityfw.apps.light_alarms import LightAlarms
from cityfw.apps.light_settings import DEFAULTS, check, override_params, schedule_params

KIND = "park_light"
APP_DEFAULTS = DEFAULTS
APP_FIXED = ("group",)   # set at registration: the broker's rules give the light that group's presence only
APP_CHECK = check


def presence_topic(group):
    return message.TOPIC_PREFIX + "group/" + group + "/presence"


class ParkLightApp:
    kind = KIND

    def __init__(self, board, cfg):
        self.board = board
        self.cfg = cfg
        self.c = cfg["app"]
        self.device_id = cfg["device_id"]
        self.utc_offset_min = cfg["report"]["utc_offset_min"]
        self.eu_dst = cfg["report"]["eu_dst"]
        self.rtc = board.rtc
        self.lamp = board.lamp
        self.pir = board.pir
        self.sense = getattr(board, "lamp_current", None)
        self.store = StateFile(board.fs_root + "/light_state.json")
        st = self.store.load() or {}
        self.burning_s = int(st.get("burning_s", 0))
        self.dimmer = Dimmer(self.rtc.ticks_diff, self.c)
        self.alarms = LightAlarms(self.rtc.ticks_diff, self.c, st.get("alarms"))
        self._schedule()
        self.link = None
        self.group_topic = None     # the presence topic subscribed at start-up (a new group: at the next boot)
        self.synced = False
        self.ever_connected = False
        self.offline_ms = 0         # time without a broker session (counted pass by pass: ticks wrap)
        self.level = None           # % the lamp is driven at
        self.mode = "failsafe"      # until the first pass decides
        self.override = None        # (level, ticks at start, duration ms)
        self._night_cache = (None, False)
        self._last_pub = None
        self._last_tick = None
        self._lit = True
        self._burn_ms = 0
        self._next_tele = None
        self._new_events = []
        self._out = []
        self._reset_period()
        self._drive(self.c["high_pct"])   # power-up: full light until the board knows better

    # --- wiring -------------------------------------------------------------------------------------
    def attach_link(self, link):
        # called by the supervisor: the group's presence topic, straight through the broker
        self.link = link
        if self.c["group"]:
            self.group_topic = presence_topic(self.c["group"])
            link.subscribe_extra(self.group_topic, self._presence)

    def configure(self, app_cfg):
        self.c = app_cfg
        self.dimmer.cfg = app_cfg
        self.alarms.cfg = app_cfg
        self._schedule()
        self._night_cache = (None, False)

    def _schedule(self):
        self.on_spec = sun.parse_spec(self.c["on"])
        self.off_spec = sun.parse_spec(self.c["off"])

    def _reset_period(self):
        self.p_level_ms = 0     # sum of level % x ms
        self.p_ms = 0
        self.p_lit_ms = 0       # ms the schedule (or fail-safe) wanted the lamp lit
        self.p_detections = 0
        self.p_presence = 0
        self.p_presence_tx = 0
        self.p_presence_unsent = 0

    # --- decisions ----------------------------------------------------------------------------------
    def _night(self, now_ms):
        minute = now_ms // 60000
        if self._night_cache[0] != minute:
            night = sun.is_night(now_ms, self.on_spec, self.off_spec, self.c["lat"], self.c["lon"], self._offset_of)
            self._night_cache = (minute, night)
        return self._night_cache[1]

    def _offset_of(self, utc_ms):
        # the board's local offset (ms ahead of UTC) at a given time, summer time included
        return offset_ms(utc_ms, self.utc_offset_min, self.eu_dst)

    def _override_level(self, now):
        ov = self.override
        if ov is None:
            return None
        if self.rtc.ticks_diff(now, ov[1]) >= ov[2]:
            self.override = None
            return None
        return ov[0]

    def _decide(self, clock, now, now_ms, connected, dt):
        c = self.c
        dim = self.dimmer.level(now)   # every pass, day or night: the dimmer forgets finished fades
        ov = self._override_level(now)   # every pass too: an expired override is forgotten before ticks wrap
        if connected:
            self.ever_connected = True
            self.offline_ms = 0
        elif self.offline_ms < 1 << 30:
            self.offline_ms += dt
        if not clock.synced:
            return "failsafe", c["high_pct"], True   # time unknown: light as if it were night
        night = self._night(now_ms)
        lost = not self.ever_connected or self.offline_ms > c["failsafe_s"] * 1000
        if night and lost:
            return "failsafe", c["high_pct"], True
        if ov is not None:
            return "override", ov, night
        if not night:
            return "day", 0, False
        return "dynamic", dim, True

    def tick(self, clock):
        now = clock.ticks_ms()
        now_ms = clock.now_ms()
        self.synced = clock.synced
        connected = self.link is not None and self.link.connected
        out = self._out   # reused: the supervisor has queued the last pass's items before this one starts
        while out:
            out.pop()
        dt = 0
        if self._last_tick is not None and self.level is not None:
            dt = self.rtc.ticks_diff(now, self._last_tick)
            if dt > 0:
                self._account(dt)
            else:
                dt = 0
        self._last_tick = now
        if self._last_pub is not None:
            since = self.rtc.ticks_diff(now, self._last_pub)
            if since < 0 or since >= self.c["presence_repeat_s"] * 1000:
                self._last_pub = None   # forgotten every pass: an old tick would read as recent once ticks wrap
        # own motion sensor (ignored while SENSOR_STUCK: a stuck sensor must not keep a path lit)
        edges = self.pir.take()
        held = self.pir.value() == 1
        events = self._new_events   # one list for the whole pass, empty again at its end
        self.alarms.motion(events, now, now_ms, held)
        if (edges or held) and not self.alarms.is_active("SENSOR_STUCK"):
            self.p_detections += edges
            self.dimmer.trigger(now)
            if self._lit:   # by day (lamp off) the neighbours need not know
                self._publish_presence(now_ms, connected)
        self.mode, level, lit = self._decide(clock, now, now_ms, connected, dt)
        self._lit = lit
        self._drive(level)
        self.alarms.comms(events, now, now_ms, connected)
        self.alarms.lamp(events, now, now_ms, self.level, self.sense.read_mv() if self.sense is not None else None)
        if events:
            self._events(out, events)
        self._telemetry(out, now_ms)
        return out

    def _drive(self, level):
        if level != self.level:
            self.level = level
            self.lamp.set_level(level)

    def _account(self, dt):
        self.p_level_ms += self.level * dt
        self.p_ms += dt
        if self._lit:
            self.p_lit_ms += dt
        if self.level > 0:
            self._burn_ms += dt
            if self._burn_ms >= 1000:
                self.burning_s += self._burn_ms // 1000
                self._burn_ms %= 1000

    def _flags(self):
        if self.alarms.is_active("SENSOR_STUCK") or self.alarms.is_active("LAMP_FAILURE"):
            return [message.SENSOR_FAULT]
        return None

    def _events(self, out, events):
        # the flags are those after the event (a LAMP_FAILURE raised is already a sensor fault)
        while events:
            out.append((message.EVT, events.pop(0), self._flags()))
        self._save()

    # --- presence between poles ---------------------------------------------------------------------
    def _publish_presence(self, now_ms, connected):
        # at most one message every presence_repeat_s (_last_pub is forgotten by tick() once that has passed);
        # one that cannot go (no session, topic refused by the broker, group changed by set_config: the broker's
        # rules follow the registry, so that waits for the reboot) is counted in presence_unsent, never queued
        if self.group_topic is None or self._last_pub is not None:
            return
        self._last_pub = self.rtc.ticks_ms()
        if connected and self.c["group"] and presence_topic(self.c["group"]) == self.group_topic:
            body = {"id": self.device_id, "pole": self.c["pole"], "ts": now_ms if self.synced else 0}
            if self.link.send_now(self.group_topic, json.dumps(body)):
                self.p_presence_tx += 1
                return
        self.p_presence_unsent += 1

    def _presence(self, topic, payload):
        # a neighbour saw someone (called from the MQTT client: decide at once, no allocation kept). Whatever
        # the payload (not JSON, not an object, wrong types, 1e999, deep nesting), it must never raise: an
        # exception here would escape through the MQTT client and the main loop and reset the board
        try:
            msg = json.loads(payload)
            pole, ts = int(msg["pole"]), int(msg["ts"])
            own = msg.get("id") == self.device_id
        except Exception:
            return
        if own:
            return   # our own message, echoed by the broker
        if abs(pole - self.c["pole"]) > self.c["neighbours"]:
            return
        if ts and self.synced and abs(self.rtc.now_ms() - ts) > self.c["presence_max_age_s"] * 1000:
            return   # stale (delayed or replayed): it must not light the path now
        self.p_presence += 1
        self.dimmer.trigger(self.rtc.ticks_ms())

    # --- commands -----------------------------------------------------------------------------------
    def command(self, op, params):
        if op == "override":
            return self._cmd_override(params)
        if op == "schedule":
            return self._cmd_schedule(params)
        return False, "unknown op"

    def _cmd_override(self, params):
        try:
            level, duration = override_params(params)
        except ValueError as e:
            return False, str(e)
        self.override = (level, self.rtc.ticks_ms(), duration * 1000) if duration else None
        return True, None

    def _cmd_schedule(self, params):
        # all or nothing: checked with every rule of the settings, kept on flash, and only then applied
        try:
            schedule_params(params)
            new = dict(self.c)
            for key in params:
                new[key] = params[key]
            check(new)
        except ValueError as e:   # ConfigError is a ValueError
            return False, str(e)
        from cityfw.core.commands import overrides_file   # kept like set_config: overrides.json
        store = overrides_file(self.board)
        try:
            saved = store.load() or {}
            for key in params:
                saved[key] = params[key]
            store.save(saved)
        except OSError as e:
            return False, "schedule: not saved to flash (%s); nothing changed" % e
        for key in params:
            self.c[key] = params[key]   # the app settings are shared with the supervisor (set_config)
        self.configure(self.c)
        return True, None

    # --- telemetry ----------------------------------------------------------------------------------
    def _telemetry(self, out, now_ms):
        tele_ms = self.c["tele_s"] * 1000
        if tele_ms <= 0 or not self.synced:
            return
        due = now_ms - now_ms % tele_ms
        if self._next_tele is None:
            self._next_tele = due + tele_ms
            return
        if now_ms < self._next_tele:
            if self._next_tele - now_ms > 2 * tele_ms:   # the clock stepped back: start again
                self._next_tele = due + tele_ms
            return
        self._next_tele = due + tele_ms
        c = self.c
        hours = 1 / 3600000
        data = {
            "level_pct": self.level,
            "avg_pct": round(self.p_level_ms / self.p_ms, 1) if self.p_ms else float(self.level),
            "mode": self.mode,
            "detections": self.p_detections,
            "presence_rx": self.p_presence,
            "presence_tx": self.p_presence_tx,
            "presence_unsent": self.p_presence_unsent,
            "energy_wh": round((c["lamp_w"] * self.p_level_ms / 100 + c["standby_w"] * self.p_ms) * hours, 3),
            "full_wh": round(c["lamp_w"] * self.p_lit_ms * hours, 3),
            "burning_h": round(self.burning_s / 3600, 2),
            "period_s": self.p_ms // 1000,
        }
        out.append((message.TELE, data, self._flags()))
        self._reset_period()
        self._save()

    def _save(self):
        self.store.save({"burning_s": self.burning_s, "alarms": self.alarms.alarms.active})


App = ParkLightApp
