# test_mqtt.py: byte-level tests of the firmware MQTT client against a fake socket and a fake clock
# Plain test_* functions and asserts only: this file also runs under MicroPython.
from cityfw.core.mqtt import MQTTClient, MQTTError

CONNACK_OK = b"\x20\x02\x00\x00"


class FakeSock:
    # incoming bytes are served at most `chunk` bytes per recv; sends accept at most `chunk` bytes per call.
    # No data left: recv raises OSError("timed out") (what a blocking read with timeout or a non-blocking read
    # does), after moving the fake clock on by the socket timeout like a real blocking read would;
    # or it returns b"" once `eof` is set (peer closed).
    def __init__(self, incoming=b"", clock=None, chunk=3):
        self.clock = clock
        self.inbuf = bytearray(incoming)
        self.out = bytearray()
        self.chunk = chunk
        self.eof = False
        self.closed = False
        self.timeouts = []

    def feed(self, data):
        self.inbuf.extend(data)

    def settimeout(self, t):
        self.timeouts.append(t)

    def send(self, data):
        if self.closed:
            raise OSError("closed")
        n = min(len(data), self.chunk)
        self.out.extend(bytes(data[:n]))
        return n

    def recv(self, n):
        if self.closed:
            raise OSError("closed")
        if not self.inbuf:
            if self.eof:
                return b""
            if self.clock is not None and self.timeouts and self.timeouts[-1]:
                self.clock.t += int(self.timeouts[-1] * 1000)
            raise OSError("timed out")
        n = min(n, self.chunk)
        data = bytes(self.inbuf[:n])
        self.inbuf = self.inbuf[n:]
        return data

    def close(self):
        self.closed = True


class Clock:
    # ticks advance by `step` on every read
    def __init__(self, step=0):
        self.t = 0
        self.step = step

    def ticks_ms(self):
        t = self.t
        self.t += self.step
        return t


def ticks_diff(a, b):
    return a - b


def make(incoming=b"", clock=None, **kw):
    clock = clock or Clock()
    sock = FakeSock(incoming, clock)
    c = MQTTClient(lambda: sock, "dev1", ticks_ms=clock.ticks_ms, ticks_diff=ticks_diff, **kw)
    return c, sock, clock


def connected(incoming=b"", clock=None, **kw):
    c, sock, clock = make(CONNACK_OK + incoming, clock, **kw)
    c.connect()
    sock.out = bytearray()
    return c, sock, clock


def test_connect_bytes_minimal():
    c, sock, _ = make(CONNACK_OK)
    assert c.connect() is False
    assert c.connected
    assert bytes(sock.out) == (b"\x10\x10" + b"\x00\x04MQTT\x04" + b"\x02" + b"\x00\x3c"
                               + b"\x00\x04dev1")
    assert sock.timeouts and sock.timeouts[0] == 5.0


def test_connect_bytes_will_and_credentials():
    c, sock, _ = make(CONNACK_OK, user="u", password="pw", keepalive_s=300)
    c.connect(clean_session=False, will=("city/v1/dev1/status", "offline", True, 1))
    flags = 0x80 | 0x40 | 0x20 | 0x08 | 0x04  # user, password, will retain, will qos 1, will
    expected = (b"\x00\x04MQTT\x04" + bytes((flags,)) + b"\x01\x2c"
                + b"\x00\x04dev1" + b"\x00\x13city/v1/dev1/status" + b"\x00\x07offline"
                + b"\x00\x01u" + b"\x00\x02pw")
    assert bytes(sock.out) == b"\x10" + bytes((len(expected),)) + expected
    assert len(expected) == 53


def test_connect_will_qos0_not_retained_bytes_payload():
    c, sock, _ = make(CONNACK_OK)
    c.connect(will=("w", b"\x00\xff", False, 0))
    assert bytes(sock.out) == (b"\x10\x17" + b"\x00\x04MQTT\x04\x06\x00\x3c" + b"\x00\x04dev1"
                               + b"\x00\x01w" + b"\x00\x02\x00\xff")


def test_connack_refused():
    c, sock, _ = make(b"\x20\x02\x00\x05")
    try:
        c.connect()
        assert False, "no MQTTError"
    except MQTTError as e:
        assert e.rc == 5
        assert e.args[0] == "connack rc=5 (not authorised)"
    assert not c.connected
    assert sock.closed


def test_connack_timeout_raises_oserror():
    c, sock, _ = make(b"")
    try:
        c.connect()
        assert False, "no OSError"
    except OSError:
        pass
    assert not c.connected
    assert sock.closed


def test_open_socket_failure():
    def fail():
        raise OSError("refused")
    clock = Clock()
    c = MQTTClient(fail, "dev1", ticks_ms=clock.ticks_ms, ticks_diff=ticks_diff)
    try:
        c.connect()
        assert False, "no OSError"
    except OSError:
        pass
    assert not c.connected


