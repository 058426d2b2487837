"""Batch stream work: `split_packets` and `Packetizer`."""

import binascii

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flight.ccsds import (
    MAX_PACKET_LENGTH,
    FieldRangeError,
    PacketBatch,
    Packetizer,
    PusTc,
    PusTm,
    SequenceFlags,
    SpacePacketHeader,
    split_packets,
)
from tests.support.ccsds import pus_tcs, pus_tms

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# junk whose every octet has a non-zero version field, so it can never start a packet
junk = st.binary(max_size=12).map(lambda b: bytes(0x20 | x for x in b))
packets = st.one_of(pus_tcs, pus_tms()).map(lambda p: p.pack())


def _crc_ok(packet) -> bool:
    return binascii.crc_hqx(bytes(packet), 0xFFFF) == 0


def _check_invariants(buf: bytes, batch: PacketBatch, max_length: int, check_crc: bool) -> None:
    assert batch.count == len(batch) == len(batch.offsets) == len(batch.lengths)
    assert len(batch.apids) == len(batch.seq_counts) == batch.count
    assert 0 <= batch.consumed <= len(buf)
    assert sum(batch.lengths) + batch.skipped == batch.consumed
    previous_end = 0
    for i, view in enumerate(batch):
        start, length = batch.offsets[i], batch.lengths[i]
        assert start >= previous_end
        previous_end = start + length
        assert bytes(view) == buf[start : start + length]
        header = SpacePacketHeader.unpack(view)
        assert header.packet_length == length <= max_length
        assert (header.apid, header.seq_count) == (batch.apids[i], batch.seq_counts[i])
        assert not check_crc or _crc_ok(view)
    assert previous_end <= batch.consumed
    rest = buf[batch.consumed :]
    if len(rest) >= 6:
        # what is left is the start of a packet that has not fully arrived
        header = SpacePacketHeader.unpack(rest)
        assert len(rest) < header.packet_length <= max_length


@SETTINGS
@given(st.lists(st.tuples(junk, packets), max_size=5), junk)
def test_finds_every_packet_between_junk(codec, pieces, tail):
    stream = b"".join(j + p for j, p in pieces) + tail
    batch = split_packets(stream, check_crc=True)
    expected_offsets, position = [], 0
    for j, p in pieces:
        position += len(j)
        expected_offsets.append(position)
        position += len(p)
    assert list(batch.offsets) == expected_offsets
    assert [bytes(v) for v in batch] == [p for _, p in pieces]
    # trailing junk is skipped until fewer octets remain than a header needs
    assert batch.skipped == sum(len(j) for j, _ in pieces) + max(0, len(tail) - 5)
    _check_invariants(stream, batch, MAX_PACKET_LENGTH, True)


@SETTINGS
@given(
    st.binary(max_size=300) | st.lists(packets | junk, max_size=6).map(b"".join),
    st.integers(7, 400) | st.just(MAX_PACKET_LENGTH),
    st.booleans(),
)
def test_invariants_hold_on_any_input(codec, buf, max_length, check_crc):
    batch = split_packets(buf, max_length=max_length, check_crc=check_crc)
    _check_invariants(buf, batch, max_length, check_crc)


@SETTINGS
@given(
    st.lists(packets | junk | st.binary(max_size=10), max_size=6).map(b"".join),
    st.lists(st.integers(0, 400), max_size=6),
    st.booleans(),
)
def test_reads_in_pieces_find_what_one_read_finds(codec, stream, cuts, check_crc):
    # a UART delivers a stream in arbitrary pieces; the unconsumed rest of each read is
    # kept and prepended to the next one
    bounds = sorted({min(c, len(stream)) for c in cuts} | {len(stream)})
    found, skipped, base, pending, start = [], 0, 0, b"", 0
    for end in bounds:
        buf = pending + stream[start:end]
        start = end
        batch = split_packets(buf, check_crc=check_crc)
        found += [(base + o, n) for o, n in zip(batch.offsets, batch.lengths, strict=True)]
        skipped += batch.skipped
        base += batch.consumed
        pending = buf[batch.consumed :]
    whole = split_packets(stream, check_crc=check_crc)
    assert found == list(zip(whole.offsets, whole.lengths, strict=True))
    assert (skipped, base) == (whole.skipped, whole.consumed)


