"""PUS-C telecommands and telemetry (ECSS-E-ST-70-41C) as immutable values."""

from dataclasses import dataclass, field
from typing import Self

from flight.ccsds.cuc import EPOCH_CCSDS, CucTime
from flight.ccsds.errors import FieldRangeError, LengthError
from flight.ccsds.header import PacketType, SequenceFlags, SpacePacketHeader
from flight.ccsds.selection import codec

__all__ = ["PusTc", "PusTm"]

Buffer = bytes | bytearray | memoryview
_TM_TIME_OFFSET = 13


_SEQ_FLAGS = tuple(SequenceFlags)
_new = object.__new__


def _check(*limits: tuple[str, int, int]) -> None:
    """Raise FieldRangeError for the first (name, value, high) whose value is out of 0..high."""
    for name, value, high in limits:
        if not 0 <= value <= high:
            raise FieldRangeError(name, 0, high, value)


@dataclass(frozen=True)
class PusTc:
    """A PUS-C telecommand with its CRC-16 packet error control.

    >>> ping = PusTc(apid=100, service=17, subtype=1)
    >>> PusTc.unpack(ping.pack()) == ping
    True
    """

    apid: int
    service: int
    subtype: int
    app_data: bytes = b""
    seq_count: int = 0
    source_id: int = 0
    ack_flags: int = 0b1111
    seq_flags: SequenceFlags = SequenceFlags.UNSEGMENTED

    def __post_init__(self) -> None:
        if not isinstance(self.app_data, bytes):
            object.__setattr__(self, "app_data", bytes(self.app_data))
        if not (
            0 <= self.apid <= 0x7FF
            and 0 <= self.seq_count <= 0x3FFF
            and 0 <= self.service <= 0xFF
            and 0 <= self.subtype <= 0xFF
            and 0 <= self.source_id <= 0xFFFF
            and 0 <= self.ack_flags <= 0x0F
            and len(self.app_data) <= 65529
        ):
            _check(
                ("apid", self.apid, 0x7FF),
                ("sequence_count", self.seq_count, 0x3FFF),
                ("service", self.service, 0xFF),
                ("subtype", self.subtype, 0xFF),
                ("source_id", self.source_id, 0xFFFF),
                ("ack_flags", self.ack_flags, 0x0F),
                ("app_data_length", len(self.app_data), 65529),
            )

    @property
    def header(self) -> SpacePacketHeader:
        """The primary header this telecommand packs with."""
        return SpacePacketHeader(
            PacketType.TC, self.apid, self.seq_count, len(self.app_data) + 6, True, self.seq_flags
        )

    def pack(self) -> bytes:
        """Return the whole packet, CRC included."""
        return codec.pus_tc_pack(  # type: ignore[no-any-return]
            self.apid,
            int(self.seq_flags),
            self.seq_count,
            self.ack_flags,
            self.service,
            self.subtype,
            self.source_id,
            self.app_data,
        )

    @classmethod
    def unpack(cls, data: Buffer) -> Self:
        """Decode one telecommand that fills all of `data`, checking its CRC.

        Raises:
            CodecError: a subclass naming the offending field and its offset.
        """
        apid, flags, count, ack, service, subtype, source, start, size = codec.pus_tc_unpack(data)
        # The codec has checked every field: fill the instance without re-validating it.
        tc = _new(cls)
        tc.__dict__.update(
            apid=apid,
            service=service,
            subtype=subtype,
            app_data=bytes(data[start : start + size]),
            seq_count=count,
            source_id=source,
            ack_flags=ack,
            seq_flags=_SEQ_FLAGS[flags],
        )
        return tc


def _pfield_time_length(data: Buffer) -> int:
    """Octets of a P-field CUC at the TM time offset, as far as the octets present tell."""
    if len(data) <= _TM_TIME_OFFSET:
        return 1
    first = data[_TM_TIME_OFFSET]
    length = 1 + ((first >> 2) & 0x03) + 1 + (first & 0x03)
    if first & 0x80:
        length += 1
        if len(data) > _TM_TIME_OFFSET + 1:
            second = data[_TM_TIME_OFFSET + 1]
            length += ((second >> 5) & 0x03) + ((second >> 2) & 0x07)
    return length