def test_publish_qos0_bytes():
    c, sock, _ = connected()
    assert c.publish("a/b", "hi", retain=True, dup=True) == 0
    assert bytes(sock.out) == b"\x31\x07\x00\x03a/bhi"


def test_publish_qos1_waits_for_matching_puback():
    # a PUBACK for another id comes first and must be ignored
    c, sock, _ = connected(b"\x40\x02\x00\x07" + b"\x40\x02\x00\x01")
    assert c.publish("t", b"x", qos=1) == 1
    assert bytes(sock.out) == b"\x32\x06\x00\x01t\x00\x01x"
    assert len(sock.inbuf) == 0
    assert c.connected
    sock.out = bytearray()
    sock.feed(b"\x40\x02\x00\x02")
    assert c.publish("t", b"y", qos=1, dup=True, retain=True) == 2
    assert bytes(sock.out) == b"\x3b\x06\x00\x01t\x00\x02y"


def test_packet_id_wraps_and_skips_zero():
    c, sock, _ = connected()
    c._pid = 65534
    sock.feed(b"\x40\x02\xff\xff" + b"\x40\x02\x00\x01")
    assert c.publish("t", b"", qos=1) == 65535
    assert c.publish("t", b"", qos=1) == 1


def test_puback_timeout():
    # only a PUBACK for another id arrives, then recv times out; the clock advances on each read
    c, sock, _ = connected(b"\x40\x02\x00\x09", clock=Clock(step=1000))
    try:
        c.publish("t", b"x", qos=1)
        assert False, "no OSError"
    except OSError as e:
        assert e.args[0] == "puback timeout"
    assert not c.connected
    assert sock.closed
    try:
        c.publish("t", b"x")
        assert False, "publish while disconnected"
    except OSError:
        pass


def test_puback_deadline_with_traffic():
    # PINGRESPs keep arriving but never the PUBACK: the clock deadline ends the wait
    c, sock, _ = connected(b"\xd0\x00" * 20, clock=Clock(step=1000))
    try:
        c.publish("t", b"x", qos=1)
        assert False, "no OSError"
    except OSError as e:
        assert e.args[0] == "puback timeout"
    assert not c.connected
    assert len(sock.inbuf) > 0


def test_incoming_publish_qos1_during_publish_wait():
    got = []
    incoming = b"\x32\x09\x00\x03cmd\x12\x34ab" + b"\x40\x02\x00\x01"
    c, sock, _ = connected(incoming)
    c.set_callback(lambda t, p: got.append((t, p)))
    c.publish("t", b"x", qos=1)
    assert got == [("cmd", b"ab")]
    assert bytes(sock.out) == b"\x32\x06\x00\x01t\x00\x01x" + b"\x40\x02\x12\x34"


def test_poll_dispatches_and_acks():
    got = []
    big = bytes(range(200))
    c, sock, _ = connected()
    c.set_callback(lambda t, p: got.append((t, p)))
    c.poll()  # nothing waiting
    assert got == [] and c.connected and bytes(sock.out) == b""
    sock.feed(b"\x32\x0a\x00\x05a/b\xc3\xa9\x00\x05z")            # qos1, UTF-8 topic
    sock.feed(b"\x30\x05\x00\x01qhi")                             # qos0
    sock.feed(b"\x30\xcb\x01\x00\x01r" + big)                     # 2-byte remaining length
    c.poll()
    assert got == [("a/b\u00e9", b"z"), ("q", b"hi"), ("r", big)]
    assert bytes(sock.out) == b"\x40\x02\x00\x05"
    assert c.connected
    assert sock.timeouts[-1] == 5.0  # normal timeout restored after the non-blocking check
    assert 0 in sock.timeouts


def test_poll_handles_a_bounded_number_of_packets_per_call_and_the_rest_next_time():
    from cityfw.core.mqtt import MAX_POLL_PACKETS
    got = []
    c, sock, _ = connected()
    c.set_callback(lambda t, p: got.append(p))
    for i in range(MAX_POLL_PACKETS + 5):
        sock.feed(b"\x30\x04\x00\x01q" + bytes((i,)))
    c.poll()
    assert len(got) == MAX_POLL_PACKETS, ("a flood must not keep the board in poll()", len(got))
    c.poll()
    assert got == [bytes((i,)) for i in range(MAX_POLL_PACKETS + 5)], got
    assert c.connected


def test_poll_peer_closed():
    c, sock, _ = connected()
    sock.eof = True
    try:
        c.poll()
        assert False, "no OSError"
    except OSError:
        pass
    assert not c.connected and sock.closed


