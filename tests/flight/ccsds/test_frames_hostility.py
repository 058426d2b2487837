"""Frames under hostile input: every truncation, length fields at their edges, bit flips.

Every decoder answers with a typed `CodecError` naming a field and an offset, never another
exception, and never accepts a damaged frame as the one that was packed.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flight.ccsds import CodecError, LengthError, TruncatedError
from flight.ccsds.errors import ChecksumError, CodingError
from flight.ccsds.frames import (
    Clcw,
    TcFrame,
    TmDemultiplexer,
    TmFrame,
    TmMultiplexer,
    cltu_decode,
    cltu_encode,
)

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TC = TcFrame(scid=123, vcid=5, seq=9, data=b"\x18\x10\xc0\x06\x00\x01\xaa\xbb", segment=0xC0)
TM = TmFrame(scid=42, vcid=3, mc_count=7, vc_count=9, first_header_pointer=2,
             data=b"\x00\x01\x07\xff\xc0\x00\x00\x00\x55", ocf=Clcw(vcid=5).to_ocf())  # fmt: skip


def typed(exc: CodecError) -> None:
    assert type(exc) is not CodecError
    assert exc.field
    assert isinstance(exc.offset, int)


def test_every_truncation_is_a_typed_error(codec):
    tc = TC.pack()
    tm = TM.pack()
    cltu = cltu_encode(tc)
    for n in range(len(tc)):
        with pytest.raises(TruncatedError) as info:
            TcFrame.unpack(tc[:n], segmented=True)
        typed(info.value)
    for n in range(len(tm)):
        with pytest.raises(CodecError) as info:
            TmFrame.unpack(tm[:n])
        typed(info.value)  # short frames fail their length or their FECF
    for n in range(len(cltu)):
        with pytest.raises((TruncatedError, CodingError)) as info:
            cltu_decode(cltu[:n])
        typed(info.value)
    for n in range(4):
        with pytest.raises(TruncatedError):
            Clcw.unpack(Clcw().pack()[:n])


def test_tc_frame_length_field_at_every_value(codec):
    tc = bytearray(TC.pack(fecf=False))
    for value in range(1024):
        raw = bytearray(tc)
        raw[2] = (raw[2] & 0xFC) | (value >> 8)
        raw[3] = value & 0xFF
        if value + 1 < 7 or value + 1 > len(tc):
            with pytest.raises((LengthError, TruncatedError)) as info:
                TcFrame.unpack(bytes(raw), fecf=False, segmented=True)
            typed(info.value)
            continue
        frame = TcFrame.unpack(
            bytes(raw), fecf=False, segmented=True
        )  # only lengths inside the buffer decode
        assert len(frame.data) == value + 1 - 6


def test_tm_first_header_pointer_at_every_value(codec):
    raw = bytearray(TM.pack(fecf=False))
    for fhp in range(0x800):
        raw[4] = 0x18 | (fhp >> 8)
        raw[5] = fhp & 0xFF
        if len(TM.data) <= fhp < 0x7FE:
            with pytest.raises(LengthError) as info:
                TmFrame.unpack(bytes(raw), fecf=False)
            assert info.value.field == "first_header_pointer"
            continue
        assert TmFrame.unpack(bytes(raw), fecf=False).first_header_pointer == fhp


def test_every_single_bit_flip_is_refused_by_the_fecf(codec):
    for raw, decode in ((TC.pack(), lambda d: TcFrame.unpack(d, segmented=True)),
                        (TM.pack(), TmFrame.unpack)):  # fmt: skip
        for bit in range(len(raw) * 8):
            bad = bytearray(raw)
            bad[bit // 8] ^= 0x80 >> (bit % 8)
            with pytest.raises(CodecError) as info:
                decode(bytes(bad))
            typed(info.value)
            if bit // 8 >= 6:
                assert isinstance(info.value, ChecksumError)


@SETTINGS
@given(data=st.binary(max_size=300), fecf=st.booleans(), segmented=st.booleans())
def test_garbage_never_escapes_as_another_exception(codec, data, fecf, segmented):
    for call in (
        lambda: TcFrame.unpack(data, fecf, segmented),
        lambda: TmFrame.unpack(data, fecf),
        lambda: cltu_decode(data),
        lambda: Clcw.unpack(data),
        lambda: TmDemultiplexer(vcid=3, frame_length=30, fecf=fecf).feed(
            data[: len(data) // 30 * 30]
        ),
    ):
        try:
            call()
        except CodecError as exc:
            typed(exc)


@SETTINGS
@given(flips=st.lists(st.integers(0, 10_000), max_size=6))
def test_demux_of_damaged_frames_yields_only_real_packets(codec, flips):
    stream = b"".join(
        bytes.fromhex("1864c000") + bytes([0, 20 + i]) + bytes([i]) * (21 + i) for i in range(8)
    )
    frames = bytearray(TmMultiplexer(scid=1, vcid=2, frame_length=40).frames(stream, True))
    for flip in flips:
        frames[flip % len(frames)] ^= 1 << (flip % 8)
    result = TmDemultiplexer(vcid=2, frame_length=40).feed(frames)
    out = result.packets
    pos = 0
    while pos < len(out):  # every octet out belongs to a packet that went in, whole
        size = ((out[pos + 4] << 8) | out[pos + 5]) + 7
        assert bytes(out[pos : pos + size]) in stream
        pos += size
