"""Frames: the C backend against the pure twin, identical results or identical errors."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flight.ccsds import CodecError, pure

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
EDGES = [-(2**63), -2, -1, 0, 1, 2, 3, 6, 7, 8, 63, 64, 0xFF, 0x100, 0x3FF, 0x400, 0x7FE, 0x7FF]
EDGES += [0x800, 1023, 1024, 1025, 2047, 2048, 2049, 0xFFFFFFFF, 2**32, 2**63 - 1, 2**64]
ints = st.integers(-2, 300) | st.sampled_from(EDGES)
flags = st.booleans() | st.sampled_from([0, 1, 2])
FRAME_LENGTHS = st.sampled_from([0, 12, 19, 20, 21, 64, 2048, 2049])


def _normal(value):
    if isinstance(value, tuple):
        return tuple(_normal(item) for item in value)
    if isinstance(value, memoryview) or hasattr(value, "typecode"):
        return list(value)
    if isinstance(value, (bytes, bytearray)):
        return (type(value).__name__, bytes(value))
    return value


def _outcome(backend, name, *args):
    try:
        return ("ok", _normal(getattr(backend, name)(*args)))
    except CodecError as exc:
        return (type(exc).__name__, str(exc), exc.field, exc.offset, exc.expected, exc.actual)


def same(c_backend, name, *args):
    assert _outcome(c_backend, name, *args) == _outcome(pure, name, *args), name


@st.composite
def tc_frames(draw):
    control = draw(st.booleans())
    data = (
        draw(st.sampled_from([b"\x00", b"\x82\x00\x07"]))
        if control
        else draw(st.binary(min_size=1, max_size=40))
    )
    segment = -1 if control else draw(st.integers(-1, 255))
    bypass = int(control) or draw(st.integers(0, 1))
    ids = (draw(st.integers(0, 0x3FF)), draw(st.integers(0, 63)), draw(st.integers(0, 255)))
    return pure.tc_frame_pack(bypass, int(control), *ids, segment, data, draw(st.booleans()))


@st.composite
def tm_streams(draw):
    frame_length = draw(st.sampled_from([19, 20, 33, 64, 200]))
    packets = draw(st.lists(st.binary(max_size=90), max_size=8))
    stream = b"".join(pure.pus_tc_pack(5, 3, i, 15, 17, 1, 0, p) for i, p in enumerate(packets))
    fecf = draw(st.booleans())
    frames = pure.tm_mux(stream, 0, 7, 2, 0, 0, frame_length, -1, fecf, True)[0]
    return frames, frame_length, fecf


@st.composite
def mutated(draw, base):
    data = bytearray(draw(base))
    for _ in range(draw(st.integers(0, 3))):
        if data and draw(st.booleans()):
            data[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
        elif data:
            del data[draw(st.integers(0, len(data) - 1)) :]
    return bytes(data)


@SETTINGS
@given(data=mutated(tc_frames()) | st.binary(max_size=40), fecf=flags, segmented=flags)
def test_tc_frame_unpack(c_backend, data, fecf, segmented):
    same(c_backend, "tc_frame_unpack", data, fecf, segmented)
    same(c_backend, "tc_frame_unpack", bytearray(data), fecf, segmented)
    same(c_backend, "cltu_encode", data, fecf)


@SETTINGS
@given(
    args=st.tuples(ints, ints, ints, ints, ints, ints), data=st.binary(max_size=1030), fecf=flags
)
def test_tc_frame_pack(c_backend, args, data, fecf):
    same(c_backend, "tc_frame_pack", *args, data, fecf)


@SETTINGS
@given(fields=st.tuples(*[ints] * 10), data=st.binary(max_size=8), offset=ints)
def test_clcw(c_backend, fields, data, offset):
    same(c_backend, "clcw_pack", *fields)
    same(c_backend, "clcw_unpack", data, offset)


@SETTINGS
@given(frame=mutated(tc_frames()), correct=flags, randomize=flags, junk=st.binary(max_size=4))
def test_cltu(c_backend, frame, correct, randomize, junk):
    cltu = pure.cltu_encode(frame, randomize) if frame else b""
    same(c_backend, "cltu_decode", junk + cltu, correct, randomize)
    noisy = bytearray(junk + cltu)
    if len(noisy) > 3:
        noisy[len(noisy) // 2] ^= 0x11
    same(c_backend, "cltu_decode", bytes(noisy), correct, randomize)
    same(c_backend, "tc_randomize", frame)
    same(c_backend, "tm_randomize", memoryview(frame))


@SETTINGS
@given(stream=tm_streams(), cut=st.integers(0, 3), bad=st.integers(0, 400), vcid=ints,
       expected=ints, carry=st.binary(max_size=12))  # fmt: skip
def test_tm_frames_sync_and_demux(c_backend, stream, cut, bad, vcid, expected, carry):  # noqa: PLR0917
    frames, frame_length, fecf = stream
    damaged = bytearray(frames)
    if damaged:
        damaged[bad % len(damaged)] ^= 0x40
    for n in range(0, len(frames), frame_length):
        same(c_backend, "tm_frame_unpack", bytes(damaged[n : n + frame_length - cut]), fecf)
    same(c_backend, "tm_demux", bytes(damaged), frame_length, fecf, vcid % 9, expected, carry)
    wire = b"".join(b"\x1a\xcf\xfc\x1d" + damaged[n : n + frame_length] + b"\x1a"
                    for n in range(0, len(frames), frame_length))  # fmt: skip
    same(c_backend, "tm_sync", wire, frame_length, fecf)
    same(c_backend, "tm_sync", wire, frame_length - cut, not fecf)


@SETTINGS
@given(args=st.tuples(ints, ints, ints, ints, ints, ints), data=st.binary(max_size=40), fecf=flags)
def test_tm_frame_pack(c_backend, args, data, fecf):
    same(c_backend, "tm_frame_pack", *args[:5], data, args[5], fecf)


@SETTINGS
@given(packets=st.lists(st.binary(max_size=70), max_size=6), lead=ints,
       fields=st.tuples(*[ints] * 5), frame_length=FRAME_LENGTHS | ints, fecf=flags,
       flush=flags, junk=st.binary(max_size=3))  # fmt: skip
def test_tm_mux(c_backend, packets, lead, fields, frame_length, fecf, flush, junk):  # noqa: PLR0917
    stream = junk + b"".join(pure.pus_tc_pack(9, 3, 0, 15, 1, 1, 0, p) for p in packets)
    scid, vcid, mc, vc, ocf = fields
    same(c_backend, "tm_mux", stream, lead, scid, vcid, mc, vc, frame_length, ocf, fecf, flush)
    same(c_backend, "tm_mux", stream, len(junk), 42, vcid % 8, mc % 256, vc % 256, frame_length,
         -1, fecf, flush)  # fmt: skip