@dataclass(frozen=True)
class PusTm:
    """A PUS-C telemetry packet with its CRC-16 packet error control.

    >>> tm = PusTm(apid=100, service=17, subtype=2, time=CucTime(coarse=42))
    >>> PusTm.unpack(tm.pack()) == tm
    True
    """

    apid: int
    service: int
    subtype: int
    source_data: bytes = b""
    seq_count: int = 0
    msg_counter: int = 0
    dest_id: int = 0
    time: CucTime = field(default_factory=CucTime)
    time_ref_status: int = 0
    seq_flags: SequenceFlags = SequenceFlags.UNSEGMENTED

    def __post_init__(self) -> None:
        if not isinstance(self.source_data, bytes):
            object.__setattr__(self, "source_data", bytes(self.source_data))
        if not (
            0 <= self.apid <= 0x7FF
            and 0 <= self.seq_count <= 0x3FFF
            and 0 <= self.service <= 0xFF
            and 0 <= self.subtype <= 0xFF
            and 0 <= self.msg_counter <= 0xFFFF
            and 0 <= self.dest_id <= 0xFFFF
            and 0 <= self.time_ref_status <= 0x0F
        ):
            _check(
                ("apid", self.apid, 0x7FF),
                ("sequence_count", self.seq_count, 0x3FFF),
                ("service", self.service, 0xFF),
                ("subtype", self.subtype, 0xFF),
                ("msg_counter", self.msg_counter, 0xFFFF),
                ("dest_id", self.dest_id, 0xFFFF),
                ("time_ref_status", self.time_ref_status, 0x0F),
            )

    @property
    def header(self) -> SpacePacketHeader:
        """The primary header this telemetry packet packs with."""
        data_length = 7 + self.time.length + len(self.source_data) + 2 - 1
        return SpacePacketHeader(
            PacketType.TM, self.apid, self.seq_count, data_length, True, self.seq_flags
        )

    def pack(self) -> bytes:
        """Return the whole packet, CRC included."""
        return codec.pus_tm_pack(  # type: ignore[no-any-return]
            self.apid,
            int(self.seq_flags),
            self.seq_count,
            self.time_ref_status,
            self.service,
            self.subtype,
            self.msg_counter,
            self.dest_id,
            self.time.packed,
            self.source_data,
        )

    @classmethod
    def unpack(
        cls,
        data: Buffer,
        *,
        coarse_octets: int = 4,
        fine_octets: int = 2,
        pfield: bool = False,
    ) -> Self:
        """Decode one telemetry packet that fills all of `data`, checking its CRC.

        The time field's format is mission-defined: give it, or set `pfield` when the time
        carries its own P-field.

        Raises:
            CodecError: a subclass naming the offending field and its offset.
        """
        time_len = _pfield_time_length(data) if pfield else coarse_octets + fine_octets
        fields = codec.pus_tm_unpack(data, time_len)
        apid, flags, count, ref, service, subtype, counter, dest, t_off, start, size = fields
        coarse, fine, n_coarse, n_fine, code_id, length = codec.cuc_unpack(
            data, t_off, coarse_octets, fine_octets, pfield
        )
        if length != time_len:
            raise LengthError("cuc_time", t_off, time_len, length)
        time = CucTime(coarse, fine, n_coarse, n_fine, pfield, code_id if pfield else EPOCH_CCSDS)
        # The codec has checked every field: fill the instance without re-validating it.
        tm = _new(cls)
        tm.__dict__.update(
            apid=apid,
            service=service,
            subtype=subtype,
            source_data=bytes(data[start : start + size]),
            seq_count=count,
            msg_counter=counter,
            dest_id=dest,
            time=time,
            time_ref_status=ref,
            seq_flags=_SEQ_FLAGS[flags],
        )
        return tm
