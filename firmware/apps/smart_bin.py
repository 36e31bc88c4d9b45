# smart_bin.py Provides SmartBinApp: a battery smart bin that deep-sleeps between readings
# Awake cycle: wake -> measure (ultrasonic pings, NTC, accelerometer, lid, compactor count, battery) -> decide
# (bin_rules.py) -> only if there is something to send: connect, send the outbox, answer commands -> sleep.
# Readings every measure_s (sooner while something needs confirming), telemetry every tele_s and with every
# event. Everything that must outlive a deep sleep is on flash: the outbox (core) and bin_state.json here.
from cityfw.apps.bin_rules import DEFAULTS, BinRules
from binascii import crc32

from cityfw.core import message
from cityfw.core.state_file import StateFile
from cityfw.drivers.thermistor import ntc_temp_c
from cityfw.drivers.tilt import tilt_deg
from cityfw.drivers.ultrasonic import distance_cm, fill_pct, timeout_us

KIND = "smart_bin"
APP_DEFAULTS = DEFAULTS
SEC = 1000
JUMP_MS = 6 * 3600 * 1000   # a wall-clock step larger than this (or backwards) is a correction, not time
SUPPLY_MV = 3300


def APP_CHECK(c):
    # rules beyond "a non-negative number of the default's type" (core/config.py)
    from cityfw.core.config import ConfigError

    def need(ok, text):
        if not ok:
            raise ConfigError("config: app." + text)
    need(10 <= c["measure_s"] <= 3600, "measure_s must be 10-3600 s")
    need(c["measure_s"] <= c["tele_s"] <= 86400, "tele_s must be between measure_s and 86400 s")
    need(c["full_cm"] >= c["blind_cm"], "full_cm must be at least blind_cm (the full level must be measurable)")
    need(c["full_cm"] < c["bin_depth_cm"] <= c["max_cm"], "bin_depth_cm must be above full_cm and at most max_cm")
    need(1 <= c["pings"] <= 15 and 1 <= c["min_valid"] <= c["pings"], "pings must be 1-15, min_valid 1-pings")
    need(c["full_pct"] <= 100, "full_pct must be at most 100")
    need(0 < c["full_clear_pct"] < c["full_pct"], "full_clear_pct must be above 0 and below full_pct")
    need(1 <= c["emptied_drop_pct"] <= 100, "emptied_drop_pct must be 1-100")
    need(c["fire_clear_c"] < c["fire_c"], "fire_clear_c must be below fire_c")
    need(c["fire_rise_c"] >= 1 and c["fire_rise_s"] >= 60, "fire_rise_c must be at least 1, fire_rise_s at least 60")
    need(1 <= c["tilt_deg"] <= 90, "tilt_deg must be 1-90")
    need(c["fault_readings"] >= 1 and c["watch_s"] >= 10, "fault_readings must be at least 1, watch_s at least 10")
    # the connection is opened on the pass after the reading: below a few seconds a woken bin never connects
    need(c["radio_max_s"] >= 10, "radio_max_s must be at least 10 s (WiFi association and MQTT connect)")
    need(c["battery_div"] >= 1 and c["ntc_beta"] >= 1 and c["ntc_r0_ohm"] >= 1 and c["ntc_fixed_ohm"] >= 1,
         "battery_div, ntc_beta, ntc_r0_ohm and ntc_fixed_ohm must be at least 1")


def _r1(x):
    return None if x is None else round(x, 1)


