# test_outbox.py: the durable outbox (cityfw.core.outbox.Outbox). Runs on CPython and MicroPython.
# A "reboot" is a new Outbox on the same directory; a power cut is simulated by editing segment files.
import os

from cityfw.core.outbox import Outbox
from support import scratch_dir


def payload(seq):
    return '{"n":' + str(seq) + "}"  # what message.encode produces: JSON without spaces or newlines


def fill(ob, n, channel="tele"):
    # append n records with consecutive sequence numbers; returns the seqs used
    seqs = []
    for _ in range(n):
        seq = ob.next_seq()
        ob.append(channel, payload(seq), seq)
        seqs.append(seq)
    return seqs


def drain(ob, limit=10000):
    # peek + ack until empty; returns the seqs delivered, in order
    out = []
    for _ in range(limit):
        rec = ob.peek()
        if rec is None:
            return out
        out.append(rec[0])
        ob.ack()
    raise AssertionError("outbox never ran empty")


def segments(root):
    return sorted(name for name in os.listdir(root) if name.startswith("s") and name[1:].isdigit())


def read(path):
    with open(path) as f:
        return f.read()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def test_records_come_back_in_append_order_with_channel_and_payload():
    ob = Outbox(scratch_dir("outbox_order"), max_segments=4, segment_records=3)
    ob.append("tele", payload(1), 1)
    ob.append("evt", payload(2), 2)
    ob.append("health", payload(3), 3)
    ob.append("ack", payload(4), 4)  # second segment
    got = []
    while True:
        rec = ob.peek()
        if rec is None:
            break
        got.append(rec)
        ob.ack()
    want = [
        (1, "tele", payload(1)),
        (2, "evt", payload(2)),
        (3, "health", payload(3)),
        (4, "ack", payload(4)),
    ]
    assert got == want, got
    assert ob.last_seq == 4 and ob.next_seq() == 5, (ob.last_seq, ob.next_seq())


def test_peek_without_ack_returns_the_same_record_again():
    ob = Outbox(scratch_dir("outbox_peek"), max_segments=4, segment_records=3)
    fill(ob, 2)
    first = ob.peek()
    assert first == ob.peek(), (first, ob.peek())
    ob.ack()
    assert ob.peek()[0] == 2, ob.peek()
    ob.ack()
    assert ob.peek() is None, ob.peek()


def test_empty_outbox_has_nothing_to_send():
    ob = Outbox(scratch_dir("outbox_empty"))
    assert ob.peek() is None, ob.peek()
    assert ob.depth() == 0, ob.depth()
    assert ob.next_seq() == 1, ob.next_seq()


def test_reboot_keeps_unsent_records_ack_position_and_last_seq():
    root = scratch_dir("outbox_reboot")
    ob = Outbox(root, max_segments=4, segment_records=3)
    fill(ob, 7)
    for want in (1, 2, 3, 4):
        assert ob.peek()[0] == want, ob.peek()
        ob.ack()
    ob2 = Outbox(root, max_segments=4, segment_records=3)
    assert ob2.last_seq == 7, ob2.last_seq
    assert ob2.depth() == 3, ob2.depth()
    seq = ob2.next_seq()
    assert seq == 8, seq
    ob2.append("tele", payload(seq), seq)
    assert drain(ob2) == [5, 6, 7, 8], "records 1-4 were acked before the reboot"


def test_seq_recovered_after_reboot_when_everything_was_sent():
    root = scratch_dir("outbox_seq")
    ob = Outbox(root, max_segments=4, segment_records=3)
    fill(ob, 5)
    assert drain(ob) == [1, 2, 3, 4, 5], "all delivered"
    ob2 = Outbox(root, max_segments=4, segment_records=3)
    assert ob2.peek() is None, ("nothing left to send", ob2.peek())
    assert ob2.depth() == 0, ob2.depth()
    assert ob2.last_seq == 5 and ob2.next_seq() == 6, (ob2.last_seq, ob2.next_seq())
    fill(ob2, 1)
    assert drain(ob2) == [6], "new record after the reboot continues the sequence"


def test_seq_recovered_from_segments_when_state_file_is_lost():
    root = scratch_dir("outbox_nostate")
    ob = Outbox(root, max_segments=4, segment_records=3)
    fill(ob, 4)
    os.remove(root + "/state")
    ob2 = Outbox(root, max_segments=4, segment_records=3)
    assert ob2.next_seq() == 5, ob2.next_seq()
    assert drain(ob2) == [1, 2, 3, 4], "without the state file everything is resent (at least once)"


def test_truncated_last_record_is_skipped_counted_and_next_append_goes_to_a_fresh_segment():
    root = scratch_dir("outbox_torn")
    ob = Outbox(root, max_segments=4, segment_records=10)
    fill(ob, 3)
    seg = root + "/" + segments(root)[-1]
    text = read(seg)
    write(seg, text[:-9])  # power cut in the middle of record 3
    ob2 = Outbox(root, max_segments=4, segment_records=10)
    assert ob2.last_seq == 2, ("the torn record does not count", ob2.last_seq)
    seq = ob2.next_seq()
    ob2.append("tele", payload(seq), seq)
    assert len(segments(root)) == 2, ("append after a torn line opens a new segment", segments(root))
    assert read(seg) == text[:-9], "the torn segment is never appended to"
    assert drain(ob2) == [1, 2, seq], "good records before and after the torn one all delivered"
    assert ob2.corrupt == 1, ob2.corrupt


