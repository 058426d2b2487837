"""Hostile input: truncations, length fields at their edges, bit flips, garbage.

Every decoder must answer with a `CodecError` subclass naming a field and an offset: never
another exception (a reachable crash), and never an accept of something that is not exactly
what was packed. Most flight-software parser CVEs live here.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flight.ccsds import (
    CodecError,
    CucTime,
    FramingError,
    PusTc,
    PusTm,
    SpacePacketHeader,
    cobs_decode,
    cobs_encode,
    crc16,
    split_packets,
)

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

TCS = [
    PusTc(apid=100, service=17, subtype=1),
    PusTc(apid=0x7FF, service=8, subtype=1, app_data=b"\x00\x01\xff" * 5, seq_count=0x3FFF),
]
TIMES = [
    CucTime(coarse=0x01020304, fine=0x0506),
    CucTime(coarse=42, pfield=True, time_code_id=2),
    CucTime(coarse=5, fine=6, coarse_octets=6, fine_octets=5, pfield=True),
    CucTime(coarse=1, fine=0, coarse_octets=1, fine_octets=0),
]
TMS = [PusTm(apid=5, service=3, subtype=25, source_data=b"hk\x00", time=t) for t in TIMES]


def _time_kwargs(time: CucTime) -> dict:
    if time.pfield:
        return {"pfield": True}
    return {"coarse_octets": time.coarse_octets, "fine_octets": time.fine_octets}


def _decoders():
    """(name, raw, decode) for one valid input of every kind."""
    out = [(f"tc{i}", tc.pack(), PusTc.unpack) for i, tc in enumerate(TCS)]
    for i, tm in enumerate(TMS):
        kwargs = _time_kwargs(tm.time)
        out.append((f"tm{i}", tm.pack(), lambda d, kw=kwargs: PusTm.unpack(d, **kw)))
    for i, t in enumerate(TIMES):
        kwargs = _time_kwargs(t)
        out.append((f"cuc{i}", t.pack(), lambda d, kw=kwargs: CucTime.unpack(d, **kw)))
    out.append(("header", TCS[1].pack()[:6], SpacePacketHeader.unpack))
    return out


DECODERS = _decoders()


def attempt(call, *args):
    """Return (result, None) or (None, the CodecError raised); anything else propagates."""
    try:
        return call(*args), None
    except CodecError as exc:
        return None, exc


def assert_typed(exc: CodecError) -> None:
    assert type(exc) is not CodecError, "raise a subclass that says what kind of error"
    assert isinstance(exc.field, str)
    assert exc.field
    assert isinstance(exc.offset, int)


def rejected(call, *args):
    """Call and return the typed error it raised; fail on an accept or an untyped error."""
    result, exc = attempt(call, *args)
    if exc is None:
        pytest.fail(f"accepted hostile input: {result!r}")
    assert_typed(exc)
    return exc


def _crc_ok(raw: bytes | bytearray) -> bool:
    return crc16(raw) == 0


def _reseal(raw: bytes | bytearray) -> bytes:
    body = bytes(raw[:-2])
    return body + crc16(body).to_bytes(2, "big")


@pytest.mark.parametrize(("name", "raw", "decode"), DECODERS, ids=[d[0] for d in DECODERS])
def test_every_truncation_is_a_typed_error(codec, name, raw, decode):
    assert decode(raw).pack() == raw
    for size in range(len(raw)):
        rejected(decode, raw[:size])


@pytest.mark.parametrize(("name", "raw", "decode"), DECODERS[: len(TCS) + len(TMS)])
def test_every_extension_is_a_typed_error(codec, name, raw, decode):
    for extra in (b"\x00", b"\xff" * 7):
        rejected(decode, raw + extra)


def _length_values(true_value: int, minimum: int) -> list[int]:
    values = {0, 1, minimum - 1, minimum, minimum + 1, true_value - 1, true_value}
    values |= {true_value + 1, 0xFFFE, 0xFFFF}
    return sorted(v for v in values if 0 <= v <= 0xFFFF)


def _tm_decoder(tm: PusTm):
    kwargs = _time_kwargs(tm.time)
    return lambda data: PusTm.unpack(data, **kwargs)


PACKETS = [(tc.pack(), PusTc.unpack, 5 + 2 - 1) for tc in TCS]
PACKETS += [(tm.pack(), _tm_decoder(tm), 7 + tm.time.length + 1) for tm in TMS]


@pytest.mark.parametrize(("raw", "decode", "minimum"), PACKETS)
def test_packet_data_length_at_its_edges(codec, raw, decode, minimum):
    true_value = len(raw) - 7
    for value in _length_values(true_value, minimum):
        for reseal in (False, True):
            bad = bytearray(raw)
            bad[4:6] = value.to_bytes(2, "big")
            if reseal:
                bad = _reseal(bad)
            if value == true_value:
                assert decode(bytes(bad)).pack() == bytes(bad)
            else:
                rejected(decode, bytes(bad))
            # the stream splitter never raises on it, whatever it makes of it
            batch = split_packets(bytes(bad) + raw, check_crc=reseal)
            assert batch.consumed <= len(bad) + len(raw)


@pytest.mark.parametrize("time_len", [-1, 65, 0xFFFF, 1 << 40])
def test_tm_time_length_argument_out_of_range(codec, time_len):
    exc = rejected(codec.pus_tm_unpack, TMS[0].pack(), time_len)
    assert exc.field == "time_len"


@pytest.mark.parametrize("time_len", [10, 11, 64])
def test_tm_time_length_longer_than_the_packet(codec, time_len):
    # TMS[0] has 6 time and 3 source data octets: a time field over 9 octets cannot fit
    # (a shorter one is not detectable here: the source data absorbs the difference)
    exc = rejected(codec.pus_tm_unpack, TMS[0].pack(), time_len)
    assert exc.field == "packet_data_length"


@pytest.mark.parametrize("count", [-1, 0, 8, 0xFFFF, 1 << 70])
def test_coarse_octet_count_arguments_out_of_range(codec, count):
    assert rejected(codec.cuc_unpack, bytes(20), 0, count, 2, False).field == "coarse_octets"
    assert rejected(codec.cuc_pack, 0, 0, count, 2, True, 1).field == "coarse_octets"


@pytest.mark.parametrize("count", [-1, 8, 0xFFFF, 1 << 70])
def test_fine_octet_count_arguments_out_of_range(codec, count):
    assert rejected(codec.cuc_unpack, bytes(20), 0, 4, count, False).field == "fine_octets"
    assert rejected(codec.cuc_pack, 0, 0, 4, count, False, 1).field == "fine_octets"


def _pfield_time(raw: bytes) -> CucTime:
    return CucTime.unpack(raw, pfield=True)


def _check_pfield_decode(raw: bytes, time: CucTime) -> None:
    """An accepted P-field time must read exactly the octets the standard's layout names.

    (An extended P-field whose second octet adds no octets is accepted and re-packs in the
    shorter canonical form, so byte identity is not required here.)
    """
    first = raw[0]
    coarse, fine = (first >> 2 & 3) + 1, first & 3
    start = 1
    if first & 0x80:
        coarse += raw[1] >> 5 & 3
        fine += raw[1] >> 2 & 7
        start = 2
    assert (time.coarse_octets, time.fine_octets) == (coarse, fine)
    assert fine <= 7
    assert start + coarse + fine == len(raw)
    assert time.coarse == int.from_bytes(raw[start : start + coarse], "big")
    assert time.fine == int.from_bytes(raw[start + coarse :], "big")
    assert time.time_code_id == first >> 4 & 7


@pytest.mark.parametrize("first", range(256))
def test_every_first_pfield_octet(codec, first):
    # each P-field value with as many T-field octets as it could ever need, fewer and more
    for size in (0, 1, 2, 5, 8, 16, 20):
        raw = bytes([first]) + bytes(range(1, size + 1))
        time, exc = attempt(_pfield_time, raw)
        if exc is not None:
            assert_typed(exc)
            continue
        _check_pfield_decode(raw, time)


@pytest.mark.parametrize("second", range(256))
def test_every_second_pfield_octet(codec, second):
    for first in (0x9F, 0x80 | 0x10):
        for size in (0, 4, 13, 17, 30):
            raw = bytes([first, second]) + bytes(size)
            time, exc = attempt(_pfield_time, raw)
            if exc is not None:
                assert_typed(exc)
                continue
            _check_pfield_decode(raw, time)


@pytest.mark.parametrize("code", range(256))
def test_every_cobs_code(codec, code):
    for size in sorted({0, 1, max(code - 2, 0), max(code - 1, 0), code, 254, 255}):
        for fill in (b"\x01", b"\x00"):
            frame = bytes([code]) + fill * size
            decoded, exc = attempt(cobs_decode, frame)
            if exc is not None:
                assert type(exc) is FramingError
                assert 0 <= exc.offset < len(frame)
                continue
            assert code != 0
            assert 0 not in frame
            assert cobs_encode(decoded) == frame or cobs_decode(cobs_encode(decoded)) == decoded
            assert len(decoded) <= len(frame)


@pytest.mark.parametrize(("raw", "decode", "minimum"), PACKETS)
def test_every_bit_flip_is_rejected(codec, raw, decode, minimum):
    for bit in range(len(raw) * 8):
        bad = bytearray(raw)
        bad[bit // 8] ^= 0x80 >> (bit % 8)
        rejected(decode, bytes(bad))


@SETTINGS
@given(st.binary(max_size=64), st.booleans())
def test_garbage_into_every_decoder(codec, data, pfield):
    for call in (
        PusTc.unpack,
        PusTm.unpack,
        lambda d: PusTm.unpack(d, pfield=pfield),
        lambda d: CucTime.unpack(d, pfield=pfield),
        SpacePacketHeader.unpack,
        cobs_decode,
    ):
        _, exc = attempt(call, data)
        if exc is not None:
            assert_typed(exc)


@SETTINGS
@given(st.sampled_from([r for r, _, _ in PACKETS]), st.data())
def test_mutated_packets_are_rejected_or_exact(codec, raw, data):
    bad = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(bad) - 1))
        bad[position] = data.draw(st.integers(0, 255))
    reseal = data.draw(st.booleans())
    if reseal:
        bad = bytearray(_reseal(bad))
    decoders = (
        (PusTc.unpack, False),
        (PusTm.unpack, False),
        (lambda data: PusTm.unpack(data, pfield=True), True),
    )
    for call, pfield in decoders:
        decoded, exc = attempt(call, bytes(bad))
        if exc is not None:
            assert_typed(exc)
            continue
        assert _crc_ok(bad)
        header = SpacePacketHeader.unpack(bad)
        assert (decoded.apid, decoded.seq_count) == (header.apid, header.seq_count)
        assert decoded.seq_flags == header.seq_flags
        if pfield:
            _check_pfield_decode(bytes(bad[13 : 13 + len(bad) - 15 - len(decoded.source_data)]),
                                 decoded.time)  # fmt: skip
            assert bytes(bad[-2 - len(decoded.source_data) : -2]) == decoded.source_data
        else:
            assert decoded.pack() == bytes(bad)