def test_counts_and_arrays(codec):
    a = PusTc(apid=100, service=17, subtype=1, seq_count=7).pack()
    b = PusTm(apid=200, service=3, subtype=25, seq_count=0x3FFF, source_data=b"hk").pack()
    batch = split_packets(a + b)
    assert (batch.count, batch.consumed, batch.skipped) == (2, len(a) + len(b), 0)
    assert list(batch.offsets) == [0, len(a)]
    assert list(batch.lengths) == [len(a), len(b)]
    assert list(batch.apids) == [100, 200]
    assert list(batch.seq_counts) == [7, 0x3FFF]
    assert bytes(batch[1]) == b


def test_partial_packet_is_left_for_the_next_read(codec):
    ping = PusTc(apid=100, service=17, subtype=1).pack()
    stream = ping + ping
    for cut in range(1, len(ping)):
        first = split_packets(stream[: len(ping) + cut])
        assert (first.count, first.consumed, first.skipped) == (1, len(ping), 0)
        rest = stream[first.consumed : len(ping) + cut] + stream[len(ping) + cut :]
        second = split_packets(rest)
        assert (second.count, second.consumed) == (1, len(ping))


def test_junk_is_skipped_and_the_stream_resynchronises(codec):
    ping = PusTc(apid=100, service=17, subtype=1).pack()
    batch = split_packets(b"\xff\xee\xdd" + ping + b"\x80" + ping)
    assert (batch.count, batch.skipped) == (2, 4)
    assert list(batch.offsets) == [3, 4 + len(ping)]


def test_check_crc_rejects_corrupted_packets(codec):
    ping = PusTc(apid=100, service=17, subtype=1).pack()
    bad = bytearray(ping)
    bad[8] ^= 0x10
    stream = bytes(bad) + ping
    assert split_packets(stream).count == 2  # without the check, framing alone passes it
    # max_length keeps the resync from waiting on a spurious long header inside `bad`
    batch = split_packets(stream, max_length=len(ping), check_crc=True)
    assert (batch.count, list(batch.offsets)) == (1, [len(ping)])
    assert batch.skipped == len(ping)


def test_check_crc_needs_room_for_a_crc(codec):
    # a 7-octet packet cannot carry a CRC-16 plus data; with check_crc it is junk
    tiny = bytes.fromhex("0001c0000000") + b"\x00"
    assert split_packets(tiny).count == 1
    batch = split_packets(tiny, check_crc=True)
    # octet 0 and octet 1 (another too-short header) are skipped; 5 octets wait
    assert (batch.count, batch.skipped, batch.consumed) == (0, 2, 2)


def test_max_length_bounds_a_corrupted_length_field(codec):
    ping = PusTc(apid=100, service=17, subtype=1).pack()
    liar = bytes.fromhex("0001c000ffff")  # claims 65536 data octets
    held = split_packets(liar + ping)
    assert (held.count, held.consumed) == (0, 0)  # waits for 64 KiB that will never come
    batch = split_packets(liar + ping, max_length=1024)
    assert (batch.count, batch.skipped, list(batch.offsets)) == (1, 6, [6])
    assert list(split_packets(ping, max_length=len(ping)).offsets) == [0]
    assert 0 not in split_packets(ping, max_length=len(ping) - 1).offsets
    assert split_packets(ping, max_length=len(ping) - 1, check_crc=True).count == 0


@pytest.mark.parametrize("max_length", [-1, 0, 6, MAX_PACKET_LENGTH + 1, 1 << 40])
def test_max_length_out_of_range(codec, max_length):
    with pytest.raises(FieldRangeError) as info:
        split_packets(b"", max_length=max_length)
    assert info.value.field == "max_length"


def test_empty_and_short_buffers(codec):
    for buf in (b"", b"\x00", b"\xff" * 5):
        batch = split_packets(buf)
        assert (batch.count, batch.consumed, batch.skipped) == (0, 0, 0)
        assert list(batch) == []


def test_iteration_gives_zero_copy_views(codec):
    ping = PusTc(apid=100, service=17, subtype=1, app_data=b"abc").pack()
    buf = bytearray(b"\xff" + ping + ping)
    batch = split_packets(buf)
    views = list(batch)
    assert all(type(v) is memoryview for v in views)
    assert all(v.obj is buf for v in views)
    buf[1 + 11] = ord("X")  # a change to the buffer shows through the view: no copy was made
    assert bytes(views[0][11:14]) == b"Xbc"
    assert batch[1].obj is buf
    for v in views:
        v.release()
    ro = b"\xff" + ping
    assert next(iter(split_packets(ro))).obj is ro
    mv = memoryview(ro)
    assert bytes(next(iter(split_packets(mv)))) == ping


# ---- Packetizer ----


