"""CCSDS transfer frames as values, on whichever codec backend `flight.ccsds` selected.

TC frames (232.0-B-4) with the COP-1 control commands, the CLCW (232.1-B-2), CLTUs
(231.0-B-4), TM frames (132.0-B-3) with ASM synchronisation, and a per-virtual-channel
multiplexer and demultiplexer that carry space packets across frame boundaries.

>>> frame = TcFrame(scid=123, vcid=1, seq=0, data=bytes(range(1, 11)))
>>> TcFrame.unpack(cltu_decode(cltu_encode(frame.pack())).data) == frame
True
"""

from dataclasses import dataclass, field
from typing import Any

from flight.ccsds.errors import CodingError
from flight.ccsds.selection import codec

__all__ = [
    "ASM",
    "Clcw",
    "CltuDecoded",
    "CodingError",
    "DemuxResult",
    "FrameSync",
    "TcFrame",
    "TmDemultiplexer",
    "TmFrame",
    "TmMultiplexer",
    "cltu_decode",
    "cltu_encode",
    "sync_frames",
    "tc_randomize",
    "tm_randomize",
]

ASM = b"\x1a\xcf\xfc\x1d"
UNLOCK = 0
SET_VR = 1
_Buffer = bytes | bytearray | memoryview


@dataclass(frozen=True)
class Clcw:
    """The Communications Link Control Word that FARM-1 reports in the TM OCF."""

    vcid: int = 0
    lockout: bool = False
    wait: bool = False
    retransmit: bool = False
    report_value: int = 0
    farm_b_counter: int = 0
    no_rf_available: bool = False
    no_bit_lock: bool = False
    status: int = 0
    cop_in_effect: int = 1

    def pack(self) -> bytes:
        """Return the 4 octets."""
        return codec.clcw_pack(  # type: ignore[no-any-return]
            self.status, self.cop_in_effect, self.vcid, int(self.no_rf_available),
            int(self.no_bit_lock), int(self.lockout), int(self.wait), int(self.retransmit),
            self.farm_b_counter, self.report_value,
        )  # fmt: skip

    @classmethod
    def unpack(cls, data: _Buffer, offset: int = 0) -> "Clcw":
        """Decode the CLCW at `offset`; raises a `CodecError`."""
        s, cop, vcid, no_rf, no_lock, lockout, wait, rt, farm_b, report = codec.clcw_unpack(
            data, offset
        )
        return cls(vcid, bool(lockout), bool(wait), bool(rt), report, farm_b, bool(no_rf),
                   bool(no_lock), s, cop)  # fmt: skip

    def to_ocf(self) -> int:
        """The CLCW as the 32-bit OCF value `TmFrame` carries."""
        return int.from_bytes(self.pack(), "big")

    @classmethod
    def from_ocf(cls, ocf: int) -> "Clcw":
        """Decode a CLCW from a 32-bit OCF value."""
        return cls.unpack(ocf.to_bytes(4, "big"))


@dataclass(frozen=True)
class TcFrame:
    """A TC Transfer Frame. `segment` is the segment header octet, or None without one."""

    scid: int
    vcid: int
    seq: int = 0
    data: bytes = b""
    bypass: bool = False
    control: bool = False
    segment: int | None = None

    @classmethod
    def unlock(cls, scid: int, vcid: int) -> "TcFrame":
        """The Unlock control command (a BC frame)."""
        return cls(scid, vcid, 0, b"\x00", bypass=True, control=True)

    @classmethod
    def set_vr(cls, scid: int, vcid: int, value: int) -> "TcFrame":
        """The Set V(R) control command (a BC frame)."""
        return cls(scid, vcid, 0, bytes((0x82, 0x00, value)), bypass=True, control=True)

    @property
    def command(self) -> int | None:
        """0 (Unlock) or 1 (Set V(R)) on a control frame that holds one, else None."""
        if self.control and self.data == b"\x00":
            return UNLOCK
        if self.control and len(self.data) == 3 and self.data[:2] == b"\x82\x00":
            return SET_VR
        return None

    def pack(self, fecf: bool = True) -> bytes:
        """Return the frame's octets, with the frame error control field unless `fecf` is off."""
        segment = -1 if self.segment is None else self.segment
        return codec.tc_frame_pack(  # type: ignore[no-any-return]
            int(self.bypass), int(self.control), self.scid, self.vcid, self.seq, segment,
            self.data, fecf,
        )  # fmt: skip

    @classmethod
    def unpack(cls, data: _Buffer, fecf: bool = True, segmented: bool = False) -> "TcFrame":
        """Decode the frame at the start of `data` (trailing CLTU fill is ignored)."""
        fields = codec.tc_frame_unpack(data, fecf, segmented)
        bypass, control, scid, vcid, _length, seq, segment, offset, size = fields[:9]
        return cls(scid, vcid, seq, bytes(data[offset : offset + size]), bool(bypass),
                   bool(control), None if segment < 0 else segment)  # fmt: skip


