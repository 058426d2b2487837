"""Transfer frames, CLTUs and the CLCW: known answers, round trips and behaviour, both codecs.

Known-answer vectors:
- CCSDS 131.0-B: the TM pseudo-randomizer sequence starts FF 48 0E C0 9A 0D 70 BC.
- CCSDS 231.0-B-4: the TC randomizer sequence starts 1111 1111 0011 1001 1001 1110 0101 1010
  0110 1000 (FF 39 9E 5A 68).
- A randomized CLTU of a 15-octet TC frame (SCID 123, VC 1, no FECF) from an independent
  implementation (dariolucia/ccsds TcEncoderTest), and an unrandomized CLTU of a 26-octet
  segmented frame with FECF from another (a Zephyr CCSDS profile test): both fix the BCH
  parity octets, the 0x55 fill and the tail sequence.
"""

import pytest

from flight.ccsds import CodecError, HeaderError, LengthError, TruncatedError, split_packets
from flight.ccsds.errors import ChecksumError, CodingError
from flight.ccsds.frames import (
    ASM,
    Clcw,
    TcFrame,
    TmDemultiplexer,
    TmFrame,
    TmMultiplexer,
    cltu_decode,
    cltu_encode,
    sync_frames,
    tc_randomize,
    tm_randomize,
)
from flight.ccsds.pus import PusTc

DARIOLUCIA_CLTU = bytes.fromhex(
    "EB90FF429A5468E804BEF6688C29A63957C20255555555555556C5C5C5C5C5C5C579"
)
ZEPHYR_CLTU = bytes.fromhex(
    "eb90007b00191fc0186410c006000b100e16020000010319008800bbe915465555d2c5c5c5c5c5c5c579"
)


def test_randomizer_sequences(codec):
    assert tm_randomize(bytes(8)).hex() == "ff480ec09a0d70bc"
    assert tc_randomize(bytes(5)).hex() == "ff399e5a68"
    # 255-bit period: octet 255 is octet 0 again, and each is its own inverse
    assert tm_randomize(bytes(256))[255] == 0xFF
    data = bytes(range(256)) * 3
    assert tc_randomize(tc_randomize(data)) == data
    assert tm_randomize(tm_randomize(data)) == data


def test_cltu_known_answer_randomized(codec):
    frame = TcFrame(scid=123, vcid=1, seq=0, data=bytes(range(1, 11)))
    raw = frame.pack(fecf=False)
    assert raw.hex() == "007b040e000102030405060708090a"
    assert cltu_encode(raw, randomize=True) == DARIOLUCIA_CLTU
    decoded = cltu_decode(b"\x55\xaa" * 4 + DARIOLUCIA_CLTU + b"\x55", derandomize=True)
    assert (decoded.start, decoded.end, decoded.corrected) == (8, 8 + len(DARIOLUCIA_CLTU), 0)
    assert TcFrame.unpack(decoded.data, fecf=False) == frame


def test_cltu_known_answer_segmented_with_fecf(codec):
    decoded = cltu_decode(ZEPHYR_CLTU)
    frame = TcFrame.unpack(decoded.data, fecf=True, segmented=True)
    assert (frame.scid, frame.vcid, frame.seq, frame.segment) == (0x7B, 0, 0x1F, 0xC0)
    assert frame.data[:6].hex() == "1810c006000b"  # a space packet, APID 0x010
    assert cltu_encode(frame.pack()) == ZEPHYR_CLTU
    assert decoded.data[26:] == b"\x55\x55"


