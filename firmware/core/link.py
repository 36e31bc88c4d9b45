# link.py Provides Link: brings up WiFi then the MQTT session, with backoff + jitter, and owns reconnecting
# The only place that decides when to (re)connect. Birth and last will are retained on the status topic.
# Reconnect backoff runs on the board's clock (board.rtc: accelerated in simulations, so a simulated board
# reconnects seconds of simulated time after its WiFi returns); socket timeouts and keepalive run on the
# network tick source (board.net_ticks_ms), which stays real time in simulations.
from cityfw.core.backoff import Backoff
from cityfw.core.mqtt import MQTTClient, MQTTError
from cityfw.core import message


class Link:
    def __init__(self, board, cfg, status_message):
        # status_message(state) -> encoded status payload ("online"/"offline")
        self.board = board
        self.cfg = cfg
        self.device_id = cfg["device_id"]
        self.status_message = status_message
        w, m = cfg["wifi"], cfg["mqtt"]
        self.wifi_backoff = Backoff(board.rand, w["backoff_base_ms"], w["backoff_max_ms"])
        self.mqtt_backoff = Backoff(board.rand, m["backoff_base_ms"], m["backoff_max_ms"])
        self.client = None
        self.connected = False
        self.on_command = None     # callback(payload_bytes)
        self.extra = []            # [(topic, callback(topic, payload_bytes))]: an app's own subscriptions (QoS 0)
        self.refused = []          # extra topics the broker refused (SUBACK failure) in the last session
        self.connects = 0          # successful broker sessions since boot
        self._oversized_before = 0  # oversized commands dropped by earlier sessions' clients
        self.last_error = ""
        self._wifi_next = None
        self._mqtt_next = None

    def _due(self, when):
        # when = (ticks at scheduling, delay ms); kept as a pair so tick wrap-around is harmless
        if when is None:
            return True
        rtc = self.board.rtc
        return rtc.ticks_diff(rtc.ticks_ms(), when[0]) >= when[1]

    def _later(self, backoff):
        return (self.board.rtc.ticks_ms(), backoff.next_ms())

    def wifi_up(self):
        return self.board.wifi.isconnected()

    def step(self):
        if not self.board.wifi.isconnected():
            if self.connected:
                self.drop("wifi lost")
            if self._due(self._wifi_next):
                w = self.cfg["wifi"]
                try:
                    self.board.wifi.connect(w["ssid"], w["password"])
                except OSError as e:   # the radio refused ("Wifi Internal Error"): try again later
                    self.last_error = "wifi: %s" % e
                self._wifi_next = self._later(self.wifi_backoff)
            if not self.board.wifi.isconnected():
                return
        self.wifi_backoff.reset()
        self._wifi_next = None
        if not self.connected and self._due(self._mqtt_next):
            try:
                self._open_session()
                self.mqtt_backoff.reset()
                self._mqtt_next = None   # a stale deadline would read as "far future" once ticks wrap
            except (OSError, MQTTError) as e:
                self.drop("broker: %s" % e)

    def _open_session(self):
        m = self.cfg["mqtt"]
        host, port = m["host"], m["port"]
        board = self.board
        client = MQTTClient(lambda: board.open_socket(host, port, m["timeout_ms"]),
                            self.device_id, m["user"], m["password"], m["keepalive_s"],
                            board.net_ticks_ms, board.net_ticks_diff, m["timeout_ms"])
        client.set_callback(self._incoming)
        if self.client is not None:
            self._oversized_before += self.client.oversized
        status = message.topic(self.device_id, message.STATUS)
        self.client = client
        client.connect(clean_session=False, will=(status, self.status_message("offline"), True, 1))
        client.subscribe(message.topic(self.device_id, message.CMD), 1)
        refused = []
        for sub in self.extra:
            if not self._subscribe(client, sub[0]):
                refused.append(sub[0])
        self.refused = refused
        client.publish(status, self.status_message("online"), True, 1)
        self.connected = True
        self.connects += 1
        self.last_error = "refused: " + " ".join(refused) if refused else ""

    def _subscribe(self, client, topic):
        # an app's extra topic; False when the broker refuses it (its rules): the session goes on without it
        # (telemetry, commands), rather than failing and being retried forever. OSError escapes (dead session)
        try:
            client.subscribe(topic, 0)
        except MQTTError:
            return False
        return True

    def oversized(self):
        # incoming commands too large to hold (dropped by the MQTT client) since boot
        return self._oversized_before + (self.client.oversized if self.client is not None else 0)

    def _incoming(self, topic, payload):
        if self.on_command is not None and topic == message.topic(self.device_id, message.CMD):
            self.on_command(payload)
            return
        for sub in self.extra:
            if sub[0] == topic:
                sub[1](topic, payload)

    def subscribe_extra(self, topic, callback):
        # an app's topic outside city/v1/<id>/ (e.g. a light group's presence): subscribed at every session
        self.extra.append((topic, callback))
        if self.connected:
            try:
                if not self._subscribe(self.client, topic):
                    self.refused.append(topic)
            except OSError as e:
                self.drop("subscribe: %s" % e)

    def send_now(self, topic, payload):
        # QoS 0, not through the outbox: for messages that are worthless later; False when not sent.
        # Never to a topic the broker refused to let us read: its rules grant an app topic both ways or not at
        # all, and mosquitto disconnects a client that publishes where it may not
        if not self.connected or topic in self.refused:
            return False
        try:
            self.client.publish(topic, payload, False, 0)
        except (OSError, MQTTError) as e:
            self.drop("publish: %s" % e)
            return False
        return True

    def publish(self, topic, payload):
        # QoS 1: returns after the broker's PUBACK; an OSError drops the session (the caller keeps the message)
        try:
            self.client.publish(topic, payload, False, 1)
        except (OSError, MQTTError) as e:
            self.drop("publish: %s" % e)
            raise OSError("link down")

    def poll(self):
        try:
            self.client.poll()
        except (OSError, MQTTError) as e:
            self.drop("poll: %s" % e)

    def leave(self, status_payload):
        # going to deep sleep: a retained status saying so, then DISCONNECT, so the broker drops the last will
        if self.connected and self.client is not None:
            try:
                self.client.publish(message.topic(self.device_id, message.STATUS), status_payload, True, 1)
                self.client.disconnect()
            except (OSError, MQTTError):
                self.client.close()
        self.connected = False

    def drop(self, reason):
        # close without DISCONNECT so the broker publishes the last will
        self.last_error = reason
        if self.client is not None:
            self.client.close()
        self.connected = False
        if self._mqtt_next is None or self._due(self._mqtt_next):
            self._mqtt_next = self._later(self.mqtt_backoff)