def test_garbage_without_newline_at_the_end_is_skipped_and_nothing_good_is_lost():
    root = scratch_dir("outbox_garbage")
    ob = Outbox(root, max_segments=4, segment_records=10)
    fill(ob, 2)
    seg = root + "/" + segments(root)[-1]
    with open(seg, "a") as f:
        f.write('deadbeef 3 tele {"n"')  # half a record: no newline
    ob2 = Outbox(root, max_segments=4, segment_records=10)
    assert ob2.depth() == 3, ("torn line still counted until skipped", ob2.depth())
    fill(ob2, 2)
    assert drain(ob2) == [1, 2, 3, 4], "the torn line swallowed nothing"
    assert ob2.corrupt == 1, ob2.corrupt
    assert ob2.depth() == 0, ob2.depth()


def test_record_with_bad_crc_in_the_middle_is_skipped():
    root = scratch_dir("outbox_crc")
    ob = Outbox(root, max_segments=4, segment_records=10)
    fill(ob, 3)
    seg = root + "/" + segments(root)[-1]
    text = read(seg)
    assert text.count('{"n":2}') == 1, text
    write(seg, text.replace('{"n":2}', '{"n":9}'))  # bit rot: same length, wrong CRC
    ob2 = Outbox(root, max_segments=4, segment_records=10)
    assert drain(ob2) == [1, 3], "record 2 fails its CRC"
    assert ob2.corrupt == 1, ob2.corrupt


def test_full_ring_drops_oldest_records_counts_them_and_keeps_newest_in_order():
    root = scratch_dir("outbox_full")
    ob = Outbox(root, max_segments=3, segment_records=4)  # holds 12 records
    fill(ob, 12)
    assert ob.dropped == 0, ("exactly full is not over-full", ob.dropped)
    assert ob.depth() == 12, ob.depth()
    fill(ob, 8)  # 20 records: segments 1 and 2 (seq 1-8) are dropped
    assert ob.dropped == 8, ob.dropped
    assert len(segments(root)) == 3, segments(root)
    assert ob.depth() == 12, ob.depth()
    assert drain(ob) == list(range(9, 21)), "newest 12 kept, in order"
    assert ob.last_seq == 20, ob.last_seq


def test_dropped_counts_only_unsent_records_and_survives_reboot():
    root = scratch_dir("outbox_drop_partial")
    ob = Outbox(root, max_segments=2, segment_records=4)
    fill(ob, 8)
    for want in (1, 2, 3):
        assert ob.peek()[0] == want, ob.peek()
        ob.ack()
    fill(ob, 1)  # seq 9 opens segment 3, segment 1 (seq 4 still unsent) is dropped
    assert ob.dropped == 1, ob.dropped
    ob2 = Outbox(root, max_segments=2, segment_records=4)
    assert ob2.dropped == 1, ("dropped is persisted", ob2.dropped)
    assert drain(ob2) == [5, 6, 7, 8, 9], "record 4 was lost, the rest delivered in order"


def test_depth_is_correct_across_segments():
    root = scratch_dir("outbox_depth")
    ob = Outbox(root, max_segments=5, segment_records=3)
    for n in range(1, 8):
        fill(ob, 1)
        assert ob.depth() == n, (n, ob.depth())
    sent = 0
    while ob.peek() is not None:
        ob.ack()
        sent += 1
        assert ob.depth() == 7 - sent, (sent, ob.depth())
    assert sent == 7, sent
    ob2 = Outbox(root, max_segments=5, segment_records=3)
    assert ob2.depth() == 0, ("depth after reboot", ob2.depth())


def test_fully_sent_old_segments_are_deleted():
    root = scratch_dir("outbox_retire")
    ob = Outbox(root, max_segments=8, segment_records=2)
    fill(ob, 7)
    assert len(segments(root)) == 4, segments(root)
    assert drain(ob) == [1, 2, 3, 4, 5, 6, 7], "all delivered"
    assert segments(root) == ["s00000004"], ("only the newest (partly filled) segment stays", segments(root))
    assert sorted(os.listdir(root)) == ["s00000004", "state"], sorted(os.listdir(root))


def test_state_file_replaced_atomically_without_tmp_left():
    root = scratch_dir("outbox_state")
    ob = Outbox(root, max_segments=4, segment_records=2)
    fill(ob, 3)
    ob.peek()
    ob.ack()
    names = os.listdir(root)
    assert "state.tmp" not in names, names
    fields = read(root + "/state").split()
    assert len(fields) == 4, fields
    assert [int(x) for x in fields] == [1, 1, 0, 3], ("ack_seg ack_line dropped last_seq", fields)
    write(root + "/state.tmp", "garbage from a power cut mid-save")
    ob2 = Outbox(root, max_segments=4, segment_records=2)
    assert drain(ob2) == [2, 3], "a leftover state.tmp is ignored"
    assert "state.tmp" not in os.listdir(root), os.listdir(root)
