"""The C backend against the pure twin: identical results or identical errors, for any input.

"Identical errors" means the same class, field, offset, expected and actual. Arrays and
views are compared by their items, octet strings by value.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flight.ccsds import CodecError, CucTime, PusTc, PusTm, SequenceFlags, pure
from tests.support.ccsds import cuc_times, pus_tcs, pus_tms

SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

EDGES = [0, 1, 2, 3, 4, 6, 7, 8, 15, 16, 64, 65, 0xFF, 0x100, 0x7FF, 0x800, 0x3FFF, 0x4000]
EDGES += [0xFFFE, 0xFFFF, 0x10000, 65534, 65536, 65542, 65543, 2**32, 2**63 - 1, 2**63, 2**64]
ints = (
    st.integers(-2, 0x10002)
    | st.sampled_from(EDGES + [-e for e in EDGES])
    | st.integers(-(2**70), 2**70)
)
small_ints = st.integers(-3, 80) | st.sampled_from(EDGES)
flags = st.booleans() | st.sampled_from([0, 1, 2, -1])

valid_packets = (
    pus_tcs.map(PusTc.pack)
    | pus_tms().map(PusTm.pack)
    | st.builds(lambda c, a: pure.packetize(bytes(a), c, 0, 50)[0], st.integers(0, 0x7FF),
                st.binary(max_size=120))
)  # fmt: skip


@st.composite
def mutated(draw, base=valid_packets):
    """A valid input with a few octets changed, inserted or cut."""
    data = bytearray(draw(base))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["set", "flip", "cut", "insert", "truncate"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "set" and data:
            data[position] = draw(st.integers(0, 255))
        elif kind == "flip" and data:
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif kind == "cut" and data:
            del data[position]
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=3))
        elif kind == "truncate":
            del data[position:]
    return bytes(data)


buffers = st.binary(max_size=80) | mutated() | st.lists(mutated(), max_size=4).map(b"".join)
cuc_octets = cuc_times().map(CucTime.pack)


def _normal(value):
    """Comparable form of a result: arrays and views become lists, octets become bytes."""
    if isinstance(value, tuple | list):
        return tuple(_normal(v) for v in value)
    if isinstance(value, bytes | bytearray):
        return ("octets", bytes(value))
    if isinstance(value, bool | int | str | float) or value is None:
        return value
    return ("items", list(value))  # array.array, memoryview, or another array-like


def _outcome(backend, name, args):
    try:
        return ("ok", _normal(getattr(backend, name)(*args)))
    except CodecError as exc:
        return ("error", type(exc).__name__, exc.field, exc.offset, exc.expected, exc.actual)


def same(c_backend, name, *args):
    python = _outcome(pure, name, args)
    c = _outcome(c_backend, name, args)
    assert c == python, f"{name}{args!r}"


# ---- decoders and batch functions ----


@SETTINGS
@given(buffers | st.binary(max_size=300), ints.filter(lambda v: 0 <= v <= 0xFFFF) | ints)
def test_crc16(c_backend, data, crc):
    same(c_backend, "crc16", data, crc)


@SETTINGS
@given(buffers, small_ints)
def test_unpack_header(c_backend, data, offset):
    same(c_backend, "unpack_header", data, offset)


@SETTINGS
@given(buffers)
def test_pus_tc_unpack(c_backend, data):
    same(c_backend, "pus_tc_unpack", data)


@SETTINGS
@given(buffers, small_ints)
def test_pus_tm_unpack(c_backend, data, time_len):
    same(c_backend, "pus_tm_unpack", data, time_len)


@SETTINGS
@given(
    cuc_octets | mutated(cuc_octets) | st.binary(max_size=20),
    st.tuples(small_ints, small_ints, small_ints, flags),
)
def test_cuc_unpack(c_backend, data, args):
    same(c_backend, "cuc_unpack", data, *args)


@SETTINGS
@given(st.binary(max_size=600) | mutated(st.binary(max_size=400).map(pure.cobs_encode)))
def test_cobs(c_backend, data):
    same(c_backend, "cobs_decode", data)
    same(c_backend, "cobs_encode", data)


@SETTINGS
@given(buffers, st.integers(7, 200) | st.sampled_from([*EDGES, -1, 5, 6]), flags)
def test_split(c_backend, buf, max_length, check_crc):
    same(c_backend, "split", buf, max_length, check_crc)


def test_split_on_every_buffer_type(c_backend):
    stream = b"\xff" + PusTc(apid=1, service=17, subtype=1).pack() * 3 + b"\x00\x01"
    for form in (stream, bytearray(stream), memoryview(stream), memoryview(stream)[1:]):
        same(c_backend, "split", form, 65542, True)


@SETTINGS
@given(st.binary(max_size=400), st.tuples(ints, ints, small_ints | ints, flags, flags))
def test_packetize(c_backend, payload, args):
    same(c_backend, "packetize", payload, *args)


@SETTINGS
@given(st.binary(max_size=300), st.integers(0, 0x7FF), st.integers(0, 0x3FFF), st.integers(1, 80))
def test_packetize_in_range(c_backend, payload, apid, seq_count, chunk):
    same(c_backend, "packetize", payload, apid, seq_count, chunk, 0, True)


# ---- packers, with arguments in and out of range ----


@SETTINGS
@given(st.tuples(flags, flags, ints, ints, ints, ints))
def test_pack_header(c_backend, args):
    same(c_backend, "pack_header", *args)


@SETTINGS
@given(st.lists(ints, min_size=7, max_size=7), st.binary(max_size=40))
def test_pus_tc_pack(c_backend, fields, app_data):
    same(c_backend, "pus_tc_pack", *fields, app_data)


@SETTINGS
@given(pus_tcs)
def test_pus_tc_pack_in_range(c_backend, tc):
    args = (tc.apid, int(tc.seq_flags), tc.seq_count, tc.ack_flags, tc.service, tc.subtype)
    same(c_backend, "pus_tc_pack", *args, tc.source_id, tc.app_data)


@SETTINGS
@given(st.lists(ints, min_size=8, max_size=8), cuc_octets | st.binary(max_size=70),
       st.binary(max_size=40))  # fmt: skip
def test_pus_tm_pack(c_backend, fields, time, source_data):
    same(c_backend, "pus_tm_pack", *fields, time, source_data)


@SETTINGS
@given(pus_tms())
def test_pus_tm_pack_in_range(c_backend, tm):
    args = (tm.apid, int(tm.seq_flags), tm.seq_count, tm.time_ref_status, tm.service, tm.subtype)
    args += (tm.msg_counter, tm.dest_id, tm.time.pack(), tm.source_data)
    same(c_backend, "pus_tm_pack", *args)


@SETTINGS
@given(st.tuples(ints, ints, small_ints, small_ints, flags, small_ints))
def test_cuc_pack(c_backend, args):
    same(c_backend, "cuc_pack", *args)


@SETTINGS
@given(cuc_times())
def test_cuc_pack_in_range(c_backend, t):
    args = (t.coarse, t.fine, t.coarse_octets, t.fine_octets, t.pfield, t.time_code_id)
    same(c_backend, "cuc_pack", *args)


@pytest.mark.parametrize("size", [65529, 65530])
def test_largest_packets(c_backend, size):
    same(c_backend, "pus_tc_pack", 1, 3, 0, 15, 1, 1, 0, bytes(size))
    same(c_backend, "pus_tm_pack", 1, 3, 0, 0, 1, 1, 0, 0, bytes(6), bytes(size - 6 - 2))
    tc = pure.pus_tc_pack(1, 3, 0, 15, 1, 1, 0, bytes(65529))
    same(c_backend, "pus_tc_unpack", tc)
    same(c_backend, "split", tc * 2 + tc[:100], 65542, True)


# ---- the API's per-packet path (struct and one CRC call) against the backend decoding ----


def _api_outcome(call):
    try:
        value = call()
    except CodecError as exc:
        return ("error", type(exc).__name__, exc.field, exc.offset, exc.expected, exc.actual)
    except (TypeError, ValueError, AttributeError, IndexError) as exc:
        return ("raised", type(exc).__name__)
    if isinstance(value, PusTc | PusTm):
        return ("ok", repr(value), value.pack())
    return ("ok", _normal(value))


def _tc_from_backend(codec, data):
    apid, flags, count, ack, service, subtype, source, start, size = codec.pus_tc_unpack(data)
    tc = PusTc(apid, service, subtype, bytes(data[start : start + size]), count, source, ack)
    return tc._replace(seq_flags=SequenceFlags(flags))


_forms = st.sampled_from([bytes, bytearray, memoryview, lambda b: memoryview(bytearray(b))])
tc_packets = pus_tcs.map(PusTc.pack)


@SETTINGS
@given(tc_packets | mutated(tc_packets) | buffers, _forms)
def test_api_tc_unpack_decodes_and_fails_as_the_backend(codec, data, form):
    """Same value or same error (class, field, offset, expected, actual) as the backend's."""
    given_data = form(data)
    api = _api_outcome(lambda: PusTc.unpack(given_data))
    backend = _api_outcome(lambda: _tc_from_backend(codec, form(data)))
    assert api == backend


