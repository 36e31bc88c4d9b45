# outbox.py Provides Outbox: a durable, bounded ring of messages on flash
# Every message a board produces goes here first and is removed only after the broker's PUBACK, so readings
# taken while offline are sent later, in order. Layout in the outbox directory:
#   s<NNNNNNNN>  segment files, one record per line: "<crc32 hex8> <seq> <channel> <json>\n"
#   state        "<ack_segment> <ack_line> <dropped> <last_seq>", replaced atomically (write tmp + rename)
# A power cut mid-append leaves at most one torn last line: its CRC fails, it is skipped and counted, and the
# next append starts a fresh segment so a torn line never swallows a good one. When the ring is full the
# oldest segment is deleted and its unsent records are counted in `dropped`.
# The per-device sequence number lives here too: it is recovered from the newest record at boot, so it
# stays monotonic across reboots.
import os
import binascii

_STATE = "state"
_TMP = "state.tmp"


def _seg_name(n):
    return "s%08d" % n


def _crc(body):
    return "%08x" % (binascii.crc32(body.encode()) & 0xFFFFFFFF)


def _parse(line):
    # returns (seq, channel, payload) or None when the line is torn or corrupt
    if len(line) < 12 or line[8] != " ":
        return None
    body = line[9:]
    if _crc(body) != line[:8]:
        return None
    parts = body.split(" ", 2)
    if len(parts) != 3:
        return None
    try:
        return int(parts[0]), parts[1], parts[2]
    except ValueError:
        return None


class Outbox:
    def __init__(self, root, max_segments=16, segment_records=64):
        self.root = root
        self.max_segments = max_segments
        self.segment_records = segment_records
        self.dropped = 0      # records lost because the ring was full
        self.corrupt = 0      # torn or corrupt records skipped
        self.last_seq = 0
        self.ack_seg = 0
        self.ack_line = 0
        self._segments = []   # segment numbers, oldest first
        self._tail_lines = 0  # lines in the newest segment
        self._full_lines = {}  # line counts of older (closed, never rewritten) segments, read once each
        self._fresh_segment = False
        self._cache_seg = -1
        self._cache = None
        try:
            os.mkdir(root)
        except OSError:
            pass
        self._load()

    def _path(self, name):
        return self.root + "/" + name

    def _read_lines(self, seg):
        if seg == self._cache_seg and self._cache is not None:
            return self._cache
        try:
            with open(self._path(_seg_name(seg))) as f:
                data = f.read()
        except OSError:
            data = ""
        lines = data.split("\n")
        if lines.pop() != "":  # a file not ending in a newline has a torn last line
            lines.append(None)
        self._cache_seg, self._cache = seg, lines
        return lines

    def _load(self):
        segs = []
        for name in os.listdir(self.root):
            if len(name) == 9 and name[0] == "s" and name[1:].isdigit():
                segs.append(int(name[1:]))
        segs.sort()
        self._segments = segs
        try:
            with open(self._path(_STATE)) as f:
                a, b, c, d = f.read().split()
            self.ack_seg, self.ack_line, self.dropped, self.last_seq = int(a), int(b), int(c), int(d)
        except (OSError, ValueError):
            self.ack_seg = segs[0] if segs else 0
            self.ack_line = 0
        if segs:
            self._cache_seg = -1
            lines = self._read_lines(segs[-1])
            self._cache_seg = -1
            self._tail_lines = len(lines)
            for line in lines:
                rec = _parse(line) if line is not None else None
                if rec and rec[0] > self.last_seq:
                    self.last_seq = rec[0]
            if lines and lines[-1] is None:
                self._fresh_segment = True  # never append behind a torn line
            if self.ack_seg < segs[0]:
                self.ack_seg, self.ack_line = segs[0], 0

    def _save_state(self):
        with open(self._path(_TMP), "w") as f:
            f.write("%d %d %d %d" % (self.ack_seg, self.ack_line, self.dropped, self.last_seq))
        os.rename(self._path(_TMP), self._path(_STATE))

    def next_seq(self):
        return self.last_seq + 1

    def append(self, channel, payload, seq):
        # payload: the encoded message (JSON text without newlines); seq: its sequence number
        if not self._segments or self._tail_lines >= self.segment_records or self._fresh_segment:
            self._start_segment()
        body = "%d %s %s" % (seq, channel, payload)
        with open(self._path(_seg_name(self._segments[-1])), "a") as f:
            f.write(_crc(body) + " " + body + "\n")
        self._tail_lines += 1
        self.last_seq = seq
        if self._cache_seg == self._segments[-1]:
            self._cache_seg = -1

    def _start_segment(self):
        if self._segments:
            self._full_lines[self._segments[-1]] = self._tail_lines   # closed: its count is final
        n = self._segments[-1] + 1 if self._segments else 1
        self._segments.append(n)
        self._tail_lines = 0
        self._fresh_segment = False
        if self.ack_seg not in self._segments:
            self.ack_seg, self.ack_line = n, 0
        while len(self._segments) > self.max_segments:
            self._drop_oldest()
        self._save_state()

    def _drop_oldest(self):
        old = self._segments.pop(0)
        if self.ack_seg == old:
            lines = self._read_lines(old)
            for line in lines[self.ack_line:]:
                if line is not None and _parse(line):
                    self.dropped += 1
            self.ack_seg, self.ack_line = self._segments[0], 0
        self._full_lines.pop(old, None)
        try:
            os.remove(self._path(_seg_name(old)))
        except OSError:
            pass
        if self._cache_seg == old:
            self._cache_seg = -1

    def peek(self):
        # the oldest unsent record as (seq, channel, payload), or None when everything was sent
        while True:
            if self.ack_seg not in self._segments:
                return None
            lines = self._read_lines(self.ack_seg)
            if self.ack_line < len(lines):
                line = lines[self.ack_line]
                rec = _parse(line) if line is not None else None
                if rec:
                    return rec
                self.corrupt += 1
                self.ack_line += 1
                continue
            if self.ack_seg == self._segments[-1]:
                return None
            self._retire(self.ack_seg)

    def _retire(self, seg):
        # a fully sent segment that is not the newest one: delete it and move on
        i = self._segments.index(seg)
        self.ack_seg, self.ack_line = self._segments[i + 1], 0
        self._segments.pop(i)
        self._full_lines.pop(seg, None)
        self._save_state()
        try:
            os.remove(self._path(_seg_name(seg)))
        except OSError:
            pass

    def ack(self):
        # the record returned by peek() was delivered
        self.ack_line += 1
        self._save_state()

    def depth(self):
        # number of unsent records (torn ones included until skipped)
        n = 0
        for seg in self._segments:
            if seg < self.ack_seg:
                continue
            if seg == self._segments[-1]:
                count = self._tail_lines
            else:
                count = self._full_lines.get(seg)
                if count is None:
                    count = len(self._read_lines(seg))
                    self._full_lines[seg] = count
            n += count - (self.ack_line if seg == self.ack_seg else 0)
        return n