def test_poll_pingreq_after_half_keepalive():
    clock = Clock()
    c, sock, _ = connected(clock=clock, keepalive_s=10)
    clock.t = 4999
    c.poll()
    assert bytes(sock.out) == b""
    clock.t = 5000
    c.poll()
    assert bytes(sock.out) == b"\xc0\x00"
    clock.t = 11000
    c.poll()  # PINGREQ outstanding: no second one
    assert bytes(sock.out) == b"\xc0\x00"
    sock.feed(b"\xd0\x00")
    clock.t = 12000
    c.poll()  # PINGRESP clears it; last send was at 5000 -> ping again
    assert bytes(sock.out) == b"\xc0\x00\xc0\x00"
    assert c.connected
    # traffic resets the silence timer
    sock.feed(b"\xd0\x00")
    sock.out = bytearray()
    clock.t = 14000
    c.publish("t", b"x")
    sock.out = bytearray()
    clock.t = 18999
    c.poll()
    assert bytes(sock.out) == b""


def test_poll_keepalive_timeout():
    clock = Clock()
    c, sock, _ = connected(clock=clock, keepalive_s=10)
    clock.t = 5000
    c.poll()
    assert bytes(sock.out) == b"\xc0\x00"
    clock.t = 15000
    c.poll()  # exactly keepalive_s: still waiting
    clock.t = 15001
    try:
        c.poll()
        assert False, "no OSError"
    except OSError as e:
        assert e.args[0] == "keepalive timeout"
    assert not c.connected and sock.closed


def test_remaining_length_200():
    c, sock, _ = connected()
    c.publish("t", bytes(200))
    out = bytes(sock.out)
    assert out[:6] == b"\x30\xcb\x01\x00\x01t"  # 203 = 0x4b | 0x80, 0x01
    assert len(out) == 3 + 203


def test_remaining_length_20000():
    c, sock, _ = connected()
    c.publish("t", b"\x55" * 20000)
    out = bytes(sock.out)
    assert out[:7] == b"\x30\xa3\x9c\x01\x00\x01t"  # 20003 = 0x23 + 0x1c * 128 + 1 * 16384
    assert len(out) == 4 + 20003
    assert out[7:] == b"\x55" * 20000


def test_subscribe():
    c, sock, _ = connected(b"\x90\x03\x00\x01\x01")
    assert c.subscribe("city/v1/dev1/cmd") == 1
    assert bytes(sock.out) == b"\x82\x15\x00\x01\x00\x10city/v1/dev1/cmd\x01"


def test_subscribe_failure():
    c, sock, _ = connected(b"\x90\x03\x00\x01\x80")
    try:
        c.subscribe("#", qos=0)
        assert False, "no MQTTError"
    except MQTTError as e:
        assert e.rc == 0x80
    assert bytes(sock.out) == b"\x82\x06\x00\x01\x00\x01#\x00"


def test_subscribe_timeout():
    c, _, _ = connected(clock=Clock(step=1))
    try:
        c.subscribe("x")
        assert False, "no OSError"
    except OSError as e:
        assert e.args[0] == "suback timeout"
    assert not c.connected


def test_disconnect_and_close():
    c, sock, _ = connected()
    c.disconnect()
    assert bytes(sock.out) == b"\xe0\x00"
    assert sock.closed and not c.connected
    c.disconnect()  # never raises
    c.close()
    c2, sock2, _ = connected()
    c2.close()
    assert bytes(sock2.out) == b"" and sock2.closed and not c2.connected


def test_oversized_incoming_publish_is_acked_counted_and_dropped():
    from cityfw.core.mqtt import MAX_INCOMING
    got = []
    c, sock, _ = connected()
    sock.chunk = 4096
    c.set_callback(lambda t, p: got.append((t, p)))
    payload = b"x" * (MAX_INCOMING + 1000)
    body = b"\x00\x03cmd\x00\x07" + payload
    n = len(body)
    remlen = bytes((n & 0x7F | 0x80, n >> 7))
    sock.feed(b"\x32" + remlen + body)          # qos1, packet id 7
    sock.feed(b"\x30\x06\x00\x03cmdk")          # a normal qos0 message after it
    c.poll()
    assert got == [("cmd", b"k")], ("the big one is dropped, the next one delivered", got[:1])
    assert c.oversized == 1, c.oversized
    assert bytes(sock.out) == b"\x40\x02\x00\x07", ("the big one is acked so it is not resent", bytes(sock.out))
    assert c.connected, "the session stays up"


def test_connection_reset_seen_by_poll_drops_the_session():
    import errno

    class ResetSock(FakeSock):
        def recv(self, n):
            raise OSError(errno.ECONNRESET)

    c, sock, _ = connected()
    c._sock = ResetSock()
    try:
        c.poll()
        raised = False
    except OSError:
        raised = True
    assert raised and not c.connected, "a reset is not 'no data'"