def test_cltu_corrects_every_single_bit_error_and_refuses_two(codec):
    for bit in range(64 * 4):
        bad = bytearray(ZEPHYR_CLTU)
        bad[2 + bit // 8] ^= 0x80 >> (bit % 8)
        decoded = cltu_decode(bytes(bad))
        assert decoded.data == cltu_decode(ZEPHYR_CLTU).data, bit
        assert decoded.corrected == (0 if bit % 64 == 63 else 1), bit  # the filler bit is free
        if bit % 64 != 63:
            with pytest.raises(CodingError) as info:
                cltu_decode(bytes(bad), correct=False)
            assert info.value.offset == 2 + (bit // 64) * 8
    double = bytearray(ZEPHYR_CLTU)
    double[2] ^= 0x81
    with pytest.raises(CodingError) as info:
        cltu_decode(bytes(double))
    assert (info.value.field, info.value.offset) == ("code_block", 2)


def test_cltu_errors(codec):
    with pytest.raises(CodingError, match="no start sequence"):
        cltu_decode(b"\x55" * 40)
    with pytest.raises(TruncatedError) as trunc:
        cltu_decode(ZEPHYR_CLTU[:-1])
    assert trunc.value.field == "code_block"
    with pytest.raises(CodingError, match="no code block"):
        cltu_decode(b"\xeb\x90" + ZEPHYR_CLTU[-8:])
    with pytest.raises(LengthError):
        cltu_encode(b"")


def test_tc_frame_fields_and_checks(codec, assert_codec):
    frame = TcFrame(scid=0x3FF, vcid=63, seq=255, data=b"\x01\x02", segment=0xC5)
    raw = frame.pack()
    assert raw[:6].hex() == "03fffc09ffc5"  # 10 octets: length field 9
    assert TcFrame.unpack(raw, segmented=True) == frame
    unlock = TcFrame.unlock(5, 2)
    assert unlock.pack(fecf=False).hex() == "300508050000"  # BC, SCID 5, VC 2, 6 octets
    assert unlock.command == 0
    set_vr = TcFrame.set_vr(5, 2, 42)
    assert TcFrame.unpack(set_vr.pack()) == set_vr
    assert set_vr.command == 1
    bad_crc = bytearray(raw)
    bad_crc[-1] ^= 1
    with pytest.raises(ChecksumError) as info:
        TcFrame.unpack(bytes(bad_crc), segmented=True)
    assert info.value.field == "frame_error_control"
    assert info.value.offset == len(raw) - 2
    # any other control data field decodes, for the FARM to judge (it may be sealed)
    not_bc = TcFrame(5, 2, 0, b"\x01", bypass=True, control=True)
    assert TcFrame.unpack(not_bc.pack()) == not_bc
    assert not_bc.command is None
    with pytest.raises(CodecError):
        TcFrame(5, 2, 0, b"\x00", bypass=False, control=True).pack()
    with pytest.raises(LengthError):
        TcFrame(5, 2, 0, bytes(1018)).pack()
    assert len(TcFrame(5, 2, 0, bytes(1017)).pack()) == 1024


def test_clcw_known_answer(codec):
    clcw = Clcw(vcid=2, lockout=True, retransmit=True, report_value=0xA5, farm_b_counter=3)
    # type 0, version 0, status 0, COP 1 | VCID 2, spare | flags 0010 1 11 0 | V(R)
    assert clcw.pack().hex() == "01082ea5"
    assert Clcw.unpack(clcw.pack()) == clcw
    assert Clcw.from_ocf(clcw.to_ocf()) == clcw
    with pytest.raises(HeaderError, match="control_word_type"):
        Clcw.unpack(b"\x81\x08\x2e\xa5")


def test_tm_frame_known_answer(codec):
    frame = TmFrame(scid=42, vcid=3, mc_count=1, vc_count=2, first_header_pointer=0,
                    data=b"\x07\xff\xc0\x00\x00\x00\x55", ocf=0x01082EA5)  # fmt: skip
    raw = frame.pack()
    # 00 | 0010 1010 | 011 | 1 -> 02 A7; MC 01; VC 02; status 18 00
    assert raw[:6].hex() == "02a701021800"
    assert raw[13:17].hex() == "01082ea5"
    assert TmFrame.unpack(raw) == frame
    assert frame.clcw == Clcw(vcid=2, lockout=True, retransmit=True, report_value=0xA5,
                              farm_b_counter=3)  # fmt: skip


def _packets(count: int, size: int = 40) -> list[bytes]:
    return [PusTc(apid=100 + i % 5, service=17, subtype=1, app_data=bytes([i]) * (size + i),
                  seq_count=i).pack() for i in range(count)]  # fmt: skip


def test_mux_demux_across_frames_with_idle_fill(codec):
    packets = _packets(12)
    mux = TmMultiplexer(scid=42, vcid=1, frame_length=64, ocf=Clcw(vcid=1).to_ocf())
    frames = mux.frames(b"".join(packets[:5])) + mux.frames(b"".join(packets[5:]))
    frames += mux.frames(flush=True)
    assert len(frames) % 64 == 0
    views = [TmFrame.unpack(frames[i : i + 64]) for i in range(0, len(frames), 64)]
    assert [f.vc_count for f in views] == list(range(len(views)))
    assert views[0].first_header_pointer == 0
    demux = TmDemultiplexer(vcid=1, frame_length=64)
    result = demux.feed(frames)
    assert result.packets == b"".join(packets)
    assert (result.gaps, result.bad, result.dropped) == (0, 0, 0)
    batch = split_packets(result.packets)
    assert batch.count == 12
    idle = mux.frames(flush=True)
    assert TmFrame.unpack(idle).first_header_pointer == 0x7FE
    assert demux.feed(idle).packets == b""


def test_demux_drops_only_what_a_lost_frame_cut(codec):
    packets = _packets(20)
    frames = TmMultiplexer(scid=1, vcid=0, frame_length=100).frames(b"".join(packets), True)
    cut = frames[:300] + frames[400:]  # lose the fourth frame
    result = TmDemultiplexer(vcid=0, frame_length=100).feed(cut)
    assert result.gaps == 1
    got = split_packets(result.packets)
    kept = [bytes(p) for p in got]
    assert all(p in packets for p in kept)
    assert len(kept) >= len(packets) - 2
    assert kept == [p for p in packets if p in kept]


def test_sync_finds_frames_in_noise(codec):
    frames = TmMultiplexer(scid=1, vcid=0, frame_length=50).frames(b"".join(_packets(6)), True)
    wire = bytearray(b"\x1a\xcf\xfc" + bytes(7))
    for i in range(0, len(frames), 50):
        wire += b"\x1a\xcf" + ASM + frames[i : i + 50]
    wire += ASM + frames[:10]
    found = sync_frames(bytes(wire), 50, check_fecf=True)
    assert found.count == len(frames) // 50
    assert [bytes(wire[o : o + 50]) for o in found.offsets] == [
        bytes(frames[i : i + 50]) for i in range(0, len(frames), 50)
    ]
    assert found.consumed == len(wire) - 14
    assert found.skipped == found.consumed - found.count * 54