@pytest.mark.parametrize(
    "data",
    [
        memoryview(bytes(40)).cast("H"),  # items of two octets: the backend decides
        memoryview(bytearray(PusTc(apid=5, service=17, subtype=1).pack()))[::1],
        memoryview(PusTc(apid=5, service=17, subtype=1).pack() * 2)[::2],
        bytes(PusTc(apid=5, service=17, subtype=1, app_data=b"x").pack())[:-1],
    ],
)
def test_api_tc_unpack_leaves_odd_buffers_to_the_backend(codec, data):
    assert _api_outcome(lambda: PusTc.unpack(data)) == _api_outcome(
        lambda: _tc_from_backend(codec, data)
    )


# mostly in range, so that most draws construct and reach pack()
odd_values = st.integers(0, 0x0F) | st.integers(0, 0xFF) | ints
odd_values |= st.sampled_from([True, False, 1.0, 2.5, -0.0, 0x7FF, 0x800, 0x3FFF, 0x4000])
odd_flags = st.sampled_from([*SequenceFlags, 0, 3, 4, -1, 2**14, True, 3.0])


@SETTINGS
@given(st.lists(odd_values, min_size=6, max_size=6), odd_flags, st.binary(max_size=40))
def test_api_tc_pack_packs_or_fails_as_the_backend(codec, fields, seq_flags, app_data):
    apid, service, subtype, seq_count, source_id, ack_flags = fields
    try:
        tc = PusTc(apid, service, subtype, app_data, seq_count, source_id, ack_flags, seq_flags)
    except CodecError:
        return  # refused at construction, before any packing
    args = (apid, seq_flags, seq_count, ack_flags, service, subtype, source_id, app_data)
    want = _api_outcome(lambda: codec.pus_tc_pack(*args[:1], int(seq_flags), *args[2:]))
    assert _api_outcome(tc.pack) == want