class SmartBinApp:
    kind = KIND

    def __init__(self, board, cfg):
        self.board = board
        self.c = cfg["app"]
        self.health_ms = cfg["report"]["health_s"] * SEC
        self.store = StateFile(board.fs_root + "/bin_state.json")
        st = self.store.load() or {}
        self.rules = BinRules(self.c, st.get("rules"))
        self.compactions = st.get("compactions", 0)   # since installation
        self.compactions_read = st.get("compactions_read", self.compactions)   # the total at the last reading
        self.next_ms = st.get("next_ms")              # next planned reading (wall ms)
        self.next_tele = st.get("next_tele")
        self.next_health = st.get("next_health")
        self.retry_at = st.get("retry_at")            # after a failed connection: no new attempt before this
        self.awake_ms = st.get("awake_ms", 0)         # awake time of the wakes since the last telemetry
        self.wakes = st.get("wakes", 0)
        self.saved_at = st.get("saved_at")
        self.wake_at = st.get("wake_at")              # when the last deep sleep was to end (wall ms)
        self.woke = board.reset_cause() == "deep_sleep"
        # bins spread their wakes (and reports) over the reading period by their id, so a street of bins does
        # not reach the broker in the same second
        self.phase_s = crc32(cfg["device_id"].encode()) % self.c["measure_s"]
        self.at_tick = None   # (wall ms, ticks) of this wake's reading, to see an NTP step during the wake
        self.radio = not self.woke   # read by the supervisor: after a power-up, connect at once
        self.connecting = self.radio and self.retry_at is None   # read by the supervisor: this wake's
        # messages are about to be sent (not backfilled)
        self.measured = False
        self.early = False
        self.health_sent = False
        self.unsaved = False

    def configure(self, app_cfg):
        # new thresholds from the hub (already checked)
        self.c = app_cfg
        self.rules.cfg = app_cfg

    def tick(self, clock):
        # one reading per wake, on the first pass
        if self.measured:
            return []
        self.measured = True
        now = clock.now_ms()
        self.at_tick = (now, clock.ticks_ms())
        saved = self.saved_at
        if saved is not None:
            # where the clock should be now: the planned wake after a deep sleep (the RTC runs on through it,
            # NTP-set or not), the last save after a power-up (the time off is unknown)
            expect = self.wake_at if self.woke and self.wake_at is not None else saved
            if now < saved or now - expect > JUMP_MS:
                # the clock was reset or corrected: carry remembered instants over, plan afresh
                self.rules.shift(now - expect)
                self.next_ms = self.next_tele = self.next_health = self.retry_at = None
        self.compactions += self.board.compactor.take()
        if self.woke and self.next_ms is not None and now < self.next_ms - SEC:
            self.early = True   # woken before the reading is due (by the compactor pin): count and sleep on
            return []
        r = self.measure(now)
        events = self.rules.reading(r)
        flags = [message.SENSOR_FAULT] if self.rules.is_active("SENSOR_FAULT") else None
        out = [(message.EVT, ev, flags) for ev in events]
        if out or self.next_tele is None or now >= self.next_tele:
            out.append((message.TELE, self._telemetry(r), flags))
            tele = self.c["tele_s"] * SEC
            self.next_tele = self._next(now, tele)
        if not self.woke and self.next_health is None:
            self.next_health = now + self.health_ms   # the supervisor reports health at power-up itself
        step = self.c["measure_s"] * SEC
        self.next_ms = self._next(now, step)
        check = self.rules.next_check_ms(now)
        if check is not None and check < self.next_ms:
            self.next_ms = check
        if out:
            self.radio = True
            # sent within this wake unless the last connection failed (then they wait: flagged backfilled)
            self.connecting = self.retry_at is None
            self.unsaved = True   # saved by after_pass, once the supervisor has queued these in the outbox:
            # a crash in between then decides them again at the next boot instead of losing them
        return out

    def measure(self, now):
        b, c = self.board, self.c
        temp = ntc_temp_c(b.temp_adc.read_mv(), SUPPLY_MV, c["ntc_fixed_ohm"], c["ntc_r0_ohm"], c["ntc_beta"])
        echoes = b.ultrasonic.echoes_us(c["pings"], c["ping_gap_ms"], timeout_us(c["max_cm"]))
        dist, valid = distance_cm(echoes, 20.0 if temp is None else temp, c["blind_cm"], c["max_cm"])
        if valid < c["min_valid"]:
            dist = None
        fill = None if dist is None else fill_pct(dist, c["bin_depth_cm"], c["full_cm"])
        try:
            x, y, z = b.accel.read_g()
            tilt = tilt_deg(x, y, z)
        except OSError:
            tilt = None
        mv = b.battery_adc.read_mv()
        since = self.compactions - self.compactions_read   # a drop in level with one of these is no emptying
        self.compactions_read = self.compactions
        return {"now": now, "fill": fill, "dist": dist, "pings": valid, "temp": temp, "tilt": tilt,
                "lid_open": bool(b.lid.is_open()), "compactions": since,
                "battery_v": None if mv is None else mv * c["battery_div"] / 1000.0}

    def _telemetry(self, r):
        data = {
            "fill_pct": _r1(r["fill"]), "distance_cm": _r1(r["dist"]), "pings": r["pings"],
            "temp_c": _r1(r["temp"]), "tilt_deg": _r1(r["tilt"]), "lid_open": r["lid_open"],
            "compactions": self.compactions, "battery_v": None if r["battery_v"] is None else round(r["battery_v"], 2),
            "period_s": self.c["tele_s"], "wakes": self.wakes, "awake_ms": self.awake_ms,
        }
        self.wakes = 0
        self.awake_ms = 0
        return data

    def after_pass(self, sup):
        # called by the supervisor after each pass: stay awake while there is work, else deep-sleep
        now = sup.clock.now_ms()
        if self.unsaved:
            self.unsaved = False
            self._save(now)
        if not self.radio and not self.early and sup.outbox.depth() and (self.retry_at is None or now >= self.retry_at):
            self.radio = True   # a backlog left by an earlier failed connection
            return
        if self.radio:
            if sup.link.connected:
                if not self.health_sent and (self.next_health is None or now >= self.next_health):
                    self.health_sent = True
                    self.next_health = now + self.health_ms - 60 * SEC   # slack: the report an hour on sends it
                    sup.emit(message.HEALTH, sup.health())
                    return
                if sup.outbox.depth() or sup._commands:
                    return
                self.retry_at = None
            elif sup.uptime_ms < self.c["radio_max_s"] * SEC:
                return
            else:
                self.retry_at = now + self.c["retry_s"] * SEC   # the outbox keeps everything for later
                self.connecting = False
        self.sleep(sup, now)

    def _next(self, now, period_ms):
        # the next instant on this bin's grid of period_ms at least half a period after now
        phase = self.phase_s * SEC % period_ms
        nxt = now - (now - phase) % period_ms + period_ms
        return nxt + period_ms if nxt - now < period_ms // 2 else nxt

    def sleep(self, sup, now):
        if self.at_tick is not None:
            t_ms, ticks = self.at_tick
            delta = now - t_ms - sup.clock.ticks_diff(sup.clock.ticks_ms(), ticks)
            if delta > 2 * SEC or delta < -2 * SEC:
                # the clock was set (NTP) after the reading: move what was planned on the old clock with it.
                # (Planning afresh would bring the next report forward: the next wake would report, sync,
                # be corrected by the RTC's drift again... and keep the radio on at every wake.)
                self.rules.shift(delta)
                if self.next_ms is not None:
                    self.next_ms += delta
                if self.next_tele is not None:
                    self.next_tele += delta
                if self.next_health is not None:
                    self.next_health += delta
                if self.retry_at is not None:
                    self.retry_at += delta
        # closures counted by the pin interrupt since the reading: RAM does not survive the sleep, flash does
        self.compactions += self.board.compactor.take()
        if not self.early:
            self.wakes += 1
        self.awake_ms += sup.uptime_ms
        ms = self.next_ms - now if self.next_ms is not None else self.c["measure_s"] * SEC
        ms = SEC if ms < SEC else min(ms, self.c["measure_s"] * SEC)
        self.wake_at = now + ms
        self._save(now)
        sup.sleep(ms)

    def _save(self, now):
        self.saved_at = now
        self.store.save({
            "rules": self.rules.state(), "compactions": self.compactions, "compactions_read": self.compactions_read,
            "next_ms": self.next_ms, "next_tele": self.next_tele, "next_health": self.next_health,
            "retry_at": self.retry_at, "awake_ms": self.awake_ms, "wakes": self.wakes, "saved_at": now,
            "wake_at": self.wake_at,
        })


App = SmartBinApp
