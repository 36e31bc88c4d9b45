# mqtt.py: a small MQTT 3.1.1 client (QoS 0/1) for MicroPython and CPython, socket factory and clock injected
# The caller (the supervisor) owns reconnects: any socket error closes the connection, sets .connected False and
# re-raises OSError; broker refusals and protocol errors raise MQTTError. No errno values are inspected.

_CONNACK_REASONS = ("accepted", "unacceptable protocol version", "identifier rejected",
                    "server unavailable", "bad user name or password", "not authorised")

# control packet types (high nibble of the fixed header)
_PUBLISH, _PUBACK, _SUBACK, _PINGRESP = 3, 4, 9, 13
MAX_INCOMING = 4096   # larger incoming packets are read in pieces and dropped (acked, counted), never held
MAX_POLL_PACKETS = 32   # packets handled per poll(): a flood waits for the next pass instead of starving the loop

import errno
# errors that mean the connection is dead (MicroPython's errno has no EPIPE: Linux numbers as fallback)
_FATAL = tuple(getattr(errno, name, num) for name, num in
               (("ECONNRESET", 104), ("ENOTCONN", 107), ("ECONNABORTED", 103), ("EPIPE", 32)))


class MQTTError(Exception):
    # args[0]: short reason; .rc: the broker's return code (CONNACK rc, SUBACK 0x80) or None
    def __init__(self, reason, rc=None):
        super().__init__(reason)
        self.rc = rc


def _bytes(s):
    return s.encode() if isinstance(s, str) else bytes(s)


def _u16(n):
    return bytes((n >> 8 & 0xFF, n & 0xFF))


def _str(s):
    # UTF-8 string (or raw bytes) prefixed with its 2-byte big-endian length
    b = _bytes(s)
    if len(b) > 65535:
        raise ValueError("string too long")
    return _u16(len(b)) + b


def _remlen(n):
    # remaining length: 7 bits per byte, least significant first, high bit = more bytes follow, at most 4 bytes
    if n > 268435455:
        raise ValueError("packet too large")
    out = bytearray()
    while n > 0x7F:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return out