@SETTINGS
@given(
    st.lists(odd_values, min_size=7, max_size=7),
    odd_flags,
    cuc_times(),
    st.binary(max_size=40) | st.sampled_from([bytes(65520), bytes(65527), bytes(65528)]),
)
def test_api_tm_pack_packs_or_fails_as_the_backend(codec, fields, seq_flags, time, source_data):
    apid, service, subtype, seq_count, msg_counter, dest_id, time_ref = fields
    try:
        tm = PusTm(
            apid, service, subtype, source_data, seq_count, msg_counter, dest_id, time,
            time_ref, seq_flags,
        )  # fmt: skip
    except CodecError:
        return  # refused at construction, before any packing
    args = (apid, int(seq_flags), seq_count, time_ref, service, subtype, msg_counter, dest_id)
    want = _api_outcome(lambda: codec.pus_tm_pack(*args, time.pack(), source_data))
    assert _api_outcome(tm.pack) == want


def test_common_packets_take_the_api_path(codec, monkeypatch):
    """Valid packets never reach the backend's per-packet functions, only its crc16."""
    tc = PusTc(apid=100, service=17, subtype=1, app_data=b"ping", seq_count=9)
    tm = PusTm(apid=100, service=17, subtype=2, source_data=b"pong", time=CucTime(7, 8))
    tc_raw = pure.pus_tc_pack(100, 3, 9, 15, 17, 1, 0, b"ping")
    tm_raw = pure.pus_tm_pack(100, 3, 0, 0, 17, 2, 0, 0, tm.time.pack(), b"pong")
    for name in ("pus_tc_pack", "pus_tc_unpack", "pus_tm_pack"):
        monkeypatch.setattr(codec, name, None)
    assert tc.pack() == tc_raw
    assert tm.pack() == tm_raw
    for form in (bytes, bytearray, memoryview):
        assert PusTc.unpack(form(tc_raw)) == tc