def _packets(stream: bytes) -> list[memoryview]:
    batch = split_packets(stream, check_crc=True)
    assert batch.consumed == len(stream)
    assert batch.skipped == 0
    return list(batch)


def test_segmentation_flags_and_data(codec):
    p = Packetizer(chunk=10)
    payload = bytes(range(35))
    packets = _packets(p.packetize(payload, apid=42))
    headers = [SpacePacketHeader.unpack(v) for v in packets]
    assert [h.seq_flags for h in headers] == [
        SequenceFlags.FIRST,
        SequenceFlags.CONTINUATION,
        SequenceFlags.CONTINUATION,
        SequenceFlags.LAST,
    ]
    assert [h.seq_count for h in headers] == [0, 1, 2, 3]
    assert all(h.apid == 42 and not h.sec_header_flag for h in headers)
    assert b"".join(bytes(v[6:-2]) for v in packets) == payload
    assert [len(v) for v in packets] == [18, 18, 18, 13]


def test_single_packet_is_unsegmented(codec):
    p = Packetizer(chunk=10)
    (packet,) = _packets(p.packetize(bytes(10), apid=1))
    assert SpacePacketHeader.unpack(packet).seq_flags is SequenceFlags.UNSEGMENTED


def test_two_packets_are_first_and_last(codec):
    p = Packetizer(chunk=10)
    packets = _packets(p.packetize(bytes(11), apid=1))
    flags = [SpacePacketHeader.unpack(v).seq_flags for v in packets]
    assert flags == [SequenceFlags.FIRST, SequenceFlags.LAST]


def test_counts_are_kept_per_apid_across_calls(codec):
    p = Packetizer(chunk=4)
    p.packetize(bytes(9), apid=1)
    p.packetize(bytes(4), apid=2)
    stream = p.packetize(bytes(5), apid=1)
    assert p.seq_counts == {1: 5, 2: 1}
    assert [SpacePacketHeader.unpack(v).seq_count for v in _packets(stream)] == [3, 4]


def test_sequence_count_wraps_at_14_bits(codec):
    p = Packetizer(chunk=1, seq_counts={7: 0x3FFE})
    stream = p.packetize(b"abc", apid=7)
    assert [SpacePacketHeader.unpack(v).seq_count for v in _packets(stream)] == [0x3FFE, 0x3FFF, 0]
    assert p.seq_counts[7] == 1


def test_without_crc(codec):
    p = Packetizer(chunk=3, crc=False)
    stream = p.packetize(b"abcdefg", apid=3)
    batch = split_packets(stream)
    assert list(batch.lengths) == [9, 9, 7]
    assert b"".join(bytes(v[6:]) for v in batch) == b"abcdefg"


def test_empty_payload_makes_no_packet(codec):
    p = Packetizer()
    assert p.packetize(b"", apid=3) == b""
    assert p.seq_counts.get(3, 0) == 0


@SETTINGS
@given(st.binary(max_size=3000), st.integers(1, 700), st.integers(0, 0x3FFF), st.booleans())
def test_packetize_then_split_restores_the_payload(codec, payload, chunk, start, crc):
    p = Packetizer(chunk=chunk, crc=crc, seq_counts={9: start})
    stream = p.packetize(payload, apid=9)
    batch = split_packets(stream, check_crc=crc)
    assert batch.consumed == len(stream)
    trailer = 2 if crc else 0
    assert b"".join(bytes(v[6 : len(v) - trailer]) for v in batch) == payload
    expected = -(-len(payload) // chunk)
    assert batch.count == expected
    assert list(batch.seq_counts) == [(start + i) & 0x3FFF for i in range(expected)]
    assert p.seq_counts[9] == (start + expected) & 0x3FFF


@pytest.mark.parametrize(("chunk", "crc"), [(0, True), (65535, True), (65537, False), (-1, False)])
def test_chunk_out_of_range(codec, chunk, crc):
    with pytest.raises(FieldRangeError) as info:
        Packetizer(chunk=chunk, crc=crc).packetize(b"x", apid=1)
    assert info.value.field == "chunk"


def test_largest_chunks(codec):
    for chunk, crc in ((65534, True), (65536, False)):
        stream = Packetizer(chunk=chunk, crc=crc).packetize(bytes(chunk + 1), apid=1)
        assert list(split_packets(stream, check_crc=crc).lengths) == [6 + 65536, 6 + 1 + 2 * crc]


@pytest.mark.parametrize("apid", [-1, 0x800])
def test_apid_out_of_range(codec, apid):
    with pytest.raises(FieldRangeError) as info:
        Packetizer().packetize(b"x", apid=apid)
    assert info.value.field == "apid"