class MQTTClient:
    def __init__(self, open_socket, client_id, user=None, password=None, keepalive_s=60,
                 ticks_ms=None, ticks_diff=None, timeout_ms=5000):
        if ticks_ms is None or ticks_diff is None:
            raise ValueError("ticks_ms and ticks_diff are required")
        if password is not None and user is None:
            raise ValueError("a password needs a user name")  # MQTT 3.1.1 forbids password without user
        self._open = open_socket
        self.client_id = client_id
        self._user = user
        self._password = password
        self.keepalive_s = keepalive_s
        self._ticks = ticks_ms
        self._diff = ticks_diff
        self.timeout_ms = timeout_ms
        self.oversized = 0   # incoming messages over MAX_INCOMING, dropped
        self._sock = None
        self._cb = None
        self._pid = 0
        self._last_tx = 0      # ticks of the last packet sent (keepalive)
        self._ping_at = None   # ticks of the PINGREQ still waiting for its PINGRESP
        self.connected = False

    def set_callback(self, cb):
        self._cb = cb

    def _send(self, data):
        mv = memoryview(data)
        while len(mv):
            n = self._sock.send(mv)
            if not n:
                raise OSError("send failed")
            mv = mv[n:]
        self._last_tx = self._ticks()

    def _packet(self, hdr, body, payload=b""):
        head = bytearray((hdr,))
        head.extend(_remlen(len(body) + len(payload)))
        head.extend(body)
        self._send(head)
        if payload:
            self._send(payload)  # not copied into head: payloads can be large for the heap

    def _read(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self._sock.recv(n - len(buf))
            if not chunk:
                raise OSError("connection closed")
            buf += chunk
        return buf

    def _read_packet(self, first=None):
        # first: the fixed header byte when poll's non-blocking check already read it
        if first is None:
            first = self._read(1)[0]
        n = shift = 0
        while True:
            d = self._read(1)[0]
            n |= (d & 0x7F) << shift
            if not d & 0x80:
                break
            shift += 7
            if shift > 21:
                raise OSError("bad remaining length")
        if n > MAX_INCOMING:
            head = self._read(64)   # enough for a topic header and packet id to acknowledge it
            left = n - 64
            while left:
                left -= len(self._read(min(left, 256)))
            return first | 0x100, head   # 0x100: marks a truncated packet for _handle
        return first, (self._read(n) if n else b"")

    def _next_pid(self):
        self._pid = self._pid % 65535 + 1  # 1..65535, never 0
        return self._pid

    def _handle(self, hdr, body):
        # dispatch one incoming packet; returns its type
        truncated = hdr & 0x100
        t = (hdr & 0xFF) >> 4
        if t == _PUBLISH:
            qos = (hdr >> 1) & 3
            tlen = (body[0] << 8) | body[1]
            topic = body[2:2 + tlen].decode()
            i = 2 + tlen
            if qos:
                i += 2  # packet id
            if truncated:
                self.oversized += 1
            elif self._cb is not None:
                self._cb(topic, bytes(body[i:]))
            if qos == 1:  # acked after the callback ran: at-least-once (qos 2 is never granted, see subscribe)
                self._send(b"\x40\x02" + body[i - 2:i])
        elif t == _PINGRESP:
            self._ping_at = None
        return t

    def _wait(self, ptype, pid, what):
        # read and dispatch packets until the ack of type ptype with packet id pid arrives
        start = self._ticks()
        while True:
            if self._diff(self._ticks(), start) >= self.timeout_ms:
                raise OSError(what + " timeout")
            try:
                hdr, body = self._read_packet()
            except OSError:
                # a recv that gave up after ~timeout_ms is the ack timeout (slack for clock granularity)
                if self._diff(self._ticks(), start) + 10 >= self.timeout_ms:
                    raise OSError(what + " timeout")
                raise
            if self._handle(hdr, body) == ptype and len(body) >= 2 and (body[0] << 8 | body[1]) == pid:
                return body

    def _check(self):
        if not self.connected or self._sock is None:
            raise OSError("not connected")

    def connect(self, clean_session=True, will=None):
        # returns the CONNACK session-present flag
        self.close()
        self._sock = self._open()  # raises OSError itself; nothing to clean up yet
        try:
            self._sock.settimeout(self.timeout_ms / 1000)
            flags = 0x02 if clean_session else 0
            payload = bytearray(_str(self.client_id))
            if will is not None:
                wtopic, wmsg, wretain, wqos = will
                flags |= 0x04 | (wqos & 3) << 3 | (0x20 if wretain else 0)
                payload.extend(_str(wtopic))
                payload.extend(_str(wmsg))
            if self._user is not None:
                flags |= 0x80
                payload.extend(_str(self._user))
                if self._password is not None:
                    flags |= 0x40
                    payload.extend(_str(self._password))
            self._packet(0x10, b"\x00\x04MQTT\x04" + bytes((flags,)) + _u16(self.keepalive_s) + payload)
            hdr, body = self._read_packet()
        except Exception:
            self.close()
            raise
        if hdr != 0x20 or len(body) != 2:
            self.close()
            raise MQTTError("expected connack, got 0x%02x" % hdr)
        rc = body[1]
        if rc:
            self.close()
            reason = _CONNACK_REASONS[rc] if rc < len(_CONNACK_REASONS) else "unknown"
            raise MQTTError("connack rc=%d (%s)" % (rc, reason), rc)
        self._ping_at = None
        self.connected = True
        return bool(body[0] & 1)

    def publish(self, topic, payload, retain=False, qos=0, dup=False):
        # returns the packet id (0 for qos 0)
        if qos not in (0, 1):
            raise ValueError("qos must be 0 or 1")
        self._check()
        hdr = 0x30 | qos << 1 | (1 if retain else 0)
        body = bytearray(_str(topic))
        pid = 0
        if qos:
            if dup:
                hdr |= 0x08  # DUP must stay 0 for qos 0
            pid = self._next_pid()
            body.extend(_u16(pid))
        try:
            self._packet(hdr, body, _bytes(payload))
            if qos:
                self._wait(_PUBACK, pid, "puback")
        except OSError:
            self.close()
            raise
        return pid

    def subscribe(self, topic, qos=1):
        # returns the granted qos
        if qos not in (0, 1):
            raise ValueError("qos must be 0 or 1")
        self._check()
        pid = self._next_pid()
        try:
            self._packet(0x82, _u16(pid) + _str(topic) + bytes((qos,)))
            body = self._wait(_SUBACK, pid, "suback")
        except OSError:
            self.close()
            raise
        if len(body) < 3 or body[2] == 0x80:
            raise MQTTError("suback failure for " + topic, 0x80)
        return body[2]

    def poll(self):
        self._check()
        timeout = self.timeout_ms / 1000
        try:
            for _ in range(MAX_POLL_PACKETS):
                self._sock.settimeout(0)
                try:
                    first = self._sock.recv(1)
                except OSError as e:  # BlockingIOError on CPython, EAGAIN on MicroPython: nothing waiting
                    if e.args and e.args[0] in _FATAL:   # but a reset connection is a dead session
                        raise
                    first = None
                self._sock.settimeout(timeout)
                if first is None:
                    break
                if not first:
                    raise OSError("connection closed")
                self._handle(*self._read_packet(first[0]))
            ka = self.keepalive_s * 1000
            if ka:
                now = self._ticks()
                if self._ping_at is not None:
                    if self._diff(now, self._ping_at) > ka:
                        raise OSError("keepalive timeout")
                elif self._diff(now, self._last_tx) >= ka // 2:
                    self._send(b"\xc0\x00")
                    self._ping_at = now
        except OSError:
            self.close()
            raise

    def disconnect(self):
        if self.connected and self._sock is not None:
            try:
                self._send(b"\xe0\x00")
            except Exception:
                pass
        self.close()

    def close(self):
        s = self._sock
        self._sock = None
        self.connected = False
        if s is not None:
            try:
                s.close()
            except Exception:
                pass
