# supervisor.py Provides Supervisor: the board's main loop, one pass per run_once()
# Each pass: keep the link up, sync the clock, let the app measure and decide, queue what it produced in
# the durable outbox, send the outbox in order, answer commands, and feed the watchdog only when the pass
# completed: a hung or crashing loop starves the watchdog and the board resets.
from cityfw.core import message
from cityfw.core.clock import Clock
from cityfw.core.link import Link
from cityfw.core.outbox import Outbox

FW_VERSION = "0.1.0"
SEND_PER_PASS = 32   # messages sent per pass at most, so the loop stays responsive while backfilling
SEND_BUDGET_MS = 5000


class Supervisor:
    def __init__(self, board, cfg, app, app_defaults=None):
        self.board = board
        self.app_defaults = app_defaults
        self.app_check = None   # the app's own configuration rules (set by boot.build)
        self.app_signed = ()    # the app's settings that may be negative (set by boot.build)
        self.app_fixed = ()     # the app's settings set at registration only (set by boot.build)
        self.cfg = cfg
        self.app = app
        self.kind = cfg["kind"]
        self.device_id = cfg["device_id"]
        self.clock = Clock(board.rtc)
        ob = cfg["outbox"]
        self.outbox = Outbox(board.fs_root + "/outbox", ob["max_segments"], ob["segment_records"])
        self.link = Link(board, cfg, self._status)
        self.link.on_command = self._command
        if hasattr(app, "attach_link"):
            app.attach_link(self.link)   # an app with its own topics (a park light's group presence)
        self.sent = 0
        self.passes = 0
        self._last_ticks = self.clock.ticks_ms()
        self.uptime_ms = 0   # accumulated pass by pass: tick counters wrap after ~12 days on a board
        self._health_every_ms = cfg["report"]["health_s"] * 1000
        self._next_health = 0
        if board.reset_cause() == "deep_sleep":
            self._next_health = self._health_every_ms   # a duty-cycled app reports health itself (app.after_pass)
        self._commands = []
        self.commands_dropped = 0   # commands beyond the queue of 8 per pass (+ oversized ones, in health)

    def _status(self, state):
        msg = message.envelope(self.kind, self.device_id, self.clock.now_ms(), self.outbox.last_seq,
                               self._flags(None), {"state": state, "fw": FW_VERSION})
        return message.encode(msg)

    def _flags(self, flags):
        out = list(flags) if flags else []
        if not self.clock.synced:
            out.append(message.CLOCK_UNSYNCED)
        return out

    def emit(self, channel, data, flags=None):
        # build the message now (timestamp, seq, quality flags) and queue it durably
        out = self._flags(flags)
        if not self.link.connected and not getattr(self.app, "connecting", False):
            # a battery app builds its report just before it switches the radio on (app.connecting): that is
            # not backfill; what is built with no session and none being opened waits in the outbox
            out.append(message.BACKFILLED)
        seq = self.outbox.next_seq()
        msg = message.envelope(self.kind, self.device_id, self.clock.now_ms(), seq, out, data)
        self.outbox.append(channel, message.encode(msg), seq)

    def health(self):
        b = self.board
        return {
            "uptime_s": self.uptime_ms // 1000,
            "heap_free": b.mem_free(),
            "rssi": b.wifi.rssi() if b.wifi.isconnected() else None,
            "reset_cause": b.reset_cause(),
            "outbox_depth": self.outbox.depth(),
            "dropped": self.outbox.dropped,
            "corrupt": self.outbox.corrupt,
            "connects": self.link.connects,
            "commands_dropped": self.commands_dropped + self.link.oversized(),
            "fw": FW_VERSION,
        }

    def run_once(self):
        now = self.clock.ticks_ms()
        self.uptime_ms += self.clock.ticks_diff(now, self._last_ticks)
        self._last_ticks = now
        if getattr(self.app, "radio", True):   # a battery app keeps the radio off on wakes with nothing to send
            self.link.step()
        if self.link.wifi_up():
            self.clock.maybe_sync()
        for item in self.app.tick(self.clock):
            self.emit(item[0], item[1], item[2] if len(item) > 2 else None)
        if self.uptime_ms >= self._next_health:
            self._next_health = self.uptime_ms + self._health_every_ms
            self.emit(message.HEALTH, self.health())
        while self._commands:
            self._answer(self._commands.pop(0))
        if self.link.connected:
            self._send()
        if self.link.connected:
            self.link.poll()
        self.passes += 1
        self.board.watchdog.feed()
        after = getattr(self.app, "after_pass", None)
        if after is not None:
            after(self)   # a battery app decides here whether the board may deep-sleep (self.sleep)

    def sleep(self, ms):
        # deep sleep for ms: leave the broker cleanly with a retained "asleep" status (no last will), then sleep;
        # the board boots again afterwards (reset cause deep_sleep), with its outbox and state files on flash
        self.link.leave(self._status("asleep"))
        self.board.deep_sleep(ms)

    def _send(self):
        # at most SEND_PER_PASS messages and SEND_BUDGET_MS of network time per pass; each delivered message
        # is progress, so it feeds the watchdog (a slow but working broker must not reset the board)
        b = self.board
        start = b.net_ticks_ms()
        for _ in range(SEND_PER_PASS):
            rec = self.outbox.peek()
            if rec is None:
                return
            seq, channel, payload = rec
            try:
                self.link.publish(message.topic(self.device_id, channel), payload)
            except OSError:
                return
            self.outbox.ack()
            self.sent += 1
            b.watchdog.feed()
            if b.net_ticks_diff(b.net_ticks_ms(), start) >= SEND_BUDGET_MS:
                return

    def _command(self, payload):
        # called from inside the MQTT client: only queue; answered on the next pass
        if len(self._commands) < 8:
            self._commands.append(payload)
        else:
            self.commands_dropped += 1

    def _answer(self, payload):
        from cityfw.core.commands import answer
        self.emit(message.ACK, answer(self, payload))