@dataclass(frozen=True)
class TmFrame:
    """A TM Transfer Frame; `ocf` is the 32-bit operational control field or None."""

    scid: int
    vcid: int
    mc_count: int = 0
    vc_count: int = 0
    first_header_pointer: int = 0
    data: bytes = b""
    ocf: int | None = None

    @property
    def clcw(self) -> Clcw | None:
        """The CLCW the OCF carries, or None."""
        return None if self.ocf is None else Clcw.from_ocf(self.ocf)

    def pack(self, fecf: bool = True) -> bytes:
        """Return the frame's octets."""
        ocf = -1 if self.ocf is None else self.ocf
        return codec.tm_frame_pack(  # type: ignore[no-any-return]
            self.scid, self.vcid, self.mc_count, self.vc_count, self.first_header_pointer,
            self.data, ocf, fecf,
        )  # fmt: skip

    @classmethod
    def unpack(cls, data: _Buffer, fecf: bool = True) -> "TmFrame":
        """Decode one frame; `data` is exactly the frame."""
        scid, vcid, mc, vc, fhp, offset, size, ocf = codec.tm_frame_unpack(data, fecf)
        return cls(scid, vcid, mc, vc, fhp, bytes(data[offset : offset + size]),
                   None if ocf < 0 else ocf)  # fmt: skip


@dataclass(frozen=True)
class CltuDecoded:
    """A decoded CLTU: its information octets (fill included), where it lay, corrections."""

    data: bytes
    start: int
    end: int
    corrected: int


def cltu_encode(frame: _Buffer, randomize: bool = False) -> bytes:
    """Return the CLTU (start sequence, BCH code blocks, tail sequence) carrying `frame`."""
    return codec.cltu_encode(frame, randomize)  # type: ignore[no-any-return]


def cltu_decode(buf: _Buffer, correct: bool = True, derandomize: bool = False) -> CltuDecoded:
    """Decode the first CLTU in `buf`; raises `CodingError` or `TruncatedError`."""
    return CltuDecoded(*codec.cltu_decode(buf, correct, derandomize))


def tc_randomize(data: _Buffer) -> bytes:
    """Apply or remove the TC randomizer (231.0-B)."""
    return codec.tc_randomize(data)  # type: ignore[no-any-return]


def tm_randomize(data: _Buffer) -> bytes:
    """Apply or remove the TM pseudo-randomizer (131.0-B)."""
    return codec.tm_randomize(data)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class FrameSync:
    """The frames `sync_frames` found: `offsets` index the buffer it was given."""

    count: int
    consumed: int
    skipped: int
    offsets: Any


def sync_frames(buf: _Buffer, frame_length: int, check_fecf: bool = False) -> FrameSync:
    """Locate ASM-framed TM frames in a noisy byte stream (one batch call)."""
    return FrameSync(*codec.tm_sync(buf, frame_length, check_fecf))


@dataclass
class TmMultiplexer:
    """Packs one virtual channel's packets into fixed-length TM frames.

    `frames(packets)` returns the frames that are full; `frames(flush=True)` completes the
    last one with an idle packet, or sends an idle frame when nothing is pending. Set `ocf`
    (e.g. ``clcw.to_ocf()``) to report a CLCW in every frame.
    """

    scid: int
    vcid: int
    frame_length: int
    fecf: bool = True
    ocf: int | None = None
    mc_count: int = 0
    vc_count: int = 0
    _pending: bytes = field(default=b"", repr=False)
    _lead: int = field(default=0, repr=False)

    def frames(self, packets: _Buffer = b"", flush: bool = False) -> bytearray:
        """Add whole packets and return the frames now ready, back to back."""
        stream = self._pending + bytes(packets) if self._pending else packets
        ocf = -1 if self.ocf is None else self.ocf
        out, _count, consumed, lead, mc, vc = codec.tm_mux(
            stream, self._lead, self.scid, self.vcid, self.mc_count, self.vc_count,
            self.frame_length, ocf, self.fecf, flush,
        )  # fmt: skip
        self._pending = bytes(stream[consumed:])
        self._lead, self.mc_count, self.vc_count = lead, mc, vc
        return out  # type: ignore[no-any-return]


@dataclass(frozen=True)
class DemuxResult:
    """What one `TmDemultiplexer.feed` call rebuilt, and what it had to throw away."""

    packets: bytes
    frames: int
    gaps: int
    bad: int
    other: int
    dropped: int


@dataclass
class TmDemultiplexer:
    """Rebuilds one virtual channel's packets from TM frames, across calls and lost frames."""

    vcid: int
    frame_length: int
    fecf: bool = True
    expected_vc: int = -1
    _carry: bytes = field(default=b"", repr=False)

    def feed(self, frames: _Buffer) -> DemuxResult:
        """Decode whole frames laid back to back; feed the packets to `split_packets`."""
        packets, carry, expected, *counts = codec.tm_demux(
            frames, self.frame_length, self.fecf, self.vcid, self.expected_vc, self._carry
        )
        self._carry, self.expected_vc = bytes(carry), expected
        return DemuxResult(bytes(packets), *counts)
