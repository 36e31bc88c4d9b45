# test_link_app_topics.py: an app's own topics on the broker link (cityfw.core.link: subscribe_extra, send_now),
# against a fake socket that plays the broker's replies byte by byte. Runs on CPython and MicroPython.
from cityfw.core.link import Link
from support import FakeClock

CONNACK = b"\x20\x02\x00\x00"
TOPIC = "city/v1/group/north-path/presence"


class Sock:
    def __init__(self, replies):
        self.inbuf = bytearray(replies)
        self.out = bytearray()
        self.closed = False

    def settimeout(self, t):
        pass

    def send(self, data):
        if self.closed:
            raise OSError("closed")
        self.out.extend(bytes(data))
        return len(data)

    def recv(self, n):
        if self.closed:
            raise OSError("closed")
        if not self.inbuf:
            raise OSError("timed out")
        data = bytes(self.inbuf[:n])
        self.inbuf = self.inbuf[n:]
        return data

    def close(self):
        self.closed = True


class Wifi:
    def isconnected(self):
        return True

    def connect(self, ssid, password):
        pass


class Board:
    def __init__(self, sock):
        self.rtc = FakeClock()
        self.wifi = Wifi()
        self.sock = sock

    def rand(self, n):
        return n // 2

    def net_ticks_ms(self):
        return self.rtc.ticks_ms()

    def net_ticks_diff(self, a, b):
        return self.rtc.ticks_diff(a, b)

    def open_socket(self, host, port, timeout_ms):
        return self.sock


CFG = {"device_id": "light-0004",
       "wifi": {"ssid": "park", "password": "x", "backoff_base_ms": 1000, "backoff_max_ms": 60000},
       "mqtt": {"host": "hub", "port": 1883, "user": "light-0004", "password": "pw", "keepalive_s": 60,
                "timeout_ms": 5000, "backoff_base_ms": 1000, "backoff_max_ms": 60000}}


def _link(suback_extra):
    # packet ids: 1 SUBSCRIBE cmd, 2 SUBSCRIBE the app's topic, 3 PUBLISH the retained "online" status
    sock = Sock(CONNACK + b"\x90\x03\x00\x01\x01" + b"\x90\x03\x00\x02" + bytes((suback_extra,)) + b"\x40\x02\x00\x03")
    link = Link(Board(sock), CFG, lambda state: state.encode())
    heard = []
    link.subscribe_extra(TOPIC, lambda topic, payload: heard.append(payload))
    link.step()
    return link, sock, heard


def test_a_refused_app_topic_does_not_stop_the_session():
    # a group the broker's rules do not grant (e.g. set differently in config.json and in the registry): the
    # board must still come online (telemetry, commands, so it can be put right from the hub), without presence
    link, sock, _ = _link(0x80)
    assert link.connected, "online without the refused topic: %s" % link.last_error
    assert link.refused == [TOPIC] and TOPIC in link.last_error, (link.refused, link.last_error)
    before = len(sock.out)
    assert link.send_now(TOPIC, b"{}") is False, "never published where the broker refused us"
    assert len(sock.out) == before and link.connected, "nothing sent, the session stays"


def test_a_granted_app_topic_is_read_and_written():
    link, sock, heard = _link(0x00)
    assert link.connected and link.refused == [] and link.last_error == "", (link.refused, link.last_error)
    assert link.send_now(TOPIC, b'{"pole": 3}') is True
    assert bytes(sock.out).endswith(b"\x30\x2e\x00\x21" + TOPIC.encode() + b'{"pole": 3}'), bytes(sock.out)[-60:]
    link._incoming(TOPIC, b"hello")
    assert heard == [b"hello"], heard
